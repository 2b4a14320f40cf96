// anothrNick/github-tag-action's own tests (test/test_prefix.bats), replayed through imgver in real repositories.
// Each bats test starts from a repository with one commit ("initial", README) and runs the entrypoint in dry run;
// the peer's environment variables are translated by ntaConfig (the README's "Coming from another tool › anothrNick/github-tag-action").
import { yaml } from '../versioning.mjs';

const FILE = 'test/test_prefix.bats';

/** anothrNick/github-tag-action environment → imgver.yaml. */
export function ntaConfig(env = {}) {
  const prefix = env.TAG_PREFIX ?? (env.WITH_V === 'true' ? 'v' : '');
  return yaml([
    'version:',
    `  tag-format: ${JSON.stringify(`${prefix}{{version}}`)}`,
    `  initial: ${JSON.stringify(env.INITIAL_VERSION ?? '0.0.0')}`,
    'bump:',
    '  detect: [markers]',
    `  default: ${env.DEFAULT_BUMP ?? 'minor'}`
  ]);
}

const setup = [['commit', 'initial', '']];
const run = (expected, env) => ['run', { config: ntaConfig(env) }, expected];

export const cases = [
  { name: 'Creates a new tag with default settings (no prefix)', steps: [...setup, run({ tag: '0.1.0', version: '0.1.0' }, {})] },
  { name: 'Bumps a tag with default settings (no prefix)', steps: [...setup, ['tag', '1.0.0'], ['empty', 'bump'], run({ tag: '1.1.0', previous: '1.0.0' }, {})] },
  { name: "Creates a new tag with 'v' prefix", steps: [...setup, run({ tag: 'v0.1.0' }, { TAG_PREFIX: 'v' })] },
  { name: "Bumps a tag with 'v' prefix", steps: [...setup, ['tag', 'v1.0.0'], ['empty', 'bump'], run({ tag: 'v1.1.0', previous: '1.0.0' }, { TAG_PREFIX: 'v' })] },
  { name: "Creates a new tag with '/' prefix", steps: [...setup, run({ tag: 'infra/0.1.0' }, { TAG_PREFIX: 'infra/' })] },
  { name: "Bumps a tag with '/' prefix", steps: [...setup, ['tag', 'infra/1.0.0'], ['empty', 'bump'], run({ tag: 'infra/1.1.0', previous: '1.0.0' }, { TAG_PREFIX: 'infra/' })] },
  {
    name: 'Bumps only matching prefix tag',
    steps: [
      ...setup,
      ['tag', '2.0.0'],
      ['empty', 'bump-no-prefix-1'],
      ['tag', 'infra/1.7.0'],
      ['empty', 'bump-prefix-1'],
      ['tag', '2.1.0'],
      ['empty', 'bump-no-prefix-2'],
      run({ tag: 'infra/1.8.0', previous: '1.7.0' }, { TAG_PREFIX: 'infra/' })
    ]
  }
].map(c => ({ ...c, source: `${FILE} › ${c.name}` }));

export const unsupported = [];
