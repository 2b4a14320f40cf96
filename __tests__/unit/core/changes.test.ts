import { describe, expect, it } from '@jest/globals';
import picomatch from 'picomatch';
import {
  compileFilters,
  dependencyClosure,
  dependencyProblems,
  globProblem,
  matchChanges,
  needsGlobEngine,
  pathMatcher,
  type FileChange,
  type FilterSpec
} from '../../../src/core/changes.js';
import { parseFiltersInput } from '../../../src/core/filters-input.js';
import { braceAlternatives, pathGlob } from '../../../src/core/path-glob.js';
import { parseNameStatus } from '../../../src/adapters/git.js';
import { chunkMatrix } from '../../../src/core/change-report.js';

const spec = (name: string, patterns: string[], extra: Partial<FilterSpec> = {}): FilterSpec => ({
  name,
  rules: patterns.map(pattern => ({ pattern })),
  dependsOn: [],
  ...extra
});

function matched(specs: FilterSpec[], changes: FileChange[]): Record<string, string[]> {
  expect(specs.flatMap(s => s.rules.map(r => globProblem(r.pattern))).filter(Boolean)).toEqual([]);
  const filters = compileFilters(specs, pathGlob);
  return Object.fromEntries([...matchChanges(filters, changes)].map(([name, files]) => [name, files.map(f => f.path)]));
}

const modified = (...paths: string[]): FileChange[] => paths.map(path => ({ status: 'modified', path }));

