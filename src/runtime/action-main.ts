import { runAsAction } from './action.js';

process.exitCode = await runAsAction(process.argv[2] ?? '');
