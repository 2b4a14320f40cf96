import semver from './semver.js';
import type { Plan } from './plan.js';
import { renderTemplate } from './template.js';
import { shortSha } from './context.js';
import { stripLeadingV } from './version-tag.js';

/** One git tag a release creates: the release tag of a service (or of the unified version), and what it names. */
export interface ReleaseTag {
  name: string;
  version: string;
  services: string[];
  prerelease: boolean;
}

/** The release tags of a plan, one per distinct tag (a unified release tags once for every service). */
export function releaseTags(plan: Plan): ReleaseTag[] {
  const byName = new Map<string, ReleaseTag>();
  for (const service of plan.services) {
    if (!service.release || !service.releaseTag || !service.version) continue;
    const tag = byName.get(service.releaseTag);
    if (tag) tag.services.push(service.name);
    else {
      byName.set(service.releaseTag, {
        name: service.releaseTag,
        version: service.version,
        services: [service.name],
        prerelease: semver.prerelease(service.version) !== null
      });
    }
  }
  return [...byName.values()];
}

export const DEFAULT_COMMIT_MESSAGE = 'chore(release): {{versions}} [skip ci]';

/** `v1.2.3` for one tag; `api/v1.2.3, web/v2.0.0` for several. */
export function releaseCommitMessage(template: string, tags: ReleaseTag[]): string {
  const versions = tags.map(t => t.name).join(', ');
  return renderTemplate(template, { versions, version: tags[0]?.version ?? '', tags: versions });
}

/**
 * The moving tags of a release, `v1` and `v1.2` for `v1.2.3`: only for a final (non-prerelease) version, and only
 * when the release tag ends in the version (`api/v1.2.3` → `api/v1`, `api/v1.2`).
 */
export function movingTags(tag: ReleaseTag): string[] {
  if (tag.prerelease || !tag.name.endsWith(tag.version)) return [];
  const prefix = tag.name.slice(0, tag.name.length - tag.version.length);
  const v = semver.parse(tag.version);
  if (!v) return [];
  return [`${prefix}${v.major}`, `${prefix}${v.major}.${v.minor}`];
}

/** The body of a version's section of a Keep a Changelog file, or undefined when it has none (or it is empty). */
export function changelogNotes(text: string, version: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const escaped = version.replace(/[.+]/g, '\\$&');
  const heading = new RegExp(`^##\\s*\\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex(line => heading.test(line));
  if (start === -1) return undefined;
  let end = lines.findIndex((line, i) => i > start && (/^##\s/.test(line) || /^\[[^\]]+\]:\s*\S+/.test(line)));
  if (end === -1) end = lines.length;
  const body = lines.slice(start + 1, end).join('\n').trim();
  return body === '' ? undefined : body;
}

export interface NoteCommit {
  sha: string;
  subject: string;
}

const GROUPS: [RegExp, string][] = [
  [/^[a-z]+(\([^)]*\))?!:/i, 'Breaking changes'],
  [/^feat(\([^)]*\))?:/i, 'Features'],
  [/^fix(\([^)]*\))?:/i, 'Bug fixes'],
  [/^perf(\([^)]*\))?:/i, 'Performance'],
  [/^(docs|refactor|build|ci|test|style|chore)(\([^)]*\))?:/i, 'Maintenance']
];

/** Notes from the commits since the previous release, grouped by conventional-commit type; release commits left out. */
export function notesFromCommits(commits: NoteCommit[]): string {
  const groups = new Map<string, string[]>();
  for (const commit of commits) {
    if (/^chore\(release\):/i.test(commit.subject)) continue;
    const group = GROUPS.find(([pattern]) => pattern.test(commit.subject))?.[1] ?? 'Other changes';
    const list = groups.get(group) ?? [];
    list.push(`- ${commit.subject} (${shortSha(commit.sha)})`);
    groups.set(group, list);
  }
  const order = [...GROUPS.map(([, name]) => name), 'Other changes'];
  const sections = order.filter(name => groups.has(name)).map(name => `### ${name}\n\n${groups.get(name)!.join('\n')}`);
  return sections.length > 0 ? sections.join('\n\n') : 'No changes since the previous release.';
}

/** Where a release's version is recorded, by name (release tag, version file, chart …), for the agreement check. */
export interface RecordedVersion {
  where: string;
  version: string | undefined;
}

/**
 * The tag, the version file and the chart must name one version: returns a message listing every place that
 * disagrees with the release tag, or undefined when all agree (places that record nothing are skipped).
 */
export function versionMismatch(tag: ReleaseTag, recorded: RecordedVersion[]): string | undefined {
  const wrong = recorded.filter(r => r.version !== undefined && stripLeadingV(r.version) !== tag.version);
  if (wrong.length === 0) return undefined;
  return `Release ${tag.name} is version ${tag.version}, but ${wrong.map(r => `${r.where} says ${r.version}`).join(', ')}: they must agree (run compute-version with write: true, and helm-sync, before release)`;
}
