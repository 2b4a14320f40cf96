// dorny/paths-filter's own test cases, as data: each names the peer's test file and test, the filters (YAML, as the
// test writes them), the changes a real repository gets, and the peer's answer: per filter, the files it lists (in
// git's order), or the text of its `<filter>_files` output for a list-files format, or an error.
//
// A scenario's `changes` are made as one commit on top of a base commit that holds every file modified, deleted or
// renamed: { added: [path], modified: [path], deleted: [path], renamed: [[from, to]] }. `history` scenarios build a
// forked history instead (see run.mjs). `worktree` scenarios leave the changes staged or unstaged, uncommitted.

const filterTest = name => `__tests__/filter.test.ts › ${name}`;

export const cases = [
  // __tests__/filter.test.ts › yaml filter parsing tests
  {
    source: filterTest('yaml filter parsing tests › throws if yaml is not a dictionary'),
    filters: 'not a dictionary',
    scenarios: [{ changes: { modified: ['src/a.js'] }, error: /filters.*expected a mapping of filter names/ }]
  },
  {
    source: filterTest('yaml filter parsing tests › throws if pattern is not a string'),
    filters: `
    src:
      - src/**/*.js
      - dict:
          some: value
    `,
    scenarios: [{ changes: { modified: ['src/a.js'] }, error: /filters.*line 4.*filter "src".*"dict"/ }]
  },

  // __tests__/filter.test.ts › matching tests
  {
    source: filterTest('matching tests › matches single inline rule'),
    filters: `
    src: "src/**/*.js"
    `,
    scenarios: [{ changes: { modified: ['src/app/module/file.js'] }, expect: { src: ['src/app/module/file.js'] } }]
  },
  {
    source: filterTest('matching tests › matches single rule in single group'),
    filters: `
    src:
      - src/**/*.js
    `,
    scenarios: [{ changes: { modified: ['src/app/module/file.js'] }, expect: { src: ['src/app/module/file.js'] } }]
  },
  {
    source: filterTest('matching tests › no match when file is in different folder'),
    filters: `
    src:
      - src/**/*.js
    `,
    scenarios: [{ changes: { modified: ['not_src/other_file.js'] }, expect: { src: [] } }]
  },
  {
    source: filterTest('matching tests › match only within second groups '),
    filters: `
    src:
      - src/**/*.js
    test:
      - test/**/*.js
    `,
    scenarios: [{ changes: { modified: ['test/test.js'] }, expect: { src: [], test: ['test/test.js'] } }]
  },
  {
    source: filterTest('matching tests › match only withing second rule of single group'),
    filters: `
    src:
      - src/**/*.js
      - test/**/*.js
    `,
    scenarios: [{ changes: { modified: ['test/test.js'] }, expect: { src: ['test/test.js'] } }]
  },
  {
    source: filterTest('matching tests › matches anything'),
    filters: `
    any:
      - "**"
    `,
    scenarios: [{ changes: { modified: ['test/test.js'] }, expect: { any: ['test/test.js'] } }]
  },
  {
    source: filterTest('matching tests › globbing matches path where file or folder name starts with dot'),
    filters: `
    dot:
      - "**/*.js"
    `,
    scenarios: [{ changes: { modified: ['.test/.test.js'] }, expect: { dot: ['.test/.test.js'] } }]
  },
  {
    source: filterTest('matching tests › matches all except tsx and less files (negate a group with or-ed parts)'),
    filters: `
    backend:
      - '!(**/*.tsx|**/*.less)'
    `,
    scenarios: [
      { changes: { modified: ['src/ui.tsx'] }, expect: { backend: [] } },
      { changes: { modified: ['src/ui.less'] }, expect: { backend: [] } },
      { changes: { modified: ['src/server.py'] }, expect: { backend: ['src/server.py'] } }
    ]
  },
  {
    source: filterTest('matching tests › matches only files that are matching EVERY pattern when set to PredicateQuantifier.EVERY'),
    filters: `
    backend:
      - 'pkg/a/b/c/**'
      - '!**/*.jpeg'
      - '!**/*.md'
    `,
    options: { 'predicate-quantifier': 'every' },
    scenarios: [
      {
        changes: { modified: ['pkg/a/b/c/some-class.ts', 'pkg/a/b/c/src/main/some-class.ts'] },
        expect: { backend: ['pkg/a/b/c/some-class.ts', 'pkg/a/b/c/src/main/some-class.ts'] }
      },
      { changes: { modified: ['pkg/x/y/z/some-class.ts', 'pkg/x/y/z/src/main/some-class.ts'] }, expect: { backend: [] } },
      {
        changes: { modified: ['pkg/a/b/c/some-pics.jpeg', 'pkg/a/b/c/src/main/jpeg/some-pic.jpeg', 'pkg/a/b/c/src/main/some-docs.md', 'pkg/a/b/c/some-docs.md'] },
        expect: { backend: [] }
      },
      { changes: { modified: ['pkg/x/y/z/some-pic.jpeg', 'pkg/x/y/z/src/main/jpeg/some-pic.jpeg'] }, expect: { backend: [] } }
    ]
  },
  {
    source: filterTest('matching tests › matches path based on rules included using YAML anchor'),
    filters: `
    shared: &shared
      - common/**/*
      - config/**/*
    src:
      - *shared
      - src/**/*
    `,
    scenarios: [{ changes: { modified: ['config/settings.yml'] }, expect: { src: ['config/settings.yml'] } }]
  },

  // __tests__/filter.test.ts › matching specific change status
  {
    source: filterTest('matching specific change status › does not match modified file as added'),
    filters: `
    add:
      - added: "**/*"
    `,
    scenarios: [{ changes: { modified: ['file.js'] }, expect: { add: [] } }]
  },
  {
    source: filterTest('matching specific change status › match added file as added'),
    filters: `
    add:
      - added: "**/*"
    `,
    scenarios: [{ changes: { added: ['file.js'] }, expect: { add: ['file.js'] } }]
  },
  {
    source: filterTest('matching specific change status › matches when multiple statuses are configured'),
    filters: `
    addOrModify:
      - added|modified: "**/*"
    `,
    scenarios: [{ changes: { modified: ['file.js'] }, expect: { addOrModify: ['file.js'] } }]
  },
  {
    source: filterTest('matching specific change status › matches when using an anchor'),
    filters: `
    shared: &shared
      - common/**/*
      - config/**/*
    src:
      - modified: *shared
    `,
    // The test lists config/file.js first; git lists changes in path order, as the peer's git mode does.
    scenarios: [{ changes: { modified: ['config/file.js', 'common/anotherFile.js'] }, expect: { src: ['common/anotherFile.js', 'config/file.js'] } }]
  },

  // __tests__/git.test.ts
  {
    source: '__tests__/git.test.ts › parsing output of the git diff command › parseGitDiffOutput returns files with correct change status',
    filters: `
    all: '**'
    added:
      - added: '**'
    modified:
      - modified: '**'
    deleted:
      - deleted: '**'
    `,
    scenarios: [
      {
        changes: { added: ['LICENSE'], modified: ['src/index.ts'], deleted: ['src/main.ts'] },
        expect: { all: ['LICENSE', 'src/index.ts', 'src/main.ts'], added: ['LICENSE'], modified: ['src/index.ts'], deleted: ['src/main.ts'] }
      }
    ]
  },
  // getShortName and isGitSha decide how the base input is read: a branch or tag (any spelling) is compared from its
  // merge-base with the head; a 40-hex commit SHA directly. Replayed on a fork where master moved on after feature
  // branched off at v1: merge-base → [feature.txt]; the tip of master directly → [feature.txt, main.txt].
  ...[
    ['refs/heads/master', ['feature.txt']],
    ['heads/master', ['feature.txt']],
    ['master', ['feature.txt']],
    ['refs/tags/v1', ['feature.txt']],
    ['tags/v1', ['feature.txt']],
    ['v1', ['feature.txt']]
  ].map(([base, files]) => ({
    source: `__tests__/git.test.ts › git utility function tests (those not invoking git) › Trims "refs/" and "heads/" from ref (base ${base})`,
    filters: "all: '**'",
    scenarios: [{ history: 'fork', base, expect: { all: files } }]
  })),
  ...[
    ['<sha of master>', ['feature.txt', 'main.txt']],
    ['This_is_very_long_name_for_a_branch_1111', ['feature.txt']],
    ['master', ['feature.txt']]
  ].map(([base, files]) => ({
    source: `__tests__/git.test.ts › git utility function tests (those not invoking git) › isGitSha(ref) returns true only for 40 characters of a-z and 0-9 (base ${base})`,
    filters: "all: '**'",
    scenarios: [{ history: 'fork', base, expect: { all: files } }]
  })),

  // __tests__/shell-escape.test.ts and __tests__/csv-escape.test.ts: a changed file of that name, listed in that format.
  ...[
    ['escape() backslash escapes every character except subset of definitely safe characters › simple filename should not be modified', 'escape', 'file.txt', 'file.txt'],
    ['escape() backslash escapes every character except subset of definitely safe characters › directory separator should be preserved and not escaped', 'escape', 'path/to/file.txt', 'path/to/file.txt'],
    ['escape() backslash escapes every character except subset of definitely safe characters › spaces should be escaped with backslash', 'escape', 'file with space', 'file\\ with\\ space'],
    ['escape() backslash escapes every character except subset of definitely safe characters › quotes should be escaped with backslash', 'escape', 'file\'with quote"', 'file\\\'with\\ quote\\"'],
    ['escape() backslash escapes every character except subset of definitely safe characters › $variables should be escaped', 'escape', '$var', '\\$var'],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › simple filename should not be modified', 'shell', 'file.txt', 'file.txt'],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › directory separator should be preserved and not escaped', 'shell', 'path/to/file.txt', 'path/to/file.txt'],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › filename with spaces should be quoted', 'shell', 'file with space', "'file with space'"],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › filename with spaces should be quoted (the second test of that name)', 'shell', 'file with space', "'file with space'"],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › filename with $ should be quoted', 'shell', '$var', "'$var'"],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › filename with " should be quoted', 'shell', 'file"name', "'file\"name'"],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › filename with single quote should be wrapped in double quotes', 'shell', "file'with quote", '"file\'with quote"'],
    ['shellEscape() returns human readable filenames with as few escaping applied as possible › filename with single quote and special characters is split and quoted/escaped as needed', 'shell', "file'with $quote", "file\\''with $quote'"]
  ].map(([test, format, file, listed]) => ({
    source: `__tests__/shell-escape.test.ts › ${test}`,
    filters: "all: '**'",
    options: { 'list-files': format },
    scenarios: [{ changes: { added: [file] }, listed: { all: listed } }]
  })),
  ...[
    ['simple filename should not be modified', 'file.txt', 'file.txt'],
    ['directory separator should be preserved and not escaped', 'path/to/file.txt', 'path/to/file.txt'],
    ['filename with spaces should be quoted', 'file with space', '"file with space"'],
    ['filename with "," should be quoted', 'file, with coma', '"file, with coma"'],
    ['Double quote should be escaped by another double quote', 'file " with double quote', '"file "" with double quote"']
  ].map(([test, file, listed]) => ({
    source: `__tests__/csv-escape.test.ts › csvEscape() backslash escapes every character except subset of definitely safe characters › ${test}`,
    filters: "all: '**'",
    options: { 'list-files': 'csv' },
    scenarios: [{ changes: { added: [file] }, listed: { all: listed } }]
  }))
