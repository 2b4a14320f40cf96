import { parse } from 'yaml';

/**
 * imgver init, the pure part: from what a repository holds (its files, a few of their contents, its tags, recent
 * commit subjects, its remote), propose an imgver.yaml and a starter workflow, with the reason for every choice.
 */
export interface RepoFacts {
  /** Repository-relative paths of the files (tracked and untracked, not ignored). */
  files: string[];
  /** Contents of the files init reads (Chart.yaml and values files, version files, workflows, Dockerfiles). */
  contents: Record<string, string>;
  tags: string[];
  /** Subjects of recent commits, newest first. */
  subjects: string[];
  originUrl?: string;
  defaultBranch: string;
  /** The repository directory's name, the last resort for a root service's name. */
  directoryName: string;
}

export interface Finding {
  /** What was found or chosen, e.g. "service api". */
  what: string;
  why: string;
}

export interface InitService {
  name: string;
  context: string;
  dockerfile: string;
}

export interface InitChart {
  path: string;
  images: Record<string, string | { path: string; form: 'reference' }>;
}

export interface InitProposal {
  services: InitService[];
  libs: { name: string; path: string; usedBy: string[] }[];
  charts: InitChart[];
  version: { source: 'git-tag' | 'file'; scheme: 'unified' | 'per-service'; tagFormat?: string; file?: string };
  conventional: boolean;
  image: string;
  registry: string;
  findings: Finding[];
}

/** Which files init reads the contents of. */
export function wantsContent(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (isDockerfile(path)) return true;
  if (base === 'Chart.yaml' || /^values[\w.-]*\.ya?ml$/.test(base)) return true;
  if (path === 'VERSION' || path === 'package.json' || path === 'version.json') return true;
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return true;
  return /(^|\/)package\.json$/.test(path) && path.split('/').length <= 3;
}

const SKIP_DIRS = /(^|\/)(node_modules|vendor|\.git|dist|build|target|testdata)\//;

export function isDockerfile(path: string): boolean {
  if (SKIP_DIRS.test(path)) return false;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'Dockerfile' || /^Dockerfile\.[A-Za-z0-9_-]+$/.test(base) || /^[A-Za-z0-9_-]+\.Dockerfile$/.test(base);
}

function dirOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '.' : path.slice(0, cut);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A name the config accepts as a service name (lower case, digits, . _ -). */
export function serviceName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/^@[^/]+\//, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return name || 'app';
}

