import { parseArgs as nodeParseArgs } from 'node:util';
import { ACTION_SPECS, CLI_SPECS, findSpec } from '../actions/specs.js';
import type { ActionSpec } from '../actions/spec.js';
import { UserError, isUserError } from '../core/errors.js';
import { commandSafeJson, fenced } from './command-guard.js';
import { CliLogger } from './log.js';
import { writeText } from './stdio.js';
import { mappedStack } from './stack.js';
import { createStageContext, runStage } from './stages.js';

/**
 * The CLI front door: `imgver <action> --<input> value … [--json]`. Every action input is a flag of the same
 * name; outputs go to stdout (one JSON object with --json), human logs to stderr.
 */
declare const IMGVER_VERSION: string | undefined;

export interface ParsedArgs {
  action?: string;
  inputs: Record<string, string>;
  given: Set<string>;
  json: boolean;
  help: boolean;
  debug: boolean;
  version: boolean;
  /** --password-stdin: the password input is read from stdin, so it never shows in argv (ps, shell history). */
  passwordStdin: boolean;
}

/** The environment variable the CLI reads the password input from when neither --password nor --password-stdin is given. */
export const PASSWORD_ENV = 'IMGVER_PASSWORD';

function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = candidates.map(c => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? best.c : undefined;
}

/**
 * Other names of inputs on the command line. Node 20 reads --env-file anywhere in its argv, after the script too, and
 * stops with "not found" before imgver starts: --versions-env is the same input under a name Node leaves alone.
 */
const INPUT_ALIASES: Record<string, string> = { 'versions-env': 'env-file' };

/** The CLI's own flags; an action's input of the same name (helm-sync --version) wins after the action. */
const CLI_FLAGS = ['json', 'help', 'debug', 'version'] as const;
type CliFlag = (typeof CLI_FLAGS)[number];

