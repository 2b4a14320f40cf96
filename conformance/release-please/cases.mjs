// googleapis/release-please's versioning-strategy tests (test/versioning-strategies/*.ts), expressed through the imgver
// CLI in real repositories. release-please's strategies take a previous version and a list of commits; here the
// previous version is a real tag, the commits real commits after it (oldest first). A previous prerelease
// X.Y.Z-pre stands in a repository after the release it builds on (X.Y.Z-1: 1.0.1-beta after 1.0.0, 1.1.0-beta after
// 1.0.0, 2.0.0-beta after 1.0.0), which the case tags too. The strategy options are translated by rpConfig (the
// README's "Coming from another tool › googleapis/release-please").
import { yaml } from '../versioning.mjs';

const DIR = 'test/versioning-strategies';
const RELEASE_AS_ON_PRERELEASE =
  'on a line whose releases are prereleases, imgver makes Release-As: 3.1.2 the prerelease 3.1.2-beta (the peer releases 3.1.2 outright); a Release-As on a line without prereleases releases it as written';

const BREAKING = ['feat: some feature', 'fix!: some bugfix', 'docs: some documentation'];
const FEATURE = ['feat: some feature', 'fix: some bugfix', 'docs: some documentation'];
const FIX = ['fix: some bugfix', 'docs: some documentation'];

/** release-please strategy options → imgver.yaml. */
export function rpConfig(o = {}) {
  const pre1 = [o.bumpMinorPreMajor && 'breaking: minor', o.bumpPatchForMinorPreMajor && 'feature: patch'].filter(Boolean);
  return yaml([
    'bump:',
    '  detect: [conventional]',
    '  default: none',
    pre1.length > 0 && `  pre-1: {${pre1.join(', ')}}`,
    o.prerelease && 'prerelease:',
    o.prerelease && '  enabled: true',
    o.prerelease && `  id: ${o.prereleaseType ?? 'beta'}`,
    o.prerelease && '  numbering: bare-then-1',
    o.prerelease && '  keep-label: true'
  ]);
}

/** The release a prerelease builds on, or undefined (0.0.0 is imgver's initial version already). */
export function priorRelease(version) {
  const m = version.match(/^(\d+)\.(\d+)\.(\d+)-/);
  if (!m) return undefined;
  const [major, minor, patch] = m.slice(1).map(Number);
  const prior = patch > 0 ? [major, minor, patch - 1] : minor > 0 ? [major, minor - 1, 0] : major > 0 ? [major - 1, 0, 0] : undefined;
  return prior && prior.join('.') !== '0.0.0' ? prior.join('.') : undefined;
}

/** release-please lists commits newest first; they are committed oldest first. */
function bumpCase(file, name, old, commits, options, expected, extra = {}) {
  const prior = priorRelease(old);
  const steps = [['commit', 'initial']];
  if (prior) steps.push(['tag', `v${prior}`], ['commit', 'chore: prerelease work']);
  steps.push(['tag', `v${old}`]);
  for (const message of [...commits].reverse()) steps.push(['empty', message]);
  steps.push(['run', { config: rpConfig(options), args: options.args }, { version: expected, ...extra }]);
  return { name, source: `${DIR}/${file} › ${name}`, branch: 'main', steps };
}

const table = (file, prefix, commits, options, bumps) =>
  Object.entries(bumps).map(([old, expected]) => bumpCase(file, `${prefix} › can bump ${old} to ${expected}`, old, commits, options, expected));

