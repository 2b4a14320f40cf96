#!/usr/bin/env node
// PaulHatch/semantic-version's own test cases through the real imgver CLI, in real git repositories.
import { report } from '../lib.mjs';
import { runnable } from '../versioning.mjs';
import { cases, unsupported } from './cases.mjs';

console.log(`semantic-version: ${unsupported.length} group(s) of tests not expressible in imgver (listed in cases.mjs and the README)`);
await report('semantic-version', runnable(cases));
