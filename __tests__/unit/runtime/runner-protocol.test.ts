import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { formatOutputFile, OUTPUT_NAME, runnerCommand, type Where } from '../../../src/runtime/runner-protocol.js';
import { parseOutputFileAsRunner, workflowCommandsIn } from '../../helpers/runner-protocol.js';

/** The action front door's side of the runner protocol: the GITHUB_OUTPUT file and workflow command lines. */

const BLOCK = /^([^\n]+)<<(ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\n([\s\S]*)\n\2$/;

/** formatOutputFile's text cut into its blocks: name, delimiter and the value between the delimiter lines. */
function blocks(text: string): { name: string; delimiter: string; value: string }[] {
  expect(text.endsWith('\n')).toBe(true);
  const found: { name: string; delimiter: string; value: string }[] = [];
  let rest = text;
  while (rest) {
    const header = /^([^\n]+)<<(ghadelimiter_[^\n]+)\n/.exec(rest);
    if (!header) throw new Error(`not a name<<delimiter block: ${JSON.stringify(rest.slice(0, 60))}`);
    const end = rest.indexOf(`\n${header[2]}\n`, header[0].length - 1);
    const block = rest.slice(0, end + header[2].length + 1);
    const match = BLOCK.exec(block);
    if (!match) throw new Error(`malformed block: ${JSON.stringify(block)}`);
    found.push({ name: match[1], delimiter: match[2], value: match[3] });
    rest = rest.slice(end + header[2].length + 2);
  }
  return found;
}

describe('formatOutputFile: every output a name<<delimiter block, read back by the runner as written', () => {
  it.each<[string, string]>([
    ['one line', '1.2.3'],
    ['an empty value', ''],
    ['several lines', 'ghcr.io/acme/api:1.2.3\nghcr.io/acme/api:latest'],
    ['a trailing newline', 'a\n'],
    ['only newlines', '\n\n'],
    ['JSON', '{"include":[{"service":"api","paths":["a\\nb"]}]}'],
    ['a line that looks like another output', 'x\nversion=6.6.6'],
    ['a heredoc of its own', 'x\nmatrix<<EOF\n{}\nEOF'],
    ['a delimiter look-alike', 'ghadelimiter_00000000-0000-0000-0000-000000000000'],
    ['a workflow command', '::error::not a command here'],
    ['non-ASCII and tabs', 'é\tü ✓']
  ])('%s', (_what, value) => {
    const text = formatOutputFile({ value });
    const [block, ...more] = blocks(text);
    expect(more).toEqual([]);
    expect(block).toMatchObject({ name: 'value', value });
    expect(value).not.toContain(block.delimiter);
    expect(parseOutputFileAsRunner(text)).toEqual({ value });
  });

  it('keeps the order of the outputs and gives each block its own delimiter', () => {
    const outputs = { version: '1.2.3', tags: 'a\nb', 'bump-commit': '', 'plan.json': '{}' };
    const found = blocks(formatOutputFile(outputs));
    expect(found.map(b => [b.name, b.value])).toEqual(Object.entries(outputs));
    expect(new Set(found.map(b => b.delimiter)).size).toBe(found.length);
  });

  it('writes nothing for no outputs', () => {
    expect(formatOutputFile({})).toBe('');
  });

  it.each([['version'], ['bump-commit'], ['_x'], ['a.b'], ['A9']])('takes the output name %j', name => {
    expect(OUTPUT_NAME.test(name)).toBe(true);
    expect(parseOutputFileAsRunner(formatOutputFile({ [name]: 'v' }))).toEqual({ [name]: 'v' });
  });

  it.each([['x\ninjected=evil'], ['x=y'], ['x<<EOF'], ['with space'], [''], ['-dash'], ['.dot'], ['a\rb'], ['tab\t']])(
    'refuses the output name %j, naming it',
    name => {
      expect(() => formatOutputFile({ fine: '1', [name]: 'true' })).toThrow(`Output name ${JSON.stringify(name)} is not allowed`);
    }
  );
});

describe('runnerCommand: one escaped workflow command line on stdout', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  function issued(command: Parameters<typeof runnerCommand>[0], message?: string, where?: Where): string {
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      written.push(String(chunk));
      return true;
    });
    runnerCommand(command, message, where);
    jest.restoreAllMocks();
    expect(written).toHaveLength(1);
    return written[0];
  }

  it.each<[string, Parameters<typeof runnerCommand>[0], string | undefined, Where | undefined, string]>([
    ['plain warning', 'warning', 'disk almost full', undefined, '::warning::disk almost full'],
    ['%, CR and LF in the message', 'error', '50% done\r\n::error::forged', undefined, '::error::50%25 done%0D%0A::error::forged'],
    ['file and line', 'error', 'bad value', { file: 'imgver.yaml', line: 4 }, '::error file=imgver.yaml,line=4::bad value'],
    ['a file name holding , : and a newline', 'warning', 'x', { file: 'a,b:c\nd.yaml' }, '::warning file=a%2Cb%3Ac%0Ad.yaml::x'],
    ['line 0 is left out', 'notice', 'n', { file: 'f', line: 0 }, '::notice file=f::n'],
    ['a mask', 'add-mask', 's3cr%t', undefined, '::add-mask::s3cr%25t'],
    ['a group', 'group', 'Build api', undefined, '::group::Build api'],
    ['the end of a group', 'endgroup', undefined, undefined, '::endgroup::']
  ])('%s', (_what, command, message, where, line) => {
    const out = issued(command, message, where);
    expect(out).toBe(`${line}\n`);
    // The runner sees exactly one command, the one asked for.
    expect(workflowCommandsIn(out).map(c => c.command)).toEqual([command]);
  });
});