export const cases = [
  // default.ts
  bumpCase('default.ts', 'DefaultVersioningStrategy › with breaking change › can bump a major', '1.2.3', BREAKING, {}, '2.0.0'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with breaking change › can bump a major on pre major for breaking change', '0.1.2', BREAKING, {}, '1.0.0'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with breaking change › can bump a minor pre major for breaking change', '0.1.2', BREAKING, { bumpMinorPreMajor: true }, '0.2.0'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with a feature › can bump a minor', '1.2.3', FEATURE, {}, '1.3.0'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with a feature › can bump a minor pre-major', '0.1.2', FEATURE, {}, '0.2.0'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with a feature › can bump a patch pre-major', '0.1.2', FEATURE, { bumpPatchForMinorPreMajor: true }, '0.1.3'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with a fix › can bump a patch', '1.2.3', FIX, {}, '1.2.4'),
  bumpCase('default.ts', 'DefaultVersioningStrategy › with release-as › sets the version', '1.2.3', ['feat: some feature', 'fix!: some bugfix\n\nRelease-As: 3.1.2', 'docs: some documentation'], {}, '3.1.2'),
  bumpCase(
    'default.ts',
    'DefaultVersioningStrategy › with release-as › handles multiple release-as commits',
    '1.2.3',
    ['feat: some feature', 'fix!: some bugfix\n\nRelease-As: 3.1.2', 'docs: some documentation', 'fix!: some bugfix\n\nRelease-As: 2.0.0'],
    {},
    '3.1.2'
  ),
  // always-bump-major.ts / always-bump-minor.ts: the strategy bumps whatever the commits say.
  ...[
    ['always-bump-major.ts', 'AlwaysBumpMajor', 'major', [['bumps major', BREAKING], ['bumps major for minor', FEATURE], ['bumps major for patch', FIX]], '2.0.0'],
    ['always-bump-minor.ts', 'AlwaysBumpMinor', 'minor', [['bumps minor for major', BREAKING], ['bumps minor', FEATURE], ['bumps minor for patch', FIX]], '1.3.0']
  ].flatMap(([file, describe, level, tests, expected]) =>
    tests.map(([name, commits]) => bumpCase(file, `${describe} › ${name}`, '1.2.3', commits, { args: ['--bump', level] }, expected))
  ),
  // prerelease.ts
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with breaking change › without prerelease type', BREAKING, { prerelease: true }, {
    '1.0.0-beta01': '1.0.0-beta02',
    '2.0.0-beta01': '2.0.0-beta02',
    '1.0.1-beta01': '2.0.0-beta01',
    '1.1.0-beta01': '2.0.0-beta01',
    '1.1.1-beta01': '2.0.0-beta01'
  }),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with breaking change › with prerelease type', BREAKING, { prerelease: true, prereleaseType: 'beta' }, {
    '1.2.3': '2.0.0-beta',
    '0.1.2': '1.0.0-beta',
    '1.0.0-alpha': '1.0.0-alpha.1',
    '1.0.0-beta': '1.0.0-beta.1',
    '2.0.0-beta': '2.0.0-beta.1',
    '1.0.1-beta': '2.0.0-beta',
    '1.1.0-beta': '2.0.0-beta',
    '1.1.1-beta': '2.0.0-beta',
    '1.0.0-beta01': '1.0.0-beta02',
    '2.0.0-beta01': '2.0.0-beta02',
    '1.0.1-beta01': '2.0.0-beta01',
    '1.1.0-beta01': '2.0.0-beta01',
    '1.1.1-beta01': '2.0.0-beta01',
    '1.0.0-beta2023.1': '1.0.0-beta2023.2',
    '2.0.0-beta2023.1': '2.0.0-beta2023.2',
    '1.0.1-beta2023.1': '2.0.0-beta2023.1',
    '1.1.0-beta2023.1': '2.0.0-beta2023.1',
    '1.1.1-beta2023.1': '2.0.0-beta2023.1'
  }),
  bumpCase(
    'prerelease.ts',
    'PrereleaseVersioningStrategy › with breaking change › with prerelease type › can bump a minor pre major for breaking change',
    '0.1.2',
    BREAKING,
    { prerelease: true, bumpMinorPreMajor: true, prereleaseType: 'beta' },
    '0.2.0-beta'
  ),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with breaking change › without prerelease property', BREAKING, {}, {
    '1.2.3': '2.0.0',
    '1.0.0-beta01': '1.0.0',
    '1.1.0-beta01': '2.0.0',
    '1.3.0-alpha': '2.0.0',
    '1.3.0-alpha.1': '2.0.0'
  }),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with a feature › without prerelease type', FEATURE, { prerelease: true }, {
    '1.0.0-beta01': '1.0.0-beta02',
    '2.0.0-beta01': '2.0.0-beta02',
    '1.0.1-beta01': '1.1.0-beta01',
    '1.1.0-beta01': '1.1.0-beta02',
    '1.1.1-beta01': '1.2.0-beta01'
  }),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with a feature › with prerelease type', FEATURE, { prerelease: true, prereleaseType: 'beta' }, {
    '1.2.3': '1.3.0-beta',
    '0.1.2': '0.2.0-beta',
    '1.0.0-alpha': '1.0.0-alpha.1',
    '1.0.0-beta': '1.0.0-beta.1',
    '2.0.0-beta': '2.0.0-beta.1',
    '1.0.1-beta': '1.1.0-beta',
    '1.1.0-alpha': '1.1.0-alpha.1',
    '1.1.0-beta': '1.1.0-beta.1',
    '1.1.1-beta': '1.2.0-beta',
    '1.0.0-beta01': '1.0.0-beta02',
    '2.0.0-beta01': '2.0.0-beta02',
    '1.0.1-beta01': '1.1.0-beta01',
    '1.1.0-beta01': '1.1.0-beta02',
    '1.1.1-beta01': '1.2.0-beta01',
    '1.0.0-beta2023.1': '1.0.0-beta2023.2',
    '2.0.0-beta2023.1': '2.0.0-beta2023.2',
    '1.0.1-beta2023.1': '1.1.0-beta2023.1',
    '1.1.0-beta2023.1': '1.1.0-beta2023.2',
    '1.1.1-beta2023.1': '1.2.0-beta2023.1'
  }),
  bumpCase(
    'prerelease.ts',
    'PrereleaseVersioningStrategy › with a feature › with prerelease type › can bump a patch pre-major',
    '0.1.2',
    FEATURE,
    { prerelease: true, bumpPatchForMinorPreMajor: true, prereleaseType: 'beta' },
    '0.1.3-beta'
  ),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with a feature › without prerelease property', FEATURE, {}, {
    '1.2.3': '1.3.0',
    '1.0.0-beta01': '1.0.0',
    '1.1.0-beta01': '1.1.0',
    '1.3.0-alpha': '1.3.0',
    '1.3.0-alpha.1': '1.3.0'
  }),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with a fix › without prerelease type', FIX, { prerelease: true }, {
    '1.0.0-beta01': '1.0.0-beta02',
    '2.0.0-beta01': '2.0.0-beta02',
    '1.0.1-beta01': '1.0.1-beta02',
    '1.1.0-beta01': '1.1.0-beta02',
    '1.1.1-beta01': '1.1.1-beta02',
    '1.0.0-beta1': '1.0.0-beta2',
    '1.0.0-beta9': '1.0.0-beta10',
    '1.0.0-beta09': '1.0.0-beta10'
  }),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with a fix › with prerelease type', FIX, { prerelease: true, prereleaseType: 'beta' }, {
    '1.2.3': '1.2.4-beta',
    '1.2.4-alpha': '1.2.4-alpha.1',
    '1.2.4-beta': '1.2.4-beta.1',
    '1.0.0-beta01': '1.0.0-beta02',
    '2.0.0-beta01': '2.0.0-beta02',
    '1.0.1-beta01': '1.0.1-beta02',
    '1.1.0-beta01': '1.1.0-beta02',
    '1.1.1-beta01': '1.1.1-beta02',
    '1.0.0-beta1': '1.0.0-beta2',
    '1.0.0-beta9': '1.0.0-beta10',
    '1.0.0-beta09': '1.0.0-beta10',
    '1.0.0-beta2023.1': '1.0.0-beta2023.2',
    '2.0.0-beta2023.1': '2.0.0-beta2023.2',
    '1.0.1-beta2023.1': '1.0.1-beta2023.2',
    '1.1.0-beta2023.1': '1.1.0-beta2023.2',
    '1.1.1-beta2023.1': '1.1.1-beta2023.2'
  }),
  ...table('prerelease.ts', 'PrereleaseVersioningStrategy › with a fix › without prerelease property', FIX, {}, {
    '1.2.3': '1.2.4',
    '1.0.0-beta01': '1.0.0',
    '1.1.0-beta01': '1.1.0',
    '1.2.4-alpha': '1.2.4',
    '1.2.4-alpha.1': '1.2.4'
  }),
  {
    ...bumpCase('prerelease.ts', 'PrereleaseVersioningStrategy › with release-as › sets the version', '1.2.3', ['feat: some feature', 'fix!: some bugfix\n\nRelease-As: 3.1.2', 'docs: some documentation'], { prerelease: true }, '3.1.2-beta'),
    differs: RELEASE_AS_ON_PRERELEASE
  },
  {
    ...bumpCase(
      'prerelease.ts',
      'PrereleaseVersioningStrategy › with release-as › handles multiple release-as commits',
      '1.2.3',
      ['feat: some feature', 'fix!: some bugfix\n\nRelease-As: 3.1.2', 'docs: some documentation', 'fix!: some bugfix\n\nRelease-As: 2.0.0'],
      { prerelease: true },
      '3.1.2-beta'
    ),
    differs: RELEASE_AS_ON_PRERELEASE
  }
];

/** What the CLI cannot express, and why (the README lists it). */
export const unsupported = [
  {
    source: `${DIR}/prerelease.ts › … › without prerelease type › can bump 1.2.3 to 2.0.0, 0.1.2 to 1.0.0, 1.2.3 to 1.3.0, 0.1.2 to 0.2.0, 1.2.3 to 1.2.4, a minor pre major for breaking change, a patch pre-major (7 tests)`,
    why: "prerelease: true without a prerelease type continues a pending prerelease but releases a release: imgver's prerelease setting always gives a prerelease"
  },
  { source: `${DIR}/java.ts (25 tests)`, why: 'Java -SNAPSHOT and service-pack (-sp.N) version forms; its DefaultVersioning tests repeat default.ts' },
  { source: `${DIR}/java-add-snapshot.ts (4 tests)`, why: 'Java -SNAPSHOT versions' },
  { source: `${DIR}/dependency-manifest.ts (18 tests)`, why: 'bumps from dependency updates in manifest files (deps: commits of language manifests)' }
];
