#!/usr/bin/env node
// PaulHatch/semantic-version's own test cases through the real imgver CLI, in real git repositories.
import { report } from '../lib.mjs';
import { runnable } from '../versioning.mjs';
import { cases, unsupported } from './cases.mjs';

console.log(`semantic-version: ${unsupported.length} test(s) not expressible in imgver (see the README)`);
await report('semantic-version', runnable(cases));