describe('globProblem', () => {
  it.each([
    ['api/**', undefined],
    ['!**/*.md', undefined],
    ['{api,web}/**', undefined],
    ['a/[ab]/c', undefined],
    ['docs/\\[draft\\]/**', undefined],
    ['', /empty/],
    ['!', /empty/],
    ['/api/**', /starts with '\/'.*'api\/\*\*'/],
    ['../x/**', /'\.\.' segment/],
    ['api/** ', /spaces/],
    ['src/{a,b/**', /unclosed '\{'/],
    ['src/a}/**', /'\}' without its '\{'/],
    ['src/[ab/**', /unclosed '\['/],
    ['src\\', /lone backslash/],
    ['!(**/*.tsx|**/*.less)', undefined],
    ['src/@(a|b)/**', undefined],
    ['docs/notes (1).md', undefined],
    ['a(b.md', undefined],
    ['!(**/*.tsx|**/*.less', /unclosed extglob group '!\(': expected '\)' to close it/],
    ['src/+(a|(b)/**', /unclosed extglob group '\+\('/]
  ])('[%#] %j → %p', (pattern, expected) => {
    const problem = globProblem(pattern);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('matchChanges', () => {
  it.each([
    ['a prefix glob matches everything under it, dot files included, and itself (as picomatch)', ['api/**'], ['api/a.ts', 'api/.env', 'api/deep/x/y', 'apix/a', 'api'], ['api/a.ts', 'api/.env', 'api/deep/x/y', 'api']],
    ['a later negation excludes', ['api/**', '!**/*.md'], ['api/a.ts', 'api/README.md'], ['api/a.ts']],
    ['negation first excludes nothing that a later glob includes', ['!**/*.md', 'api/**'], ['api/README.md'], ['api/README.md']],
    ['a glob after a negation includes again', ['api/**', '!api/docs/**', 'api/docs/openapi.yaml'], ['api/docs/x.md', 'api/docs/openapi.yaml'], ['api/docs/openapi.yaml']],
    ['root globs', ['*.go', 'go.mod'], ['main.go', 'go.mod', 'cmd/x.go'], ['main.go', 'go.mod']],
    ['globstar in the middle', ['services/**/Dockerfile'], ['services/a/Dockerfile', 'services/a/b/Dockerfile', 'Dockerfile'], ['services/a/Dockerfile', 'services/a/b/Dockerfile']],
    ['braces', ['{api,web}/**'], ['api/a', 'web/b', 'lib/c'], ['api/a', 'web/b']],
    ['a leading ./ is the repository root', ['./api/**'], ['api/a'], ['api/a']],
    ['a literal file', ['libs/common/package.json'], ['libs/common/package.json', 'libs/common/x'], ['libs/common/package.json']],
    // picomatch's answer, quirks included: inside the group, **/ needs a directory, so a root-level a.less matches.
    ['an extglob group is a glob, not an exclusion', ['!(**/*.tsx|**/*.less)'], ['src/ui.tsx', 'src/ui.less', 'src/server.py', 'a.less'], ['src/server.py', 'a.less']],
    ['an extglob group in a directory', ['src/!(gen)/**'], ['src/gen/a.ts', 'src/app/a.ts', 'src/a.ts'], ['src/app/a.ts', 'src/a.ts']],
    ['@(…) and +(…) groups', ['@(api|web)/**', '+(x)/y'], ['api/a', 'web/b', 'lib/c', 'xx/y', 'x/z'], ['api/a', 'web/b', 'xx/y']],
    ['a negated extglob group', ['**', '!!(*.md)'], ['README.md', 'go.mod', 'a/b.md'], ['README.md', 'a/b.md']],
    ['a directory glob matches the directory itself', ['{api,web}/**'], ['api', 'web', 'lib'], ['api', 'web']]
  ])('[%#] %s', (_, patterns, paths, expected) => {
    expect(matched([spec('s', patterns)], modified(...paths)).s).toEqual(expected);
  });

  it('lists a rename under the path that matched: the old one, the new one or both, in path order', () => {
    const changes: FileChange[] = [
      { status: 'modified', path: 'api/a' },
      { status: 'renamed', path: 'web/moved.ts', previous: 'api/moved.ts' },
      { status: 'renamed', path: 'api/x2', previous: 'api/x1' }
    ];
    expect(matched([spec('api', ['api/**']), spec('web', ['web/**']), spec('other', ['other/**'])], changes)).toEqual({
      api: ['api/a', 'api/moved.ts', 'api/x1', 'api/x2'],
      web: ['web/moved.ts'],
      other: []
    });
  });

  it.each([
    ['every rule must hold', ['pkg/**', '!**/*.md'], ['pkg/a.ts', 'pkg/a.md', 'x/a.ts'], ['pkg/a.ts']],
    ['two including globs: both must match', ['src/**', '**/*.ts'], ['src/a.ts', 'src/a.js', 'lib/a.ts'], ['src/a.ts']],
    ['only exclusions: everything else', ['!**/*.md', '!docs/**'], ['a.ts', 'README.md', 'docs/x', 'b/c'], ['a.ts', 'b/c']],
    ['order does not matter', ['!**/*.md', 'pkg/**'], ['pkg/a.ts', 'pkg/a.md'], ['pkg/a.ts']]
  ])('[%#] predicate-quantifier every: %s', (_, patterns, paths, expected) => {
    expect(matched([spec('s', patterns, { quantifier: 'every' })], modified(...paths)).s).toEqual(expected);
  });

  it('predicate-quantifier every: a change type limits its own rule', () => {
    const s: FilterSpec = { name: 'm', rules: [{ pattern: 'src/**', types: ['added'] }, { pattern: '!**/*.md' }], dependsOn: [], quantifier: 'every' };
    const changes: FileChange[] = [
      { status: 'added', path: 'src/a.ts' },
      { status: 'modified', path: 'src/b.ts' },
      { status: 'added', path: 'src/c.md' }
    ];
    expect(matched([s], changes).m).toEqual(['src/a.ts']);
  });

  it.each([
    ['added (a file moved in counts as added)', ['added'], ['api/new', 'api/renamed-to']],
    ['deleted only', ['deleted'], ['api/gone']],
    ['added|modified', ['added', 'modified'], ['api/new', 'api/edited', 'api/renamed-to']],
    ['renamed', ['renamed'], ['api/renamed-to']]
  ] as const)('[%#] change types: %s', (_, types, expected) => {
    const changes: FileChange[] = [
      { status: 'added', path: 'api/new' },
      { status: 'modified', path: 'api/edited' },
      { status: 'deleted', path: 'api/gone' },
      { status: 'renamed', path: 'api/renamed-to', previous: 'elsewhere/renamed-from' }
    ];
    const result = matched([spec('api', ['api/**'], { types: [...types] })], changes).api;
    expect(result).toEqual(expected);
  });

  it('per-rule change types (paths-filter style) mix with plain rules', () => {
    const s: FilterSpec = { name: 'db', rules: [{ pattern: 'db/migrations/**', types: ['added'] }, { pattern: 'db/schema.sql' }], dependsOn: [] };
    const changes: FileChange[] = [
      { status: 'modified', path: 'db/migrations/001.sql' },
      { status: 'added', path: 'db/migrations/002.sql' },
      { status: 'modified', path: 'db/schema.sql' }
    ];
    expect(matched([s], changes).db).toEqual(['db/migrations/002.sql', 'db/schema.sql']);
  });

  it('keeps each filter independent when many share a prefix index', () => {
    const specs = Array.from({ length: 50 }, (_, i) => spec(`svc${i}`, [`services/svc${i}/**`, '!**/*.md']));
    const result = matched(specs, modified('services/svc7/a.ts', 'services/svc7/README.md', 'services/svc42/b', 'README.md'));
    expect(Object.entries(result).filter(([, files]) => files.length > 0)).toEqual([
      ['svc7', ['services/svc7/a.ts']],
      ['svc42', ['services/svc42/b']]
    ]);
  });
  it('gives what testing every filter against every path gives, on generated filters and changes', () => {
    // A small seeded generator: directories that nest and share prefixes, globs of every kind, renames across filters.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const dirs = ['', 'a', 'a/b', 'a/b/c', 'a/bb', 'b', 'b/a', 'libs/x', 'libs/x/y', '.github/workflows'];
    const names = ['f.ts', 'README.md', '.env', 'Dockerfile', 'g.go'];
    const pathAt = () => {
      const dir = dirs[next(dirs.length)];
      const name = names[next(names.length)];
      return dir ? `${dir}/${name}` : name;
    };
    const globs = () => {
      const dir = dirs[1 + next(dirs.length - 1)];
      return [`${dir}/**`, '**/*.md', '**/Dockerfile', `${dir}/f.ts`, `${dir}/*.go`, 'a/**/c/**', '*.ts'][next(7)];
    };
    const specs = Array.from({ length: 25 }, (_, i) =>
      spec(
        `f${i}`,
        Array.from({ length: 1 + next(3) }, (_, r) => (r > 0 && next(2) === 0 ? `!${globs()}` : globs())),
        next(4) === 0 ? { types: [(['added', 'modified', 'deleted', 'renamed'] as const)[next(4)]] } : {}
      )
    );
    const statuses = ['added', 'modified', 'deleted', 'renamed'] as const;
    const changes: FileChange[] = Array.from({ length: 400 }, () => {
      const status = statuses[next(4)];
      const path = pathAt();
      if (status !== 'renamed') return { status, path };
      const previous = pathAt();
      return previous === path ? { status: 'modified', path } : { status, path, previous };
    });
    const filters = compileFilters(specs, pathGlob);
    // Brute force: every filter's rules, in order, on each path a change offers.
    const offers = (c: FileChange): [string, FileChange['status']][] =>
      c.status === 'renamed' && c.previous !== undefined
        ? [[c.path, 'renamed'], [c.previous, 'renamed'], [c.path, 'added'], [c.previous, 'deleted']]
        : [[c.path, c.status]];
    const ruleHit = (pattern: string, path: string) => picomatch(pattern.replace(/^!/, ''), { dot: true })(path);
    const filterHit = (s: FilterSpec, path: string, type: FileChange['status']) =>
      s.rules.reduce((hit, rule) => {
        const negate = rule.pattern.startsWith('!');
        const types = rule.types ?? s.types;
        if (types && !types.includes(type)) return hit;
        return ruleHit(rule.pattern, path) ? !negate : hit;
      }, false);
    const byPath = (a: FileChange, b: FileChange) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    // Each path of a change that the filter matched, as it offers it; lists with a rename's old path in path order.
    const expected = new Map(
      specs.map(s => {
        const listed = changes.flatMap(c => {
          const hits = new Map<string, FileChange>();
          for (const [path, type] of offers(c)) if (!hits.has(path) && filterHit(s, path, type)) hits.set(path, { ...c, path });
          return [...hits.values()];
        });
        const withOldPaths = listed.some(c => c.status === 'renamed' && c.path === c.previous);
        return [s.name, withOldPaths ? [...listed].sort(byPath) : listed];
      })
    );
    expect(matchChanges(filters, changes)).toEqual(expected);
    expect([...expected.values()].filter(list => list.length > 0).length).toBeGreaterThan(10);
  });
});

describe('needsGlobEngine', () => {
  it.each([
    [['api/**', '!api/x.md', 'go.mod', './web/**'], false],
    [['api/**', '!**/*.md', '**/Dockerfile'], false],
    [['**', '!docs/**'], false],
    [['**/*.{md,txt}'], true],
    [['src/**/*.ts'], true],
    [['{api,web}/**'], true],
    [['docs/\\[x\\]/**'], true],
    [['!(**/*.tsx|**/*.less)'], true],
    [['src/**', '!docs/**'], false]
  ])('[%#] %j → %p', (patterns, expected) => {
    expect(needsGlobEngine(patterns)).toBe(expected);
  });

  it.each([
    ['**/*.md', ['README.md', 'a/b/c.md', 'a/.md', 'a/md', 'a.md/x'], ['README.md', 'a/b/c.md', 'a/.md']],
    ['**/Dockerfile', ['Dockerfile', 'a/Dockerfile', 'a/xDockerfile', 'Dockerfile/x'], ['Dockerfile', 'a/Dockerfile']],
    ['**', ['a', '.env', 'a/b/.c', '.github/workflows/ci.yml'], ['a', '.env', 'a/b/.c', '.github/workflows/ci.yml']],
    ['api/**', ['api', 'api/x', 'apix', 'x/api/y'], ['api', 'api/x']],
    ['a|b', ['a|b', 'a', 'b'], ['a|b']]
  ])('[%#] %s without the engine matches as picomatch does', (pattern, paths, expected) => {
    const filters = compileFilters([spec('s', [pattern])]);
    expect(matchChanges(filters, modified(...paths)).get('s')!.map(f => f.path)).toEqual(expected);
    expect(paths.filter(p => picomatch(pattern, { dot: true })(p))).toEqual(expected);
  });

  it('plain prefixes and literal paths match without the engine', () => {
    const filters = compileFilters([spec('s', ['api/**', '!api/skip.txt', 'go.mod'])]);
    expect(matchChanges(filters, modified('api/a', 'api/skip.txt', 'go.mod', 'web/go.mod')).get('s')!.map(f => f.path)).toEqual(['api/a', 'go.mod']);
  });
});

describe('pathGlob (picomatch)', () => {
  it.each([
    ['{api,web}/**', ['api', 'web']],
    ['src/*.{ts,js}', ['src']],
    ['{a,b/{c,d}}/x/*', ['a/x', 'b/c/x', 'b/d/x']],
    ['{1..3}/x/*', ['']],
    ['docs/\\{x,y\\}/*', ['']],
    ['!(**/*.md)', ['']],
    ['src/!(gen)/**', ['src']]
  ])('[%#] %s is indexed under %j', (glob, bases) => {
    expect(pathGlob(glob).bases).toEqual(bases);
  });

  it('gives up on too many brace alternatives (the root then)', () => {
    expect(braceAlternatives('{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/*')).toBeUndefined();
    expect(pathGlob('{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/*').bases).toEqual(['']);
  });
});

describe('pathMatcher', () => {
  it.each([
    [['api/**'], 'api/x', true],
    [['api/**', '!api/*.md'], 'api/x.md', false],
    [['**', '!docs/**'], 'docs/a', false],
    [['**', '!docs/**'], 'src/a', true]
  ])('[%#] %j on %s → %p', (patterns, path, expected) => {
    expect(pathMatcher(patterns, pathGlob)(path)).toBe(expected);
  });
});

describe('dependencies', () => {
  const graph = [
    { name: 'api', dependsOn: ['auth'] },
    { name: 'web', dependsOn: ['common'] },
    { name: 'worker', dependsOn: [] },
    { name: 'auth', dependsOn: ['common'] },
    { name: 'common', dependsOn: [] }
  ];

  it('marks dependents transitively and records the chain', () => {
    const reasons = dependencyClosure(graph, new Map([['common', [{ status: 'modified', path: 'libs/common/x' } as FileChange]]]));
    expect(Object.fromEntries([...reasons].map(([name, r]) => [name, { changed: r.changed, via: r.via }]))).toEqual({
      api: { changed: true, via: ['auth', 'common'] },
      web: { changed: true, via: ['common'] },
      worker: { changed: false, via: undefined },
      auth: { changed: true, via: ['common'] },
      common: { changed: true, via: undefined }
    });
  });

  it('a service changed itself keeps its own files as the reason', () => {
    const reasons = dependencyClosure(graph, new Map([['api', [{ status: 'modified', path: 'api/x' } as FileChange]]]));
    expect(reasons.get('api')).toEqual({ changed: true, files: [{ status: 'modified', path: 'api/x' }] });
    expect(reasons.get('auth')!.changed).toBe(false);
  });

  it.each([
    ['an unknown name', [{ name: 'api', dependsOn: ['nope'] }], /depends on "nope", which is neither a service nor a lib \(known: api\)/, ['api', 0]],
    ['itself', [{ name: 'api', dependsOn: ['api'] }], /depends on itself/, ['api', 0]],
    [
      'a cycle',
      [
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['c'] },
        { name: 'c', dependsOn: ['a'] }
      ],
      /dependency cycle: a → b → c → a/,
      ['a', 0]
    ]
  ])('[%#] reports %s with its location', (_, specs, message, where) => {
    const problems = dependencyProblems(specs, (name, i) => [name, i]);
    expect(problems[0].message).toMatch(message);
    expect(problems[0].path).toEqual(where);
  });
});

describe('parseNameStatus', () => {
  it('reads git diff --name-status -z, renames with both paths', () => {
    const out = ['M', 'api/a.ts', 'A', 'web/new file.ts', 'D', 'old', 'R100', 'from/x', 'to/x', 'T', 'link', ''].join('\0');
    expect(parseNameStatus(out)).toEqual([
      { status: 'modified', path: 'api/a.ts' },
      { status: 'added', path: 'web/new file.ts' },
      { status: 'deleted', path: 'old' },
      { status: 'renamed', path: 'to/x', previous: 'from/x' },
      { status: 'modified', path: 'link' }
    ]);
  });
});

describe('parseFiltersInput (dorny/paths-filter syntax)', () => {
  it('reads lists, anchors and change-type keys', () => {
    const specs = parseFiltersInput(
      [
        'shared: &shared',
        "  - 'libs/**'",
        'api:',
        '  - *shared',
        "  - 'api/**'",
        "  - added|modified: 'api/migrations/**'",
        'docs: docs/**'
      ].join('\n')
    );
    expect(specs).toEqual([
      { name: 'shared', rules: [{ pattern: 'libs/**', types: undefined }], dependsOn: [] },
      {
        name: 'api',
        rules: [
          { pattern: 'libs/**', types: undefined },
          { pattern: 'api/**', types: undefined },
          { pattern: 'api/migrations/**', types: ['added', 'modified'] }
        ],
        dependsOn: []
      },
      { name: 'docs', rules: [{ pattern: 'docs/**', types: undefined }], dependsOn: [] }
    ]);
  });

  it.each([
    ['api: [api/**]\nweb:\n  - changed: web/**', /Input 'filters' line 3: filter "web": unknown change type "changed"/],
    ['api:\n  - /api/**', /Input 'filters' line 2: filter "api": glob "\/api\/\*\*" starts with '\/'/],
    ['- api/**', /Input 'filters' line 1: expected a mapping of filter names/],
    ['api:\n  - 42', /line 2: filter "api": expected a glob/],
    ['api: [a/**]\napi: [b/**]', /Input 'filters' line 2: Map keys must be unique/],
    ['api: []', /filter "api" has no globs/],
    ['api: [unclosed', /Input 'filters' line 1/]
  ])('[%#] %j is a clear error', (text, message) => {
    expect(() => parseFiltersInput(text)).toThrow(message);
  });
});

describe('chunkMatrix', () => {
  const entry = (i: number) => ({ service: `s${i}`, image: `i${i}`, context: `s${i}`, dockerfile: `s${i}/Dockerfile` });
  it.each([
    [0, 256, [0]],
    [3, 256, [3]],
    [256, 256, [256]],
    [257, 256, [256, 1]],
    [600, 256, [256, 256, 88]]
  ])('[%#] %d entries in chunks of %d → %j', (count, size, sizes) => {
    const chunks = chunkMatrix(Array.from({ length: count }, (_, i) => entry(i)), size);
    expect(chunks.map(c => c.include.length)).toEqual(sizes);
  });
});