/**
 * `imgver <action> [command] --input value …` through Node's util.parseArgs: every input is a string option
 * (repeatable when multi-line), a boolean input also takes the bare form (--all) or the next word true/false.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { inputs: {}, given: new Set(), json: false, help: false, debug: false, version: false, passwordStdin: false };
  // The action (and a manifest command) come first; flags before them are the CLI's own.
  let i = 0;
  const flagsBefore: string[] = [];
  while (i < argv.length && argv[i].startsWith('-')) {
    const flag = argv[i++];
    const name = flag === '-h' ? 'help' : flag.replace(/^--?/, '').replace(/=.*/, '');
    // An input before the action: say so, rather than reading its value as the action.
    if (!(CLI_FLAGS as readonly string[]).includes(name)) {
      const known = ACTION_SPECS.some(s => s.inputs[name]);
      throw new UserError(known ? `--${name} given before the action: imgver <action> --${name} …` : `Unknown option ${flag}: run imgver --help`);
    }
    flagsBefore.push(flag);
  }
  let spec: ActionSpec | undefined;
  if (i < argv.length) {
    const word = argv[i++];
    parsed.action = word === 'manifest' ? 'deploy-manifest' : word;
    spec = findSpec(parsed.action);
    if (!spec) {
      const hint = closest(word, [...ACTION_SPECS, ...CLI_SPECS].map(s => s.name));
      throw new UserError(`Unknown action "${word}"${hint ? ` (did you mean ${hint}?)` : ''}: run imgver --help for the list`);
    }
  }
  for (const arg of flagsBefore) parsed[(arg === '-h' ? 'help' : arg.replace(/^--?/, '')) as CliFlag] = true;
  if (!spec) return parsed;

  const inputs = spec.inputs;
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const name of Object.keys(inputs)) options[name] = { type: 'string', multiple: true };
  for (const flag of CLI_FLAGS) if (!inputs[flag]) options[flag] = { type: 'boolean' };
  options.help = inputs.help ? options.help : { type: 'boolean', short: 'h' };
  // --password-stdin: the password input is read from stdin, so it never shows in argv (ps, shell history).
  if (inputs.password) options['password-stdin'] = { type: 'boolean' };

  // Boolean inputs: a bare flag means true; `--all false` and `--all=false` say so explicitly.
  const rest: string[] = [];
  const tail = argv.slice(i).map(arg => {
    const alias = /^--([^=]+)(=.*)?$/.exec(arg);
    const target = alias && INPUT_ALIASES[alias[1]];
    return target && inputs[target] ? `--${target}${alias[2] ?? ''}` : arg;
  });
  for (let j = 0; j < tail.length; j++) {
    const arg = tail[j];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && inputs[name]?.boolean) {
      const next = tail[j + 1];
      if (next !== undefined && /^(true|false)$/i.test(next)) {
        rest.push(`--${name}=${next}`);
        j++;
      } else rest.push(`--${name}=true`);
    } else rest.push(arg);
  }

  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = nodeParseArgs({ args: rest, options, strict: true, allowPositionals: true }));
  } catch (error) {
    throw argumentError(error as Error & { code?: string }, spec);
  }
  // imgver manifest <command> …: the deploy-manifest action with its command input.
  if (positionals.length > 0 && spec.name === 'deploy-manifest' && inputs.command && values.command === undefined) {
    values.command = [positionals.shift()!];
  }
  if (positionals.length > 0) throw new UserError(`Unexpected argument "${positionals[0]}": inputs are given as --name value`);

  for (const [name, value] of Object.entries(values)) {
    if (name === 'password-stdin') {
      parsed.passwordStdin = value === true;
      continue;
    }
    if (!inputs[name]) {
      parsed[name as CliFlag] = value === true;
      continue;
    }
    const list = value as string[];
    if (list.length > 1 && !inputs[name].multiline) throw new UserError(`--${name} given twice; only multi-line inputs may repeat`, { input: name });
    parsed.inputs[name] = list.join('\n');
    parsed.given.add(name);
  }
  if (parsed.passwordStdin && parsed.given.has('password')) throw new UserError('--password and --password-stdin given together: pick one', { input: 'password' });
  for (const [name, input] of Object.entries(inputs)) {
    if (!(name in parsed.inputs) && input.default !== undefined) parsed.inputs[name] = input.default;
  }
  return parsed;
}

/** util.parseArgs' errors, reworded as imgver's: the input named, a near name suggested. */
function argumentError(error: Error & { code?: string }, spec: ActionSpec): UserError {
  const option = error.message.match(/'(-[^' ]+)/)?.[1] ?? '';
  const name = option.replace(/^--?/, '').replace(/=.*/, '');
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const hint = closest(name, Object.keys(spec.inputs));
    return new UserError(`Unknown input --${name} for ${spec.name}${hint ? ` (did you mean --${hint}?)` : ''}: see imgver ${spec.name} --help`, { input: name });
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(error.message)) return new UserError(`--${name} needs a value`, { input: name });
    if (/ambiguous/.test(error.message)) return new UserError(`--${name} needs a value (one that starts with - is given as --${name}=-…)`, { input: name });
    return new UserError(`--${name} takes no value`, { input: name });
  }
  return new UserError(error.message.split('\n')[0]);
}

function wrap(text: string, indent: number, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width - indent) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}

