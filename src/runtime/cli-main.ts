import { main } from './cli.js';

// No top-level await: the entry is built as CommonJS (scripts/bundle.mjs).
void main(process.argv.slice(2)).then(code => {
  process.exitCode = code;
});
