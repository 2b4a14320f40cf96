import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { parse } from 'yaml';

/**
 * Runs a composite action.yml the way the runner does: `${{ }}` evaluated by @actions/expressions with the
 * inputs (defaults applied), github and steps contexts; each run step executed by bash with its env:, with
 * GITHUB_ACTION_PATH and GITHUB_OUTPUT set; outputs read back from GITHUB_OUTPUT and mapped by the action's outputs.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function toData(value: Json): data.ExpressionData {
  if (value === null) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(...Object.entries(value).map(([key, v]) => ({ key, value: toData(v) })));
}

function evaluate(expression: string, contexts: Record<string, Json>): string {
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
  const root = toData(contexts) as data.Dictionary;
  return new Evaluator(parsed, root).evaluate().coerceString();
}

export function interpolate(text: string, contexts: Record<string, Json>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => evaluate(expr.trim(), contexts));
}

export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]);
      if (i >= lines.length) throw new Error(`Output ${name}: delimiter ${delimiter} never closed`);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

export interface CompositeRun {
  outputs: Record<string, string>;
  /** Everything the run step wrote to GITHUB_OUTPUT, declared as an action output or not. */
  stepOutputs: Record<string, string>;
  stdout: string;
  summary: string;
}

/** Runs a step's script; a failure carries what the step printed (an action reports errors as ::error:: on stdout). */
function runStep(script: string, options: { cwd: string; encoding: 'utf8'; env: NodeJS.ProcessEnv }): string {
  try {
    return execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], options);
  } catch (error) {
    // The same error (tests read its status and stdout), its message completed.
    const failure = error as Error & { stdout?: string; stderr?: string };
    failure.message = `${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    throw failure;
  }
}

export function runComposite(actionYml: string, inputs: Record<string, string>, options: { cwd: string; env?: Record<string, string> }): CompositeRun {
  const action = parse(readFileSync(actionYml, 'utf8')) as {
    inputs?: Record<string, { default?: string }>;
    outputs?: Record<string, { value: string }>;
    runs: { using: string; steps: { id?: string; run?: string; shell?: string; env?: Record<string, string> }[] };
  };
  if (action.runs.using !== 'composite') throw new Error(`${actionYml} is not a composite action`);
  const inputValues: Record<string, Json> = {};
  const temp = mkdtempSync(join(tmpdir(), 'imgver-runner-'));
  const github = { action_path: dirname(actionYml), workspace: options.cwd, token: options.env?.GITHUB_TOKEN ?? '' };
  // The runner evaluates expressions in input defaults (${{ github.token }}) too.
  for (const [name, spec] of Object.entries(action.inputs ?? {})) inputValues[name] = inputs[name] ?? (spec.default !== undefined ? interpolate(spec.default, { github }) : '');
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  let stdout = '';
  const summaryFile = join(temp, 'summary.md');
  writeFileSync(summaryFile, '');
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      if (!step.run) throw new Error('only run steps are supported by this harness');
      const contexts: Record<string, Json> = {
        inputs: inputValues,
        github,
        steps: steps as unknown as Json,
        env: options.env ?? {},
        runner: { os: 'Linux', temp }
      };
      const outputFile = join(temp, `output-${index}`);
      writeFileSync(outputFile, '');
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts)]));
      const script = join(temp, `step-${index}.sh`);
      writeFileSync(script, interpolate(step.run, contexts));
      stdout += runStep(script, {
        cwd: options.cwd,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          ...options.env,
          ...stepEnv,
          GITHUB_ACTIONS: 'true',
          GITHUB_ACTION_PATH: dirname(actionYml),
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile
        }
      });
      if (step.id) steps[step.id] = { outputs: parseOutputFile(readFileSync(outputFile, 'utf8')) };
    }
    const outputs = Object.fromEntries(
      Object.entries(action.outputs ?? {}).map(([name, o]) => [name, interpolate(o.value, { steps: steps as unknown as Json })])
    );
    return { outputs, stepOutputs: steps.run?.outputs ?? {}, stdout, summary: readFileSync(summaryFile, 'utf8') };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
