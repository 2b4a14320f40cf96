import { basename } from 'node:path';
import semver from './semver.js';
import { pathMatcher } from './changes.js';
import { releaseTagFormat, type Config, type Scheme, type ServiceConfig } from './config.js';
import type { GlobEngine, PathGlobEngine } from './glob-engine.js';
import { renderTemplate } from './template.js';
import { prereleaseForBranch, type PrereleaseSpec } from './version.js';
import { compileTagFormat, type TagFormat } from './version-tag.js';

/**
 * Version lines: what is versioned together. With scheme unified, one line for every service; with per-service, one
 * line each, with its own tag format, version file, changelog and paths.
 */
export interface VersionLine {
  name: string;
  format: TagFormat;
  paths: string[];
  services: ServiceConfig[];
  versionFile?: string;
}

/** The release tag format of a version line: the unified one, or a service's (its name filling {{service}}). */
export function lineTagFormat(config: Config, scheme: Scheme, override?: string, service?: ServiceConfig): TagFormat {
  return compileTagFormat(releaseTagFormat(config, scheme, override, service), scheme === 'per-service' ? service?.name : undefined);
}

/** The version file of a version line: the unified one, or a service's ({{service}} and {{context}} filled in). */
export function lineVersionFile(config: Config, scheme: Scheme, override?: string, service?: ServiceConfig): string | undefined {
  if (scheme === 'unified') return override ?? config.version.file;
  const spec = override ?? service?.versionFile ?? config.version.file;
  return spec && service ? renderTemplate(spec, { service: service.name, context: service.context }) : spec;
}

/** The changelog a version line rotates (version.changelog: false, a path template, or CHANGELOG.md by default). */
export function changelogPathOf(config: Config, unified: boolean, service: ServiceConfig): string | undefined {
  const setting = config.version.changelog;
  if (setting === false) return undefined;
  if (typeof setting === 'string') return renderTemplate(setting, { service: service.name, context: service.context });
  return unified || service.context === '.' ? 'CHANGELOG.md' : `${service.context}/CHANGELOG.md`;
}

/** The newest version a changelog has a section for (`## [1.2.3]`, `## v1.2.3 …`). */
export function newestChangelogVersion(text: string): string | undefined {
  const versions = [...text.matchAll(/^##\s*\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?/gm)].map(m => semver.valid(m[1])).filter((v): v is string => !!v);
  return semver.rsort(versions)[0];
}

/**
 * A service's paths and those of everything it depends on (transitively): a commit to a lib it is built from bumps it.
 * Each unit's own globs keep their order (its negations stay its own), so the lists are joined, not merged.
 */
export function pathsWithDependencies(config: Config, service: ServiceConfig): string[] {
  const units = new Map<string, { paths: string[]; dependsOn: string[] }>([...config.libs, ...config.services].map(u => [u.name, u]));
  const seen = new Set<string>([service.name]);
  const queue = [...service.dependsOn];
  const extra: string[][] = [];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const unit = units.get(name);
    if (!unit) continue;
    extra.push(unit.paths);
    queue.push(...unit.dependsOn);
  }
  return extra.length === 0 ? service.paths : [service.paths, ...extra].flatMap(p => p);
}

const matchers = new WeakMap<string[], (path: string) => boolean>();

/** Globs in order, gitignore-style: a later `!pattern` excludes what an earlier one included. */
export function matchesPaths(file: string, paths: string[], engine: PathGlobEngine | undefined): boolean {
  let matcher = matchers.get(paths);
  if (!matcher) matchers.set(paths, (matcher = pathMatcher(paths, engine)));
  return matcher(file);
}

/** The scheme a request's versions were computed with: one image (the images input) is always one version line. */
export function requestScheme(request: { scheme?: Scheme; images?: string[] }, config: Config): Scheme {
  return request.scheme ?? (request.images ? 'unified' : config.version.scheme);
}

/** The version lines of a run: one for the unified scheme, else one per service. */
export function versionLines(config: Config, scheme: Scheme, services: ServiceConfig[], overrides: { tagFormat?: string; versionFile?: string }): VersionLine[] {
  if (scheme === 'unified') {
    return [
      {
        name: 'unified',
        format: lineTagFormat(config, scheme, overrides.tagFormat),
        paths: config.version.triggerPaths ?? (config.services.length > 0 ? [...config.services, ...config.libs].flatMap(s => s.paths) : ['**']),
        services,
        versionFile: lineVersionFile(config, scheme, overrides.versionFile)
      }
    ];
  }
  return services.map(s => ({
    name: s.name,
    format: lineTagFormat(config, scheme, overrides.tagFormat, s),
    paths: pathsWithDependencies(config, s),
    services: [s],
    versionFile: lineVersionFile(config, scheme, overrides.versionFile, s)
  }));
}

/** The one unit of a repository with neither images nor services: the whole tree, no image, named after its directory. */
export function repositoryUnit(cwd: string, name?: string): ServiceConfig {
  const unit = name ?? (basename(cwd).toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'repository');
  return { name: unit, image: '', context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] };
}

/** A branch a version line is cut from, by the version it is named after. */
export interface BranchVersion {
  major: number;
  minor?: number;
  /** The version the branch starts at without a release of its own yet. */
  base: string;
  /** `3.x` or `3.2.x`, for messages. */
  text: string;
}

/**
 * The version a branch is named after, its last segment (`release/v3`, `release/v3.2`, `3.2.x`): semantic-version's
 * version_from_branch, which also takes trailing digits of any name (`JIRA-123`); imgver does not.
 */
export function versionOfBranch(branch: string | undefined): BranchVersion | undefined {
  const m = branch?.match(/(?:^|\/)v?(\d+)(?:\.(\d+))?(?:\.x)?$/);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? undefined : Number(m[2]);
  return { major, minor, base: `${major}.${minor ?? 0}.0`, text: minor === undefined ? `${major}.x` : `${major}.${minor}.x` };
}

export function withinBranchVersion(version: string, branch: { major: number; minor?: number }): boolean {
  const v = semver.parse(version)!;
  return v.major === branch.major && (branch.minor === undefined || v.minor === branch.minor);
}

/**
 * The prerelease a run makes, if any: the prerelease input (true, false or an id) over the config's prerelease
 * settings, over the branch patterns (prerelease.branches).
 */
export function prereleaseSpecOf(
  config: Config,
  input: string | undefined,
  branch: { branch?: string; defaultBranch?: string },
  engine: GlobEngine | undefined
): PrereleaseSpec | undefined {
  const { prerelease } = config;
  const { numbering, keepLabel } = prerelease;
  if (input !== undefined) {
    if (input === 'false') return undefined;
    return { id: input === 'true' ? prerelease.id : input, numbering, keepLabel };
  }
  if (prerelease.enabled) return { id: renderTemplate(prerelease.id, { branch: branch.branch ?? '' }), numbering, keepLabel };
  const id = prereleaseForBranch({ branches: prerelease.branches, branch: branch.branch, defaultBranch: branch.defaultBranch, engine });
  return id ? { id, numbering, keepLabel } : undefined;
}

/** The prerelease ids a line may use: a tag with another suffix is another line's namespace (isLinePrerelease). */
export function linePrereleaseIds(config: Config, input: string | undefined, active: string | undefined): string[] {
  const { prerelease } = config;
  const ids = [prerelease.id, ...Object.values(prerelease.branches).filter((v): v is string => typeof v === 'string'), input ?? ''];
  return [...ids.filter(id => id && !id.includes('{{')), ...(active ? [active] : [])];
}
