import { ACTION_SPECS, findSpec } from '../actions/specs.js';
import type { ActionSpec } from '../actions/spec.js';
import { ACTIONS } from '../actions/index.js';
import { UserError, isUserError } from '../core/errors.js';
import { CliLogger } from './log.js';
import { writeText } from './stdio.js';
import { mappedStack } from './stack.js';

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
}

const CLI_FLAGS = new Set(['json', 'help', 'debug', 'version']);

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

export function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { inputs: {}, given: new Set(), json: false, help: false, debug: false, version: false };
  let spec: ActionSpec | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      // imgver manifest <command> …: the deploy-manifest action with its command input.
      if (parsed.action === 'deploy-manifest' && !parsed.given.has('command') && spec?.inputs.command) {
        parsed.inputs.command = arg;
        parsed.given.add('command');
        continue;
      }
      if (parsed.action === undefined) {
        parsed.action = arg === 'manifest' ? 'deploy-manifest' : arg;
        spec = findSpec(parsed.action);
        if (!spec) {
          const hint = closest(arg, ACTION_SPECS.map(s => s.name));
          throw new UserError(`Unknown action "${arg}"${hint ? ` (did you mean ${hint}?)` : ''}: run imgver --help for the list`);
        }
        continue;
      }
      throw new UserError(`Unexpected argument "${arg}": inputs are given as --name value`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (CLI_FLAGS.has(name) && eq === -1) {
      parsed[name as 'json' | 'help' | 'debug' | 'version'] = true;
      continue;
    }
    if (!spec) throw new UserError(`--${name} given before the action: imgver <action> --${name} …`);
    const input = spec.inputs[name];
    if (!input) {
      const hint = closest(name, Object.keys(spec.inputs));
      throw new UserError(`Unknown input --${name} for ${spec.name}${hint ? ` (did you mean --${hint}?)` : ''}: see imgver ${spec.name} --help`, {
        input: name
      });
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (input.boolean && (i + 1 >= argv.length || argv[i + 1].startsWith('--') || !/^(true|false)$/i.test(argv[i + 1]))) value = 'true';
    else {
      if (i + 1 >= argv.length) throw new UserError(`--${name} needs a value`, { input: name });
      value = argv[++i];
    }
    if (parsed.given.has(name)) {
      if (!input.multiline) throw new UserError(`--${name} given twice; only multi-line inputs may repeat`, { input: name });
      parsed.inputs[name] += `\n${value}`;
    } else parsed.inputs[name] = value;
    parsed.given.add(name);
  }
  if (spec) {
    for (const [name, input] of Object.entries(spec.inputs)) {
      if (!(name in parsed.inputs) && input.default !== undefined) parsed.inputs[name] = input.default;
    }
  }
  return parsed;
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
    const names = ACTION_SPECS.map(s => `  ${s.name.padEnd(18)}${wrap(s.description, 20)}`).join('\n');
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
      return `  --${name}\n      ${wrap(input.description + kind + def, 6)}`;
    })
    .join('\n');
  const outputs = Object.entries(spec.outputs)
    .map(([name, output]) => `  ${name}\n      ${wrap(output.description, 6)}`)
    .join('\n');
  return `imgver ${spec.name}: ${spec.description}

Usage: imgver ${spec.name} [--<input> <value> …] [--json] [--debug]

Inputs:
${inputs}

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

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (isUserError(error)) {
      writeText(2, `imgver: ${error.message}\n`);
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
    const action = await ACTIONS[spec.name]();
    const result = await action.run({ inputs: args.inputs, given: args.given, log, env, cwd: process.cwd(), now: new Date() });
    if (result.summary && !args.json) log.info('\n' + result.summary);
    writeText(1, (args.json ? formatJsonOutputs(spec, result.outputs) : formatTextOutputs(result.outputs)) + '\n');
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      const where = error.file && !error.message.startsWith(error.file) ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
      writeText(2, `imgver ${spec.name}: error: ${where}${error.message}\n`);
      return 1;
    }
    writeText(2, `${mappedStack(error)}\nimgver ${spec.name} failed unexpectedly: please report this with the output above.\n`);
    return 2;
  }
}
