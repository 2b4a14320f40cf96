import { runAsAction } from './action.js';

// No top-level await: the entry is built as CommonJS (scripts/bundle.mjs).
void runAsAction(process.argv[2] ?? '').then(code => {
  process.exitCode = code;
});
