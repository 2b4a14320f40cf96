// PaulHatch/semantic-version's own tests (src/main.test.ts), replayed through imgver. Each case names its test;
// the peer's inputs are translated by svConfig (the README's "Coming from another tool › PaulHatch/semantic-version" table).
// The tests' default version_format is ${major}.${minor}.${patch}+${increment}: imgver has no commit counter, so
// those expectations are compared on X.Y.Z (`core`); see `unsupported` for what imgver cannot express at all.
import { yaml } from '../versioning.mjs';

const FILE = 'src/main.test.ts';

/** semantic-version inputs → imgver.yaml. */
export function svConfig(o = {}) {
  const prefix = o.tagPrefix ?? 'v';
  const pattern = (p, flags) => (flags && /^\/.+\/$/.test(p) ? `${p}${flags}` : p);
  return yaml([
    'version:',
    `  tag-format: ${JSON.stringify(`${prefix}{{version}}${o.namespace ? `-${o.namespace}` : ''}`)}`,
    o.changePath && `  trigger-paths: [${o.changePath.split(' ').map(p => JSON.stringify(`${p}/**`)).join(', ')}]`,
    o.versionFromBranch && '  from-branch: true',
    'bump:',
    '  detect: [patterns]',
    `  search-body: ${Boolean(o.searchCommitBody)}`,
    o.majorPattern !== undefined && `  major-pattern: ${JSON.stringify(pattern(o.majorPattern, o.majorFlags))}`,
    o.minorPattern !== undefined && `  minor-pattern: ${JSON.stringify(pattern(o.minorPattern, o.minorFlags))}`,
    o.ignoreCommitsPattern && `  ignore-pattern: ${JSON.stringify(o.ignoreCommitsPattern)}`,
    o.bumpEachCommit && '  each-commit: true',
    o.bumpEachCommitPatchPattern && `  patch-pattern: ${JSON.stringify(o.bumpEachCommitPatchPattern)}`,
    o.bumpEachCommitPatchPattern && '  default: none',
    o.enablePrereleaseMode && (o.bumpEachCommit ? '  pre-1: {breaking: minor}' : '  pre-1: {breaking: minor, feature: patch}'),
    // semantic-version never counts a prerelease tag as a release, nor as one pending.
    'prerelease:',
    '  aware: false'
  ]);
}

const run = (expected, o = {}) => ['run', { config: svConfig(o) }, expected];

export const cases = [
  { name: 'Empty repository version is correct', branch: 'master', steps: [run({ core: '0.0.0+0', release: false })] },
  {
    name: 'Repository with commits shows increment',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], run({ core: '0.0.1+1' })]
  },
  {
    name: 'Repository show commit for checked out commit',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], run({ core: '0.0.1+1' }), ['git', 'checkout', '-q', 'HEAD~1'], run({ core: '0.0.1+0' })]
  },
  {
    name: 'Tagging does not break version',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], ['commit', 'Third Commit'], ['tag', 'v0.0.1'], run({ core: '0.0.1+2' })]
  },
  {
    name: 'Tagging does not break version from previous tag',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', 'v0.0.1'], ['commit', 'Second Commit'], ['commit', 'Third Commit'], ['tag', 'v0.0.2'], run({ core: '0.0.2+1' })]
  },
  {
    name: 'Minor update bumps minor version and resets increment',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'feat: Second Commit'], run({ core: '0.1.0+0' })]
  },
  {
    name: 'Major update bumps major version and resets increment',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'feat!: Second Commit'], run({ core: '1.0.0+0' })]
  },
  {
    name: 'Multiple major commits are idempotent',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'feat!: Second Commit'], ['commit', 'fix!: Third Commit'], run({ core: '1.0.0+1' })]
  },
  {
    name: 'Minor commits after a major commit are ignored',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'feat!: Second Commit'], ['commit', 'feat: Third Commit'], run({ core: '1.0.0+1' })]
  },
  {
    name: 'Minor commits with conventional commit scopes bump minor version',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'feat(scope): Second Commit'], run({ core: '0.1.0+0' })]
  },
  {
    name: 'Tags start new version',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], ['tag', 'v0.0.1'], ['commit', 'Third Commit'], run({ core: '0.0.2+0' })]
  },
  {
    name: 'Version pulled from last release branch',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', 'v0.0.1'], ['commit', 'Second Commit'], ['tag', 'v5.6.7'], ['commit', 'Third Commit'], run({ core: '5.6.8+0' })]
  },
  {
    name: 'Merged tags do not affect version',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Second Commit'],
      ['commit', 'Third Commit'],
      ['git', 'checkout', '-q', '-b', 'release/0.0.1'],
      ['commit', 'Fourth Commit'],
      ['tag', 'v0.0.1'],
      ['git', 'checkout', '-q', 'master'],
      ['commit', 'Fifth Commit'],
      ['tag', 'v0.0.2'],
      ['git', 'merge', '-q', '--no-edit', 'release/0.0.1'],
      run({ core: '0.0.3+1' })
    ]
  },
  {
    name: 'Version prefixes are not required/can be empty',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '0.0.1'], ['commit', 'Second Commit'], run({ core: '0.0.2+0' }, { tagPrefix: '' })]
  },
  {
    name: 'Tag order comes from commit order, not tag create order',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Second Commit'],
      ['commit', 'Third Commit'],
      ['tag', 'v2.0.0'],
      ['tag', 'v1.0.0', 'HEAD~1'],
      ['commit', 'Fourth Commit'],
      run({ core: '2.0.1+0' })
    ]
  },
  {
    name: 'Change detection is true by default',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '0.0.1'], ['commit', 'Second Commit'], run({ release: true }, { tagPrefix: '' })]
  },
  {
    name: 'Changes to monitored path is true when change is in path',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '0.0.1'], ['commit', 'Second Commit', 'project1'], run({ release: true }, { tagPrefix: '', changePath: 'project1' })]
  },
  {
    name: 'Changes to monitored path is false when changes are not in path',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '0.0.1'], ['commit', 'Second Commit', 'project2'], run({ release: false }, { tagPrefix: '', changePath: 'project1' })]
  },
  {
    name: 'Changes can be detected without tags',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit', 'project1'], run({ release: true }, { tagPrefix: '', changePath: 'project1' })]
  },
  {
    name: 'Changes to multiple monitored path is true when change is in path',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '0.0.1'], ['commit', 'Second Commit', 'project2'], run({ release: true }, { tagPrefix: '', changePath: 'project1 project2' })]
  },
  {
    name: 'Changes to multiple monitored path is false when change is not in path',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '0.0.1'], ['commit', 'Second Commit', 'project3'], run({ release: false }, { tagPrefix: '', changePath: 'project1 project2' })]
  },
  {
    name: 'Namespace is tracked separately',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      ['commit', 'Second Commit'],
      ['tag', '0.1.0-subproject'],
      ['commit', 'Third Commit'],
      run({ core: '0.0.2+1' }, { tagPrefix: '' }),
      run({ core: '0.1.1+0' }, { tagPrefix: '', namespace: 'subproject' })
    ]
  },
  {
    name: 'Version Namespace is tracked separately',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      ['commit', 'Second Commit'],
      ['tag', 'subproject0.1.0'],
      ['commit', 'Third Commit'],
      run({ core: '0.0.2+1' }, { tagPrefix: '' }),
      run({ core: '0.1.1+0' }, { tagPrefix: 'subproject' })
    ]
  },
  {
    name: 'Namespace allows dashes',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      ['commit', 'Second Commit'],
      ['tag', '0.1.0-sub/project'],
      ['commit', 'Third Commit'],
      run({ core: '0.0.2+1' }, { tagPrefix: '' }),
      run({ core: '0.1.1+0' }, { tagPrefix: '', namespace: 'sub/project' })
    ]
  },
  {
    name: 'Commits outside of path are not counted',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], ['commit', 'Third Commit'], run({ core: '0.0.0+0', release: false }, { tagPrefix: '', changePath: 'project1' })]
  },
  {
    name: 'Commits inside path are counted',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Second Commit'],
      ['commit', 'Third Commit'],
      ['commit', 'Fourth Commit', 'project1'],
      ['commit', 'Fifth Commit', 'project1'],
      ['commit', 'Sixth Commit', 'project1'],
      run({ core: '0.0.1+2' }, { tagPrefix: '', changePath: 'project1' })
    ]
  },
  {
    name: 'Current tag is used',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], ['commit', 'Third Commit'], ['tag', '7.6.5'], run({ core: '7.6.5+0' }, { tagPrefix: '' })]
  },
  {
    name: 'Bump each commit works',
    branch: 'master',
    steps: [
      run({ core: '0.0.0+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Initial Commit'],
      run({ core: '0.0.1+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Second Commit'],
      run({ core: '0.0.2+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Third Commit'],
      run({ core: '0.0.3+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'feat: Fourth Commit'],
      run({ core: '0.1.0+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Fifth Commit'],
      run({ core: '0.1.1+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'feat!: Sixth Commit'],
      run({ core: '1.0.0+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Seventh Commit'],
      run({ core: '1.0.1+0' }, { tagPrefix: '', bumpEachCommit: true })
    ]
  },
  {
    name: 'Bump each commit picks up tags',
    branch: 'master',
    steps: [
      run({ core: '0.0.0+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Initial Commit'],
      run({ core: '0.0.1+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Second Commit'],
      run({ core: '0.0.2+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Third Commit'],
      ['tag', '3.0.0'],
      run({ core: '3.0.0+0' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Fourth Commit'],
      run({ core: '3.0.1+0' }, { tagPrefix: '', bumpEachCommit: true })
    ]
  },
  {
    name: 'Increment not affected by matching tag',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit'], ['tag', '0.0.1'], run({ core: '0.0.1+1' }, { tagPrefix: '' })]
  },
  {
    name: 'Regular expressions can be used as major tag',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit SomeValue'], run({ core: '1.0.0+0' }, { tagPrefix: '', majorPattern: '/S[a-z]+Value/' })]
  },
  {
    name: 'Regular expressions can be used as minor tag',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit SomeValue'], run({ core: '0.1.0+0' }, { tagPrefix: '', minorPattern: '/S[a-z]+Value/' })]
  },
  {
    name: 'Regular expressions and flags can be used as major tag',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit SomeValue'], run({ core: '1.0.0+0' }, { tagPrefix: '', majorPattern: '/s[a-z]+value/', majorFlags: 'i' })]
  },
  {
    name: 'Regular expressions and flags can be used as minor tag',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['commit', 'Second Commit SomeValue'], run({ core: '0.1.0+0' }, { tagPrefix: '', minorPattern: '/s[a-z]+value/', minorFlags: 'i' })]
  },
  {
    name: 'Tag prefix can include forward slash',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', 'version/1.2.3'], run({ core: '1.2.3+0' }, { tagPrefix: 'version/' })]
  },
  {
    name: 'Tags immediately before merge are detected',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Commit 1'],
      ['tag', 'v1.0.0'],
      ['commit', 'Commit 2'],
      ['git', 'checkout', '-q', '-b', 'feature/branch'],
      ['commit', 'Commit 3'],
      ['commit', 'Commit 4'],
      ['tag', 'v2.0.0'],
      ['git', 'checkout', '-q', 'master'],
      ['commit', 'Commit 5'],
      ['git', 'merge', '-q', '--no-edit', 'feature/branch'],
      run({ tag: 'v2.0.1' })
    ]
  },
  {
    name: 'Correct tag is detected on merged branches',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Commit 1'],
      ['tag', 'v1.0.0'],
      ['commit', 'Commit 2'],
      ['git', 'checkout', '-q', '-b', 'feature/branch'],
      ['commit', 'Commit 3'],
      ['tag', 'v2.0.0'],
      ['commit', 'Commit 4'],
      ['git', 'checkout', '-q', 'master'],
      ['commit', 'Commit 5'],
      ['git', 'merge', '-q', '--no-edit', 'feature/branch'],
      run({ tag: 'v2.0.1' })
    ]
  },
  {
    name: 'Correct tag is detected on multiple branches',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Commit 1'],
      ['git', 'checkout', '-q', '-b', 'feature/branch1'],
      ['tag', 'v1.0.0'],
      ['commit', 'Commit 2'],
      ['git', 'checkout', '-q', 'master'],
      ['git', 'merge', '-q', '--no-edit', 'feature/branch1'],
      ['git', 'checkout', '-q', '-b', 'feature/branch2'],
      ['commit', 'Commit 3'],
      ['tag', 'v2.0.0'],
      ['commit', 'Commit 4'],
      ['git', 'checkout', '-q', 'master'],
      ['commit', 'Commit 5'],
      ['git', 'merge', '-q', '--no-edit', 'feature/branch2'],
      run({ tag: 'v2.0.1' })
    ]
  },
  {
    name: "Correct tag is detected when versions pass 10s place",
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Commit 1'],
      ['git', 'checkout', '-q', '-b', 'feature/branch1'],
      ['tag', 'v10.15.0'],
      ['commit', 'Commit 2'],
      ['git', 'checkout', '-q', 'master'],
      ['git', 'merge', '-q', '--no-edit', 'feature/branch1'],
      ['git', 'checkout', '-q', '-b', 'feature/branch2'],
      ['commit', 'Commit 3'],
      ['tag', 'v10.7.0'],
      ['commit', 'Commit 4'],
      ['git', 'checkout', '-q', 'master'],
      ['commit', 'Commit 5'],
      ['git', 'merge', '-q', '--no-edit', 'feature/branch2'],
      run({ tag: 'v10.15.1' })
    ]
  },
  {
    name: 'Tags on unmerged branches are not considered',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Commit 1'],
      ['git', 'checkout', '-q', '-b', 'feature/branch1'],
      ['commit', 'Commit 2'],
      ['tag', 'v2.0.0'],
      ['commit', 'Commit 3'],
      ['git', 'checkout', '-q', 'master'],
      ['commit', 'Commit 4'],
      ['tag', 'v1.0.0'],
      ['commit', 'Commit 5'],
      run({ tag: 'v1.0.1' })
    ]
  },
  {
    name: 'Correct previous version is returned',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', 'v2.0.1'], ['commit', 'Second Commit'], ['commit', 'Third Commit'], run({ core: '2.0.2+1', previous: '2.0.1' })]
  },
  {
    name: 'Correct previous version is returned when multiple tags are present',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', 'v1.0.1'],
      ['commit', 'Second Commit'],
      ['tag', 'v2.0.1'],
      ['commit', 'Third Commit'],
      ['tag', 'v3.0.1'],
      ['commit', 'Fourth Commit'],
      run({ core: '3.0.2+0', previous: '3.0.1' })
    ]
  },
  {
    name: 'Correct previous version is returned when directly tagged',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', 'v2.0.1'], ['commit', 'Second Commit'], ['commit', 'Third Commit'], ['tag', 'v2.0.2'], run({ core: '2.0.2+1', previous: '2.0.1' })]
  },
  {
    name: 'Correct previous version is returned when directly tagged with multiple previous tags',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', 'v2.0.1'],
      ['commit', 'Second Commit'],
      ['tag', 'v2.0.2'],
      ['commit', 'Third Commit'],
      ['tag', 'v2.0.3'],
      run({ core: '2.0.3+0', previous: '2.0.2' })
    ]
  },
  {
    name: 'Prerelease suffixes are ignored',
    branch: 'master',
    steps: [['commit', 'feat!: Initial Commit'], ['commit', 'Second Commit'], ['tag', 'v1.0.0-alpha.1'], ['commit', 'Third Commit'], run({ core: '1.0.0+2' })]
  },
  {
    name: 'Prerelease suffixes are ignored when namespaces are set',
    branch: 'master',
    steps: [
      ['commit', 'feat!: Initial Commit'],
      ['tag', 'v1.0.0-test'],
      ['commit', 'Second Commit'],
      ['tag', 'v1.0.1-test-alpha.1'],
      ['commit', 'Third Commit'],
      run({ core: '1.0.1+1' }, { namespace: 'test' })
    ]
  },
  {
    name: 'Namespace can contains a slash',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      ['commit', 'Second Commit'],
      ['tag', '0.1.0-sub/project'],
      ['commit', 'Third Commit'],
      run({ core: '0.0.2+1' }, { tagPrefix: '' }),
      run({ core: '0.1.1+0' }, { tagPrefix: '', namespace: 'sub/project' })
    ]
  },
  {
    name: 'Namespace can contains a dot',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      ['commit', 'Second Commit'],
      ['tag', '0.1.0-sub.project'],
      ['commit', 'Third Commit'],
      ['tag', '0.2.0-sub/project'],
      ['commit', 'fourth Commit'],
      run({ core: '0.0.2+2' }, { tagPrefix: '' }),
      run({ core: '0.1.1+1' }, { tagPrefix: '', namespace: 'sub.project' })
    ]
  },
  {
    name: 'Patch increments only once',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      run({ version: '0.0.1' }, { tagPrefix: '' }),
      ['commit', 'Second Commit'],
      run({ version: '0.0.2' }, { tagPrefix: '' }),
      ['commit', 'Third Commit'],
      run({ version: '0.0.2' }, { tagPrefix: '' }),
      ['commit', 'fourth Commit'],
      run({ version: '0.0.2' }, { tagPrefix: '' })
    ]
  },
  {
    name: 'Patch increments each time when bump each commit is set',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '0.0.1'],
      run({ version: '0.0.1' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Second Commit'],
      run({ version: '0.0.2' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'Third Commit'],
      run({ version: '0.0.3' }, { tagPrefix: '', bumpEachCommit: true }),
      ['commit', 'fourth Commit'],
      run({ version: '0.0.4' }, { tagPrefix: '', bumpEachCommit: true })
    ]
  },
  ...[
    ['Patch does not increment on bump each commit if a patch pattern is set', true, ['0.0.1+0', '0.0.1+1', '0.0.1+2', '0.0.1+3']],
    ['Patch pattern increment is correct/matches non-bumped on empty repo', false, ['0.0.1+0', '0.0.1+1', '0.0.1+2', '0.0.1+3']]
  ].map(([name, tagged, expected]) => {
    const o = { tagPrefix: '', bumpEachCommit: true, bumpEachCommitPatchPattern: '(PATCH)' };
    return {
      name,
      branch: 'master',
      steps: [
        ['commit', 'Initial Commit'],
        ...(tagged ? [['tag', '0.0.1']] : []),
        run({ core: expected[0] }, o),
        ['commit', 'Second Commit'],
        run({ core: expected[1] }, o),
        ['commit', 'Third Commit'],
        run({ core: expected[2] }, o),
        ['commit', 'fourth Commit'],
        run({ core: expected[3] }, o)
      ]
    };
  }),
  {
    name: 'Patch pattern increment is correct on empty repo',
    branch: 'master',
    steps: (() => {
      const o = { tagPrefix: '', bumpEachCommit: true, bumpEachCommitPatchPattern: '(PATCH)' };
      return [
        run({ core: '0.0.0+0' }, o),
        ['commit', 'Initial Commit'],
        run({ core: '0.0.1+0' }, o),
        ['commit', 'Second Commit'],
        run({ core: '0.0.1+1' }, o),
        ['commit', 'Third Commit'],
        run({ core: '0.0.1+2' }, o),
        ['commit', 'fourth Commit'],
        run({ core: '0.0.1+3' }, o)
      ];
    })()
  },
  {
    name: 'Patch pattern applied when present using tag as initial version',
    branch: 'master',
    steps: (() => {
      const o = { tagPrefix: '', bumpEachCommit: true, bumpEachCommitPatchPattern: '(PATCH)' };
      return [
        ['commit', 'Initial Commit'],
        ['tag', '1.0.1'],
        run({ core: '1.0.1+0' }, o),
        ['commit', 'Second Commit'],
        run({ core: '1.0.1+1' }, o),
        ['commit', 'Third Commit (PATCH)'],
        run({ core: '1.0.2+0' }, o),
        ['commit', 'fourth Commit'],
        run({ core: '1.0.2+1' }, o)
      ];
    })()
  },
  {
    name: 'Prerelease tags are ignored on current commit',
    branch: 'master',
    steps: (() => {
      const o = { minorPattern: '/.*/' };
      const steps = [run({ core: '0.0.0+0', release: false }, o)];
      let i = 0;
      const commit = () => steps.push(['commit', `Commit ${i++}`]);
      const validate = (core, changed = true) => steps.push(run({ core, release: changed }, o));
      commit();
      validate('0.1.0+0');
      steps.push(['tag', 'v0.0.0']);
      validate('0.0.0+0', false);
      commit();
      validate('0.1.0+0');
      for (const [tag, after] of [['v1.0.0-rc1', '0.1.0+1'], ['v1.0.0-rc2', '0.1.0+2'], ['v1.0.0-rc3', '0.1.0+3']]) {
        steps.push(['tag', tag]);
        validate(after.replace(/\+\d+$/, `+${Number(after.split('+')[1]) - 1}`));
        commit();
        validate(after);
      }
      steps.push(['tag', 'v1.0.0']);
      validate('1.0.0+0', false);
      commit();
      validate('1.1.0+0');
      for (const [tag, n] of [['v1.1.0-rc2', 1], ['v1.1.0-rc4', 2], ['v1.1.0-rc8', 3], ['v1.1.0-rc9', 4]]) {
        steps.push(['tag', tag]);
        validate(`1.1.0+${n - 1}`);
        commit();
        validate(`1.1.0+${n}`);
      }
      return steps;
    })()
  },
  {
    name: 'Pre-release mode does not update major version if major version is 0',
    branch: 'master',
    steps: (() => {
      const o = { tagPrefix: '', enablePrereleaseMode: true };
      return [
        ['commit', 'Initial Commit'],
        run({ version: '0.0.1' }, o),
        ['commit', 'feat: Second Commit'],
        run({ version: '0.0.1' }, o),
        ['commit', 'feat!: Third Commit'],
        run({ version: '0.1.0' }, o),
        ['tag', '0.1.0'],
        ['commit', 'feat!: Fourth Commit'],
        run({ version: '0.2.0' }, o)
      ];
    })()
  },
  {
    name: 'Pre-release mode updates major version if major version is not 0',
    branch: 'master',
    steps: (() => {
      const o = { tagPrefix: '', enablePrereleaseMode: true };
      return [
        ['commit', 'Initial Commit'],
        ['tag', '1.0.0'],
        ['commit', 'Second Commit'],
        run({ version: '1.0.1' }, o),
        ['commit', 'feat: Third Commit'],
        run({ version: '1.1.0' }, o),
        ['commit', 'feat!: Fourth Commit'],
        run({ version: '2.0.0' }, o),
        ['tag', '2.0.0'],
        ['commit', 'feat!: Fifth Commit'],
        run({ version: '3.0.0' }, o)
      ];
    })()
  },
  {
    name: 'Pre-release mode with bump each commit does not update major version if major version is 0',
    branch: 'master',
    steps: (() => {
      const o = { tagPrefix: '', enablePrereleaseMode: true, bumpEachCommit: true };
      return [
        ['commit', 'Initial Commit'],
        run({ version: '0.0.1' }, o),
        ['commit', 'feat: Second Commit'],
        run({ version: '0.1.0' }, o),
        ['commit', 'feat!: Third Commit'],
        run({ version: '0.2.0' }, o),
        ['tag', '0.1.0'],
        ['commit', 'feat!: Fourth Commit'],
        run({ version: '0.2.0' }, o)
      ];
    })()
  },
  {
    name: 'Pre-release mode with bump each commit does not update major version if major version is 0, respecting patch pattern',
    branch: 'master',
    steps: (() => {
      const o = { tagPrefix: '', enablePrereleaseMode: true, bumpEachCommit: true, bumpEachCommitPatchPattern: '(PATCH)' };
      return [
        ['commit', 'Initial Commit'],
        run({ core: '0.0.1.0' }, o),
        ['commit', 'Second Commit'],
        run({ core: '0.0.1.1' }, o),
        ['commit', 'Third Commit'],
        run({ core: '0.0.1.2' }, o),
        ['commit', 'feat!: Fourth Commit'],
        run({ core: '0.1.0.0' }, o)
      ];
    })()
  },
  {
    name: 'Highest tag is chosen when multiple tags are present',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', 'v2.0.0'],
      ['tag', 'v1.0.0'],
      ['tag', 'v1.5.0'],
      run({ core: '2.0.0+0' }),
      ['tag', 'v3.0.0'],
      ['tag', 'v2.1.0'],
      run({ core: '3.0.0+0' }),
      ['commit', 'Additional Commit'],
      run({ core: '3.0.1+0' })
    ]
  },
  {
    name: 'Version branch using major version ignores other tags',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Second Commit'],
      ['git', 'checkout', '-q', '-b', 'release/v3'],
      ['tag', 'v3.0.0'],
      ['commit', 'Third Commit'],
      ['tag', 'v4.0.0'],
      ['commit', 'Fourth Commit'],
      ['commit', 'Fifth Commit'],
      run({ core: '3.0.1+2' }, { versionFromBranch: true })
    ]
  },
  {
    name: 'Versioning from branch always takes version from branch name even without tags',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['commit', 'Second Commit'],
      ['git', 'checkout', '-q', '-b', 'release/v3.2'],
      ['commit', 'Third Commit'],
      ['commit', 'Fourth Commit'],
      ['commit', 'Fifth Commit'],
      run({ core: '3.2.1+4' }, { versionFromBranch: true })
    ]
  },
  {
    name: 'Empty major pattern disables major version bumps',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '1.0.0'], ['commit', 'fix!: breaking fix'], run({ core: '1.0.1+0' }, { tagPrefix: '', majorPattern: '' })]
  },
  {
    name: 'Empty major pattern still allows normal behavior to verify test',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '1.0.0'], ['commit', 'fix!: breaking fix'], run({ core: '2.0.0+0' }, { tagPrefix: '' })]
  },
  {
    name: 'Empty minor pattern disables minor version bumps',
    branch: 'master',
    steps: [['commit', 'Initial Commit'], ['tag', '1.0.0'], ['commit', 'feat: Feature Commit'], run({ core: '1.0.1+0' }, { tagPrefix: '', minorPattern: '' })]
  },
  {
    name: 'Empty major and minor patterns result in only patch bumps',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '1.0.0'],
      ['commit', 'feat!: Breaking Change'],
      ['commit', 'feat: New Feature'],
      ['commit', 'Regular Commit'],
      run({ core: '1.0.1+2' }, { tagPrefix: '', majorPattern: '', minorPattern: '' })
    ]
  },
  {
    name: 'Commits matching ignore pattern are excluded from version calculation',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '1.0.0'],
      ['commit', 'chore: update dependencies'],
      ['commit', 'docs: update readme'],
      ['commit', 'style: fix formatting'],
      run({ core: '1.0.0+0', release: false }, { tagPrefix: '', ignoreCommitsPattern: '/^chore:|^docs:|^style:/' })
    ]
  },
  {
    name: 'Non-ignored commits still trigger version bumps',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '1.0.0'],
      ['commit', 'chore: update dependencies'],
      ['commit', 'fix: bug fix'],
      ['commit', 'docs: update readme'],
      run({ core: '1.0.1+0' }, { tagPrefix: '', ignoreCommitsPattern: '/^chore:|^docs:/' })
    ]
  },
  {
    name: 'Ignored commits do not affect major/minor detection',
    branch: 'master',
    steps: [
      ['commit', 'Initial Commit'],
      ['tag', '1.0.0'],
      ['commit', 'chore: update dependencies'],
      ['commit', 'feat: new feature'],
      ['commit', 'chore: cleanup'],
      run({ core: '1.1.0+0' }, { tagPrefix: '', ignoreCommitsPattern: '/^chore:/' })
    ]
  }
].map(c => ({ ...c, source: `${FILE} › ${c.name}` }));

/** Tests of the file imgver cannot express, and why (listed in the README). */
export const unsupported = [
  { source: `${FILE} › Format input is respected`, why: 'version_format with letters and ${increment} (M1m2p4i0): imgver versions are SemVer' },
  { source: `${FILE} › Tagged commit is flagged as release`, why: 'version_format ${major}.${minor}.${patch}-prerelease.${increment}: no commit counter, and is_tagged has no output (release=false on a tagged commit says it)' },
  { source: `${FILE} › Prerelease mode does not increment to 1.x.x`, why: 'the same version_format with -prerelease.${increment}' },
  { source: `${FILE} › Current commit is provided`, why: 'current_commit output: the plan carries the sha, there is no separate output' }
];
