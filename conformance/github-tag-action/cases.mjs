// mathieudutour/github-tag-action's own tests (tests/action.test.ts, tests/utils.test.ts), replayed through imgver in
// real repositories: the mocked tags become real tags on their own commits, the mocked commits real commits after
// them. The peer's inputs are translated by gtaConfig (the README's "Coming from another tool › mathieudutour/github-tag-action").
import { yaml } from '../versioning.mjs';

const ACTION = 'tests/action.test.ts';
const UTILS = 'tests/utils.test.ts';
/** Conventional types the angular preset releases nothing for: the peer then applies default_bump. */
const OTHER_TYPES = ['build', 'chore', 'ci', 'docs', 'style', 'refactor', 'test', 'revert'];

/** github-tag-action inputs → imgver.yaml (branch: the branch the run is on). */
export function gtaConfig(o = {}) {
  const prefix = o.tag_prefix ?? 'v';
  const releaseBranches = (o.release_branches ?? 'master,main').split(',');
  const preBranches = (o.pre_release_branches ?? '').split(',').filter(Boolean);
  const onPre = preBranches.includes(o.branch) && !releaseBranches.includes(o.branch);
  const bumpDefault = onPre ? (o.default_prerelease_bump ?? 'prerelease') : (o.default_bump ?? 'patch');
  const level = bumpDefault === 'false' ? 'none' : bumpDefault === 'prerelease' ? 'patch' : bumpDefault.replace(/^pre/, '');
  const rules = Object.fromEntries(
    (o.custom_release_rules ?? '')
      .split(',')
      .filter(Boolean)
      .map(rule => rule.split(':'))
      .map(([type, release]) => [type, release])
  );
  const types = { ...Object.fromEntries(OTHER_TYPES.map(t => [t, level])), ...rules };
  const identifier = (o.append_to_pre_release_tag || o.branch || '').replace(/[^a-zA-Z0-9-]/g, '-');
  return yaml([
    'version:',
    `  tag-format: ${JSON.stringify(`${prefix}{{version}}`)}`,
    'bump:',
    '  detect: [conventional]',
    `  default: ${level}`,
    `  types: ${JSON.stringify(types)}`,
    // default_bump applies even when no commit is new (the peer tags v1.2.4 over v1.2.3 with no commits).
    `  without-commits: ${level !== 'none'}`,
    onPre && 'prerelease:',
    onPre && `  branches: {${JSON.stringify(o.branch)}: ${JSON.stringify(identifier)}}`
  ]);
}

const run = (expected, o) => ['run', { config: gtaConfig(o), args: ['--ref', `refs/heads/${o.branch}`] }, expected];
/** Each mocked tag on a commit of its own, then the mocked commits (newest last, as the peer lists them oldest first). */
const history = (tags, commits) => [
  ['commit', 'initial'],
  ...tags.flatMap((tag, i) => [...(i > 0 ? [['commit', `chore: before ${tag}`]] : []), ['tag', tag]]),
  ...commits.map(message => ['empty', message])
];
const BREAKING = 'my commit message\nBREAKING CHANGE:\nthis is a breaking change';

const master = { branch: 'master' };
const release = { branch: 'release', release_branches: 'release' };
const pre = { branch: 'prerelease', pre_release_branches: 'prerelease' };
const other = { branch: 'development', pre_release_branches: 'prerelease', release_branches: 'release' };