function packageName(facts: RepoFacts, dir: string): string | undefined {
  const text = facts.contents[dir === '.' ? 'package.json' : `${dir}/package.json`];
  if (!text) return undefined;
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

/** One service per Dockerfile: its directory names it (a Dockerfile.<name> or <name>.Dockerfile names itself). */
export function findServices(facts: RepoFacts, findings: Finding[]): InitService[] {
  const dockerfiles = facts.files.filter(isDockerfile).sort();
  const proposed = dockerfiles.map(dockerfile => {
    const context = dirOf(dockerfile);
    const base = baseOf(dockerfile);
    const own = /^Dockerfile\.(.+)$/.exec(base)?.[1] ?? /^(.+)\.Dockerfile$/.exec(base)?.[1];
    const name = serviceName(own ?? (context === '.' ? (packageName(facts, '.') ?? facts.directoryName) : baseOf(context)));
    return { name, context, dockerfile };
  });
  // Two services of one name (apps/api and tools/api): both take their parent directory's name as a prefix.
  const counts = new Map<string, number>();
  for (const s of proposed) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const services = proposed.map(s => {
    if ((counts.get(s.name) ?? 0) < 2 || s.context === '.') return s;
    const parent = dirOf(s.context);
    return { ...s, name: serviceName(`${parent === '.' ? 'root' : baseOf(parent)}-${s.name}`) };
  });
  for (const s of services) {
    findings.push({ what: `service ${s.name}`, why: `${s.dockerfile} (context ${s.context}, paths ${s.context === '.' ? '**' : `${s.context}/**`})` });
  }
  return services;
}

const LIB_ROOTS = ['libs', 'lib', 'packages', 'shared', 'common', 'pkg'];

/** Shared code beside the services (libs/<name>, packages/<name> without a Dockerfile): a change to it rebuilds its users. */
export function findLibs(facts: RepoFacts, services: InitService[], findings: Finding[]): InitProposal['libs'] {
  const serviceDirs = services.map(s => s.context);
  const inService = (path: string) => serviceDirs.some(dir => dir !== '.' && (path === dir || path.startsWith(`${dir}/`)));
  const libs = new Map<string, string>();
  for (const file of facts.files) {
    const parts = file.split('/');
    if (parts.length < 3 || !LIB_ROOTS.includes(parts[0]) || SKIP_DIRS.test(file)) continue;
    const path = `${parts[0]}/${parts[1]}`;
    if (inService(path) || serviceDirs.some(dir => dir.startsWith(`${path}/`))) continue;
    libs.set(serviceName(parts[1]), path);
  }
  const result: InitProposal['libs'] = [];
  for (const [name, path] of [...libs].sort()) {
    if (services.some(s => s.name === name)) continue;
    // Who uses it: a Dockerfile or package.json of the service that names the lib's path or name.
    const usedBy = services
      .filter(s => {
        const texts = [facts.contents[s.dockerfile], facts.contents[s.context === '.' ? 'package.json' : `${s.context}/package.json`]].filter(Boolean) as string[];
        return texts.some(text => text.includes(path) || new RegExp(`["/@]${name.replace(/[.]/g, '\\.')}["/]`).test(text));
      })
      .map(s => s.name);
    const users = usedBy.length > 0 ? usedBy : services.map(s => s.name);
    result.push({ name, path, usedBy: users });
    findings.push({
      what: `lib ${name}`,
      why:
        usedBy.length > 0
          ? `${path}/ has no Dockerfile; ${usedBy.join(', ')} name it (depends-on)`
          : `${path}/ has no Dockerfile and no service names it: every service depends on it, to be safe (narrow depends-on by hand)`
    });
  }
  return result;
}

interface ValuesImage {
  service: string;
  path: string;
  form?: 'reference';
  repository?: string;
}

/** Image references in a values file: mappings with repository/tag, or image strings, that name a service. */
export function valuesImages(text: string, services: string[], fallback?: string): ValuesImage[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const found: ValuesImage[] = [];
  const simpleKey = (key: string) => /^[A-Za-z_][\w-]*$/.test(key);
  const lastName = (ref: string) => {
    const noTag = ref.replace(/@sha256:.*$/, '').replace(/:[^/:]*$/, '');
    return { name: noTag.slice(noTag.lastIndexOf('/') + 1), repository: noTag };
  };
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const map = node as Record<string, unknown>;
    if (typeof map.repository === 'string' || 'tag' in map) {
      const repo = typeof map.repository === 'string' ? lastName(map.repository) : undefined;
      const service = (repo && services.find(s => s === repo.name)) ?? [...path].reverse().find(key => services.includes(key)) ?? fallback;
      if (service && path.length > 0) {
        found.push({ service, path: path.join('.'), repository: repo?.repository });
        return;
      }
    }
    for (const [key, value] of Object.entries(map)) {
      if (!simpleKey(key)) continue;
      if (typeof value === 'string' && /image$/i.test(key) && /^[\w.-]+(:\d+)?\/[\w./-]+(:[\w.-]+)?$/.test(value)) {
        const repo = lastName(value);
        const service = services.find(s => s === repo.name) ?? fallback;
        if (service) found.push({ service, path: [...path, key].join('.'), form: 'reference', repository: repo.repository });
        continue;
      }
      walk(value, [...path, key]);
    }
  };
  walk(doc, []);
  return found;
}

export function findCharts(facts: RepoFacts, services: InitService[], findings: Finding[]): { charts: InitChart[]; repositories: string[] } {
  const chartDirs = facts.files
    .filter(f => baseOf(f) === 'Chart.yaml' && !SKIP_DIRS.test(f))
    .map(dirOf)
    // A chart vendored under another chart's charts/ directory is that chart's dependency, not a release of its own.
    .filter((dir, _i, all) => !all.some(other => other !== dir && dir.startsWith(`${other === '.' ? '' : `${other}/`}charts/`)))
    .sort();
  const names = services.map(s => s.name);
  const charts: InitChart[] = [];
  const repositories: string[] = [];
  for (const dir of chartDirs) {
    const values = facts.contents[dir === '.' ? 'values.yaml' : `${dir}/values.yaml`];
    const images: InitChart['images'] = {};
    for (const image of values ? valuesImages(values, names) : []) {
      if (images[image.service]) continue;
      images[image.service] = image.form ? { path: image.path, form: image.form } : image.path;
      if (image.repository) repositories.push(image.repository);
    }
    // One service and an image mapping that names no service: that is the service's image, whatever its name.
    if (Object.keys(images).length === 0 && values && names.length === 1) {
      const [only] = valuesImages(values, names, names[0]);
      if (only) {
        images[names[0]] = only.form ? { path: only.path, form: only.form } : only.path;
        if (only.repository) repositories.push(only.repository);
      }
    }
    charts.push({ path: dir, images });
    const mapped = Object.entries(images).map(([service, target]) => `${service} → ${typeof target === 'string' ? target : target.path}`);
    findings.push({
      what: `chart ${dir}`,
      why: mapped.length > 0 ? `${dir}/Chart.yaml; values.yaml sets ${mapped.join(', ')}` : `${dir}/Chart.yaml; no image in values.yaml names a service (add images: by hand, or marker comments like # imgver: api)`
    });
  }
  return { charts, repositories };
}

const SEMVER = String.raw`(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?`;

/** The release tags' format: unified (v1.2.3, 1.2.3) or per service (api/v1.2.3, api@1.2.3, api-v1.2.3). */
export function tagFormat(tags: string[], services: string[]): { format: string; scheme: 'unified' | 'per-service'; count: number; example: string } | undefined {
  const counts = new Map<string, { scheme: 'unified' | 'per-service'; count: number; example: string }>();
  const count = (format: string, scheme: 'unified' | 'per-service', tag: string) => {
    const entry = counts.get(format) ?? { scheme, count: 0, example: tag };
    entry.count++;
    counts.set(format, entry);
  };
  for (const tag of tags) {
    let m = new RegExp(`^(v?)${SEMVER}$`).exec(tag);
    if (m) {
      count(`${m[1]}{{version}}`, 'unified', tag);
      continue;
    }
    m = new RegExp(`^([a-z0-9][a-z0-9._-]*?)(/|@|-)(v?)${SEMVER}$`).exec(tag);
    if (m && services.includes(m[1])) count(`{{service}}${m[2]}${m[3]}{{version}}`, 'per-service', tag);
  }
  const best = [...counts].sort((a, b) => b[1].count - a[1].count)[0];
  return best ? { format: best[0], ...best[1] } : undefined;
}

function jsonVersion(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' && /^\d+\.\d+\.\d+/.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

export function chooseVersion(facts: RepoFacts, services: InitService[], findings: Finding[]): InitProposal['version'] {
  const tags = tagFormat(facts.tags, services.map(s => s.name));
  if (tags) {
    findings.push({
      what: `version: git tags, ${tags.scheme}, tag-format ${tags.format}`,
      why: `${tags.count} release tag(s) like ${tags.example}${tags.scheme === 'per-service' ? ': each service has its own versions' : ''}`
    });
    return { source: 'git-tag', scheme: tags.scheme, tagFormat: tags.format };
  }
  const scheme = 'unified' as const;
  const version = facts.contents.VERSION?.trim();
  if (version && /^v?\d+\.\d+\.\d+/.test(version)) {
    findings.push({ what: 'version: the VERSION file', why: `VERSION holds ${version} and there is no release tag yet` });
    return { source: 'file', scheme, file: 'VERSION' };
  }
  const json = jsonVersion(facts.contents['version.json']);
  if (json) {
    findings.push({ what: 'version: version.json#version', why: `version.json holds version ${json} and there is no release tag yet` });
    return { source: 'file', scheme, file: 'version.json#version' };
  }
  const pkg = jsonVersion(facts.contents['package.json']);
  if (pkg && pkg !== '0.0.0') {
    findings.push({ what: 'version: package.json', why: `package.json holds version ${pkg} and there is no release tag yet` });
    return { source: 'file', scheme, file: 'package.json' };
  }
  findings.push({
    what: 'version: git tags, unified, tag-format v{{version}}',
    why: 'no release tag, VERSION, version.json or versioned package.json: the first release will be 0.1.0, tagged v0.1.0'
  });
  return { source: 'git-tag', scheme };
}

const CONVENTIONAL = /^(feat|fix|chore|docs|refactor|perf|test|build|ci|style|revert)(\([^)]*\))?!?: /;

function usesConventionalCommits(subjects: string[], findings: Finding[]): boolean {
  const recent = subjects.slice(0, 50);
  const matching = recent.filter(s => CONVENTIONAL.test(s)).length;
  const yes = recent.length > 0 && matching * 2 >= recent.length;
  findings.push({
    what: `bump: ${yes ? 'markers and conventional commits' : 'markers ([major], [minor], #patch …)'}`,
    why: recent.length === 0 ? 'no commits yet' : `${matching} of the last ${recent.length} commit subjects are conventional (feat:, fix: …)`
  });
  return yes;
}

const REGISTRY_HOST = /\b(ghcr\.io|docker\.io|quay\.io|registry\.gitlab\.com|public\.ecr\.aws|[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|[a-z0-9-]+\.azurecr\.io|[a-z0-9-]+-docker\.pkg\.dev)\b/g;

function githubOwner(url: string | undefined): { owner: string; repo: string } | undefined {
  const m = url && /github\.com[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  return m ? { owner: m[1].toLowerCase(), repo: m[2].toLowerCase() } : undefined;
}

/** The common prefix of the chart's repositories that end in a service name: host/namespace/{{service}}. */
function imageFromRepositories(all: string[], services: string[]): string | undefined {
  const repositories = all.filter(repo => IMAGE_REPOSITORY.test(repo));
  const prefixes = new Map<string, number>();
  for (const repo of repositories) {
    const cut = repo.lastIndexOf('/');
    if (cut > 0 && services.includes(repo.slice(cut + 1))) prefixes.set(repo.slice(0, cut), (prefixes.get(repo.slice(0, cut)) ?? 0) + 1);
  }
  const best = [...prefixes].sort((a, b) => b[1] - a[1])[0];
  if (best) return `${best[0]}/{{service}}`;
  // One service, whose chart names its image otherwise: that image, as it is.
  return services.length === 1 && repositories.length > 0 && repositories[0].includes('/') ? repositories[0] : undefined;
}

export function chooseImage(facts: RepoFacts, services: InitService[], repositories: string[], findings: Finding[]): { image: string; registry: string } {
  const names = services.map(s => s.name);
  const fromCharts = imageFromRepositories(repositories, names);
  const registryOf = (image: string) => image.slice(0, image.indexOf('/'));
  if (fromCharts) {
    findings.push({ what: `image: ${fromCharts}`, why: "the chart's values name the services' images there" });
    return { image: fromCharts, registry: registryOf(fromCharts) };
  }
  const hosts = new Map<string, number>();
  for (const [path, text] of Object.entries(facts.contents)) {
    if (!path.startsWith('.github/workflows/')) continue;
    for (const m of text.matchAll(REGISTRY_HOST)) hosts.set(m[1], (hosts.get(m[1]) ?? 0) + 1);
  }
  const host = [...hosts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const github = githubOwner(facts.originUrl);
  const namespace = github?.owner ?? serviceName(facts.directoryName);
  if (host) {
    const image = /\.dkr\.ecr\.|\.pkg\.dev$/.test(host) ? `${host}/{{service}}` : `${host}/${namespace}/{{service}}`;
    findings.push({ what: `image: ${image}`, why: `the workflows push to ${host} (${hosts.get(host)} mention(s))${github ? `; ${namespace} is the GitHub owner of origin` : ''}` });
    return { image, registry: host };
  }
  if (github) {
    const image = `ghcr.io/${github.owner}/{{service}}`;
    findings.push({ what: `image: ${image}`, why: `no registry named in the workflows; origin is on GitHub (${github.owner}/${github.repo}), so GitHub Container Registry` });
    return { image, registry: 'ghcr.io' };
  }
  const image = `registry.example.com/${namespace}/{{service}}`;
  findings.push({ what: `image: ${image}`, why: 'no registry found in the workflows, the charts or the remote: replace registry.example.com with yours' });
  return { image, registry: 'registry.example.com' };
}

/** A path init can write into YAML and comments as it is: no control characters (a newline would start a new key). */
const PLAIN_PATH = /^[^\x00-\x1f\x7f]+$/;

/** An image repository as a registry names it: host[:port]/path, lower case. */
export const IMAGE_REPOSITORY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;

export function proposeInit(input: RepoFacts, options: { image?: string } = {}): InitProposal {
  const facts = { ...input, files: input.files.filter(f => PLAIN_PATH.test(f)) };
  const findings: Finding[] = [];
  const services = findServices(facts, findings);
  const libs = findLibs(facts, services, findings);
  const { charts, repositories } = findCharts(facts, services, findings);
  const version = chooseVersion(facts, services, findings);
  const conventional = usesConventionalCommits(facts.subjects, findings);
  let image: string;
  let registry: string;
  if (options.image) {
    image = options.image;
    registry = image.includes('/') ? image.slice(0, image.indexOf('/')) : 'docker.io';
    findings.push({ what: `image: ${image}`, why: 'given with --image' });
  } else ({ image, registry } = chooseImage(facts, services, repositories, findings));
  return { services, libs, charts, version, conventional, image, registry, findings };
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/^[\d.]+$/.test(value) ? value : JSON.stringify(value);
}

/** imgver.yaml, commented: each value says where it came from. */
export function renderConfig(p: InitProposal, schemaPath: string): string {
  const out: string[] = [
    `# yaml-language-server: $schema=${schemaPath}`,
    '# Written by imgver init from what this repository holds; each choice says why. Check it with',
    '#   imgver compute-version --dry-run',
    'version:'
  ];
  const why = (prefix: string) => p.findings.find(f => f.what.startsWith(prefix))?.why;
  out.push(`  # ${why('version:')}`);
  out.push(`  source: ${p.version.source}`);
  if (p.version.scheme === 'per-service') out.push('  scheme: per-service           # one version per service, from its own tags and paths');
  else if (p.services.length > 1) out.push('  scheme: unified               # one version for the product; per-service gives each service its own');
  if (p.version.tagFormat) out.push(`  tag-format: ${quote(p.version.tagFormat)}`);
  if (p.version.file) {
    out.push(`  file: ${quote(p.version.file)}`);
    out.push('  file-mode: exact             # the file names the next release; bump: it holds the last one and commits decide');
  }
  if (p.conventional) {
    out.push('bump:');
    out.push(`  # ${why('bump:')}`);
    out.push('  detect: [markers, conventional]');
  }
  out.push(`# ${why('image:')}`);
  out.push(`image: ${quote(p.image)}`);
  out.push('tags:');
  out.push('  - type=semver,pattern={{version}}');
  out.push('  - type=semver,pattern={{major}}.{{minor}}');
  out.push('  - type=sha');
  if (p.services.length === 0) {
    out.push('# No Dockerfile found: add your services here (name: {context: dir}).');
    out.push('services: {}');
  } else {
    out.push('services:');
    for (const s of p.services) {
      out.push(`  # ${s.dockerfile}`);
      const fields: string[] = [];
      if (s.context !== s.name) fields.push(`context: ${quote(s.context)}`);
      const defaultDockerfile = s.context === '.' ? 'Dockerfile' : `${s.context}/Dockerfile`;
      if (s.dockerfile !== defaultDockerfile) fields.push(`dockerfile: ${quote(s.dockerfile)}`);
      const deps = p.libs.filter(l => l.usedBy.includes(s.name)).map(l => l.name);
      if (deps.length > 0) fields.push(`depends-on: [${deps.join(', ')}]`);
      if (fields.length === 0) out.push(`  ${s.name}: {}`);
      else {
        out.push(`  ${s.name}:`);
        for (const field of fields) out.push(`    ${field}`);
      }
    }
  }
  if (p.libs.length > 0) {
    out.push('libs:');
    for (const lib of p.libs) {
      out.push(`  # ${p.findings.find(f => f.what === `lib ${lib.name}`)?.why}`);
      out.push(`  ${lib.name}:`);
      out.push(`    paths: [${quote(`${lib.path}/**`)}]`);
    }
  }
  if (p.charts.length > 0) {
    out.push('charts:');
    for (const chart of p.charts) {
      out.push(`  - path: ${quote(chart.path)}`);
      const entries = Object.entries(chart.images);
      if (entries.length === 0) {
        out.push('    # No image in values.yaml names a service: map them here (service: values.path), or mark the');
        out.push('    # lines in values.yaml with a comment such as  # imgver: api');
        continue;
      }
      out.push('    images:                      # service: the values path of its image (its tag, and digest when present)');
      for (const [service, target] of entries) {
        out.push(typeof target === 'string' ? `      ${service}: ${quote(target)}` : `      ${service}: {path: ${quote(target.path)}, form: reference}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

/** The docker login step a registry needs in a workflow, or none (a loopback registry). */
function loginSteps(registry: string): string[] {
  if (/^(localhost|127\.)/.test(registry)) return [];
  if (registry === 'ghcr.io') {
    return [
      '      - uses: docker/login-action@v3',
      '        with:',
      '          registry: ghcr.io',
      '          username: ${{ github.actor }}',
      '          password: ${{ secrets.GITHUB_TOKEN }}'
    ];
  }
  const ecr = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(registry);
  if (ecr) {
    return [
      '      - uses: aws-actions/configure-aws-credentials@v4   # imgver logs Docker in to ECR itself',
      '        with:',
      '          role-to-assume: ${{ secrets.AWS_ROLE_ARN }}',
      `          aws-region: ${ecr[1]}`
    ];
  }
  if (registry === 'docker.io') {
    return [
      '      - uses: docker/login-action@v3',
      '        with:',
      '          username: ${{ secrets.DOCKERHUB_USERNAME }}',
      '          password: ${{ secrets.DOCKERHUB_TOKEN }}'
    ];
  }
  return [
    '      - uses: docker/login-action@v3',
    '        with:',
    `          registry: ${registry}`,
    '          username: ${{ secrets.REGISTRY_USERNAME }}',
    '          password: ${{ secrets.REGISTRY_PASSWORD }}'
  ];
}

/** A starter workflow: on a push to the default branch, version, build what changed, sync the charts, release. */
export function renderWorkflow(p: InitProposal, defaultBranch: string, configPath: string): string {
  const ecr = /\.dkr\.ecr\./.test(p.registry);
  const write = p.version.source === 'file';
  const withConfig = configPath === 'imgver.yaml' ? [] : [`          config: ${quote(configPath)}`];
  const lines = [
    '# Written by imgver init: on each push to the default branch, version the services, build what changed (and retag',
    '# the rest), sync the charts and release (commit, tag, push). Pull requests only compute the versions.',
    'name: release',
    'on:',
    '  push:',
    `    branches: [${quote(defaultBranch)}]`,
    '  pull_request:',
    '  workflow_dispatch:',
    'permissions:',
    '  contents: write',
    '  packages: write',
    ...(ecr ? ['  id-token: write'] : []),
    'concurrency:',
    '  group: release-${{ github.ref }}',
    'jobs:',
    '  release:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          fetch-depth: 0',
    '      - uses: actions/setup-node@v4       # imgver runs on Node 20 or newer',
    '        with:',
    '          node-version: 20',
    '      - id: changes',
    '        uses: imgver/imgver/actions/detect-changes@v1',
    ...(withConfig.length ? ['        with:', ...withConfig] : []),
    '      - id: version',
    '        uses: imgver/imgver/actions/compute-version@v1',
    '        with:',
    ...withConfig,
    '          plan: ${{ steps.changes.outputs.plan }}',
    ...(write ? ["          write: ${{ github.event_name == 'push' }}   # the version file and CHANGELOG.md, committed by release"] : []),
    '          dry-run: ${{ github.event_name == \'pull_request\' }}',
    ...loginSteps(p.registry).map((line, i) => (i === 0 ? line.replace('      - ', "      - if: github.event_name != 'pull_request'\n        ") : line)),
    '      - id: images',
    "        if: github.event_name != 'pull_request'",
    '        uses: imgver/imgver/actions/build-tag-push@v1',
    '        with:',
    ...withConfig,
    '          plan: ${{ steps.version.outputs.plan }}'
  ];
  let planStep = 'images';
  if (p.charts.length > 0) {
    lines.push(
      "      - if: github.event_name != 'pull_request'",
      '        uses: azure/setup-helm@v4',
      '      - id: charts',
      "        if: github.event_name != 'pull_request'",
      '        uses: imgver/imgver/actions/helm-sync@v1',
      '        with:',
      ...withConfig,
      '          plan: ${{ steps.images.outputs.plan }}'
    );
    planStep = 'charts';
  }
  lines.push(
    "      - if: github.event_name != 'pull_request'",
    '        uses: imgver/imgver/actions/release@v1',
    '        with:',
    ...withConfig,
    `          plan: \${{ steps.${planStep}.outputs.plan }}`
  );
  return lines.join('\n') + '\n';
}