,

  // README.md: behaviour the peer documents without a unit test of its own, replayed the same way.
  {
    source: 'README.md › Examples › Local changes: Detect staged and unstaged local changes (base: HEAD)',
    filters: `
    src: 'src/**'
    docs: 'docs/**'
    `,
    options: { base: 'HEAD' },
    scenarios: [
      { worktree: { staged: { 'src/staged.ts': 'new' }, unstaged: { 'docs/readme.md': 'edited' }, untracked: { 'src/untracked.ts': 'x' } }, expect: { src: ['src/staged.ts'], docs: ['docs/readme.md'] } }
    ]
  },
  {
    source: 'README.md › Outputs › ${FILTER_NAME}_count and changes (a JSON array of the filters that match)',
    filters: `
    src: 'src/**'
    docs: 'docs/**'
    ci: '.github/**'
    `,
    scenarios: [{ changes: { added: ['src/a.ts', 'src/b.ts'], modified: ['docs/x.md'] }, expect: { src: ['src/a.ts', 'src/b.ts'], docs: ['docs/x.md'], ci: [] }, expectChanges: ['src', 'docs'] }]
  },
  {
    source: 'README.md › Examples › Passing list of modified files as JSON array to another action (list-files: json)',
    filters: `
    changed:
      - '**'
    `,
    options: { 'list-files': 'json' },
    scenarios: [{ changes: { added: ['a b.md'], modified: ['c.md'] }, listed: { changed: '["a b.md","c.md"]' } }]
  },
  {
    source: "README.md › Examples › Consider if file was added, modified or deleted (list-files: shell, added|modified: '*.md')",
    filters: `
    markdown:
      - added|modified: '*.md'
    `,
    options: { 'list-files': 'shell' },
    scenarios: [{ changes: { added: ['new doc.md'], modified: ['README.md'], deleted: ['old.md'] }, listed: { markdown: "README.md 'new doc.md'" } }]
  },
  // The peer's git mode runs git diff --no-renames: a moved file is its old path deleted and its new path added, so
  // each filter lists the path it matched.
  {
    source: 'src/git.ts › getChanges (git diff --no-renames): a rename is a deletion and an addition',
    filters: `
    old:
      - 'legacy/**'
    new:
      - 'modern/**'
    both:
      - '**/*.ts'
    deleted:
      - deleted: '**'
    added:
      - added: '**'
    `,
    scenarios: [
      {
        changes: { renamed: [['legacy/x.ts', 'modern/x.ts']] },
        expect: { old: ['legacy/x.ts'], new: ['modern/x.ts'], both: ['legacy/x.ts', 'modern/x.ts'], deleted: ['legacy/x.ts'], added: ['modern/x.ts'] }
      }
    ]
  }
];