export const cases = [
  { name: 'special cases › does create initial tag', branch: 'master', steps: [['empty', 'fix: this is my first fix'], run({ tag: 'v0.0.1', version: '0.0.1' }, master)] },
  { name: 'special cases › does create patch tag without commits', branch: 'master', steps: [run({ tag: 'v0.0.1', version: '0.0.1' }, master)] },
  {
    name: 'special cases › does not create tag without commits and default_bump set to false',
    branch: 'master',
    steps: [['empty', 'initial'], ['tag', 'v1.2.3'], run({ release: false, version: '1.2.3' }, { ...master, default_bump: 'false' })]
  },
  {
    name: 'special cases › does create tag using custom release types',
    branch: 'master',
    steps: [...history(['v1.2.3'], ['bond: is his last name', 'james: is the new cool guy']), run({ tag: 'v2.0.0' }, { ...master, custom_release_rules: 'james:patch,bond:major' })]
  },
  {
    name: 'special cases › does create tag using custom release types but non-custom commit message',
    branch: 'master',
    steps: [...history(['v1.2.3'], ['feat: is his last name', 'fix: is the new cool guy']), run({ tag: 'v1.3.0' }, { ...master, custom_release_rules: 'james:patch,bond:major' })]
  },
  { name: 'release branches › does create patch tag', branch: 'release', steps: [...history(['v1.2.3'], ['fix: this is my first fix']), run({ tag: 'v1.2.4' }, release)] },
  { name: 'release branches › does create minor tag', branch: 'release', steps: [...history(['v1.2.3'], ['feat: this is my first feature']), run({ tag: 'v1.3.0' }, release)] },
  { name: 'release branches › does create major tag', branch: 'release', steps: [...history(['v1.2.3'], [BREAKING]), run({ tag: 'v2.0.0' }, release)] },
  {
    name: 'release branches › does create tag when pre-release tag is newer',
    branch: 'release',
    differs:
      "the peer bumps the prerelease v2.1.3-prerelease.1 it found by the branch name 'release' matching inside 'prerelease' (→ v2.2.0); imgver graduates the pending 2.1.3 prerelease, which already covers a feature over v1.2.3 (→ v2.1.3, the log says why)",
    steps: [...history(['v1.2.3', 'v2.1.3-prerelease.0', 'v2.1.3-prerelease.1'], ['feat: some new feature on a release branch']), run({ tag: 'v2.1.3' }, release)]
  },
  {
    name: 'release branches › does create tag with custom release rules',
    branch: 'release',
    steps: [
      ...history(['v1.2.3'], ['james: this should make a preminor', 'feat: some new feature on a pre-release branch']),
      run({ tag: 'v1.3.0' }, { ...release, custom_release_rules: 'james:preminor' })
    ]
  },
  {
    name: 'pre-release branches › does not create tag without commits and default_bump set to false',
    branch: 'prerelease',
    steps: [['empty', 'initial'], ['tag', 'v1.2.3'], run({ release: false }, { ...pre, default_prerelease_bump: 'false' })]
  },
  {
    name: 'pre-release branches › does create prerelease tag',
    branch: 'prerelease',
    steps: [...history(['v1.2.3'], ['this is my first fix']), run({ tag: 'v1.2.4-prerelease.0', prerelease: true }, { ...pre, default_prerelease_bump: 'prerelease' })]
  },
  { name: 'pre-release branches › does create prepatch tag', branch: 'prerelease', steps: [...history(['v1.2.3'], ['fix: this is my first fix']), run({ tag: 'v1.2.4-prerelease.0' }, pre)] },
  { name: 'pre-release branches › does create preminor tag', branch: 'prerelease', steps: [...history(['v1.2.3'], ['feat: this is my first feature']), run({ tag: 'v1.3.0-prerelease.0' }, pre)] },
  { name: 'pre-release branches › does create premajor tag', branch: 'prerelease', steps: [...history(['v1.2.3'], [BREAKING]), run({ tag: 'v2.0.0-prerelease.0' }, pre)] },
  {
    name: 'pre-release branches › does create tag when release tag is newer',
    branch: 'prerelease',
    steps: [...history(['v1.2.3-prerelease.0', 'v3.1.2-feature.0', 'v2.1.4'], ['feat: some new feature on a pre-release branch']), run({ tag: 'v2.2.0-prerelease.0' }, pre)]
  },
  {
    name: 'pre-release branches › does create tag with custom release rules',
    branch: 'prerelease',
    steps: [
      ...history(['v1.2.3'], ['james: this should make a preminor', 'feat: some new feature on a pre-release branch']),
      run({ tag: 'v1.3.0-prerelease.0' }, { ...pre, custom_release_rules: 'james:preminor' })
    ]
  },
  { name: 'other branches › does output patch tag', branch: 'development', steps: [...history(['v1.2.3'], ['fix: this is my first fix']), run({ version: '1.2.4' }, other)] },
  { name: 'other branches › does output minor tag', branch: 'development', steps: [...history(['v1.2.3'], ['feat: this is my first feature']), run({ version: '1.3.0' }, other)] }
  ,
  { name: 'other branches › does output major tag', branch: 'development', steps: [...history(['v1.2.3'], [BREAKING]), run({ version: '2.0.0' }, other)] }
]
  .map(c => ({ ...c, name: `github-tag-action › ${c.name}`, source: `${ACTION} › github-tag-action › ${c.name}` }))
  .concat(
    [
      {
        name: 'returns valid tags',
        branch: 'master',
        steps: [...history(['release-1.2.3', 'v1.2.3'], ['fix: x']), run({ previous: '1.2.3', tag: 'v1.2.4' }, master)]
      },
      {
        name: 'returns sorted tags',
        branch: 'prerelease',
        steps: [...history(['v1.2.3', 'v1.2.4-prerelease.0', 'v1.2.4-prerelease.1', 'v1.2.4-prerelease.2'], ['fix: x']), run({ previous: '1.2.4-prerelease.2' }, pre)]
      },
      {
        name: 'returns only prefixed tags',
        branch: 'master',
        steps: [...history(['app2/5.0.0', '7.0.0', 'app1/3.0.0'], ['fix: x']), run({ previous: '3.0.0', tag: 'app1/3.0.1' }, { ...master, tag_prefix: 'app1/' })]
      },
      {
        name: 'custom release types › maps custom release types',
        branch: 'master',
        steps: [...history(['v1.2.3'], ['james: x']), run({ tag: 'v1.3.0' }, { ...master, custom_release_rules: 'james:preminor,bond:premajor,feat:minor' })]
      },
      {
        name: 'custom release types › filters out invalid custom release types',
        branch: 'master',
        differs: "the peer drops an invalid rule (james:pre-release) silently; imgver's config check rejects it, naming the key and the values expected",
        steps: [...history(['v1.2.3'], ['bond: x']), run({ error: /bump\.types\.james|pre-release/ }, { ...master, custom_release_rules: 'james:pre-release,bond:premajor' })]
      }
    ].map(c => ({ ...c, name: `utils › ${c.name}`, source: `${UTILS} › utils › ${c.name}` }))
  );

export const unsupported = [
  { source: `${UTILS} › utils › extracts branch from ref / test if ref is PR`, why: 'helpers of the peer, no versioning answer to compare' },
  { source: `${UTILS} › utils › method: mergeWithDefaultChangelogRules (3 tests)`, why: 'changelog sections of release notes: imgver writes Keep a Changelog files and groups GitHub Release notes by its own groups' },
  { source: `${ACTION} › custom_tag input`, why: 'no test of its own; imgver: Release-As: X.Y.Z footer or version-source file' }
];
