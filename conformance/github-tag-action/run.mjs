#!/usr/bin/env node
// mathieudutour/github-tag-action's own test cases through the real imgver CLI, in real git repositories.
import { report } from '../lib.mjs';
import { runnable } from '../versioning.mjs';
import { cases, unsupported } from './cases.mjs';

console.log(`github-tag-action: ${unsupported.length} group(s) of tests not expressible in imgver (listed in cases.mjs and the README)`);
await report('github-tag-action', runnable(cases));