export function helpText(spec?: ActionSpec): string {
  if (!spec) {
    const names = [...CLI_SPECS, ...ACTION_SPECS].map(s => `  ${s.name.padEnd(18)}${wrap(s.description, 20)}`).join('\n');
    return `imgver: versions, tags and publishes container images and Helm charts of monorepos.

Usage: imgver <action> --<input> <value> … [--json] [--debug]

Actions:
${names}

Every input of an action's action.yml is a flag of the same name; multi-line inputs take newline-separated
text or a repeated flag. --json prints one JSON object of the outputs on stdout; logs go to stderr.
Run imgver <action> --help for its inputs and outputs.
`;
  }
  const inputs = Object.entries(spec.inputs)
    .map(([name, input]) => {
      const def = input.default !== undefined ? ` (default: ${JSON.stringify(input.default)})` : '';
      const kind = input.multiline ? ' (multi-line, repeatable)' : input.boolean ? ' (boolean)' : '';
      const alias = Object.keys(INPUT_ALIASES).find(key => INPUT_ALIASES[key] === name);
      const also = alias ? ` Also --${alias} (Node 20 takes --${name} for itself).` : '';
      return `  --${name}\n      ${wrap(input.description + kind + def + also, 6)}`;
    })
    .join('\n');
  const outputs = Object.entries(spec.outputs)
    .map(([name, output]) => `  ${name}\n      ${wrap(output.description, 6)}`)
    .join('\n');
  const password = spec.inputs.password
    ? `
Registry password: prefer --password-stdin (reads it from stdin, e.g. echo "$TOKEN" | imgver ${spec.name} --username u
--registry ghcr.io --password-stdin) or the ${PASSWORD_ENV} environment variable; --password shows in ps and shell
history. The credentials go only to the registry named by --registry (or, without it, the run's only registry).
`
    : '';
  return `imgver ${spec.name}: ${spec.description}

Usage: imgver ${spec.name} [--<input> <value> …] [--json] [--debug]

Inputs:
${inputs}
${password}
Outputs (stdout; --json prints them as one JSON object):
${outputs}
`;
}

export function formatJsonOutputs(spec: ActionSpec, outputs: Record<string, string>): string {
  const object: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) {
    object[name] = spec.outputs[name]?.json && value !== '' ? JSON.parse(value) : value;
  }
  return JSON.stringify(object, null, 2);
}

export function formatTextOutputs(outputs: Record<string, string>): string {
  return Object.entries(outputs)
    .map(([name, value]) => (value.includes('\n') ? `${name}:\n${value.replace(/^/gm, '  ')}` : `${name}: ${value}`))
    .join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (isUserError(error)) {
      writeText(2, `${fenced(`imgver: ${error.message}`)}\n`);
      return 1;
    }
    throw error;
  }
  if (args.version) {
    writeText(1, `${typeof IMGVER_VERSION === 'string' ? IMGVER_VERSION : 'dev'}\n`);
    return 0;
  }
  const spec = args.action ? findSpec(args.action) : undefined;
  if (args.help || !spec) {
    writeText(1, helpText(spec));
    return args.help ? 0 : 1;
  }
  const log = new CliLogger(args.debug || env.RUNNER_DEBUG === '1' || env.IMGVER_DEBUG === '1');
  try {
    if (spec.inputs.password && !args.given.has('password')) {
      const password = args.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : env[PASSWORD_ENV];
      if (args.passwordStdin && !password) throw new UserError('--password-stdin: nothing was read from stdin', { input: 'password' });
      if (password) {
        args.inputs.password = password;
        args.given.add('password');
      }
    }
    const result = await runStage(spec.name, args.inputs, args.given, createStageContext({ log, env, cwd: process.cwd(), now: new Date() }));
    if (result.summary && !args.json) log.info('\n' + result.summary);
    // Outputs hold repository text (file names, messages): JSON writes ##[ as #\u0023[, text is fenced when it must be.
    writeText(1, (args.json ? commandSafeJson(formatJsonOutputs(spec, result.outputs)) : fenced(formatTextOutputs(result.outputs))) + '\n');
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      const where = error.file && !error.message.startsWith(error.file) ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
      writeText(2, `${fenced(`imgver ${spec.name}: error: ${where}${error.message}`)}\n`);
      return 1;
    }
    writeText(2, `${mappedStack(error)}\nimgver ${spec.name} failed unexpectedly: please report this with the output above.\n`);
    return 2;
  }
}
