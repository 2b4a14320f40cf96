#!/usr/bin/env node
// googleapis/release-please's versioning-strategy tests through the real imgver CLI, in real git repositories.
import { report } from '../lib.mjs';
import { runnable } from '../versioning.mjs';
import { cases, unsupported } from './cases.mjs';

console.log(`release-please: ${unsupported.length} group(s) of tests not expressible in imgver (listed in cases.mjs and the README)`);
await report('release-please', runnable(cases));
