import semver from './semver.js';
import { UserError } from './errors.js';
import { renderTemplate, templateNames } from './template.js';

/**
 * The version-tag vocabulary, in one place: how a tag names a version (git release tags under a tag format such as
 * `v{{version}}` or `api-v{{version}}`, image tags such as `1.2.3-api`), which tags are a given version's, and which
 * release came before.
 */

/** `v1.2.3` → `1.2.3`: surrounding space trimmed, a `v` dropped when a digit follows it (`vnext` stays). */
export function stripLeadingV(text: string): string {
  return text.trim().replace(/^v(?=\d)/, '');
}

/** A tag and the version it names. */
export interface TagVersion {
  tag: string;
  version: string;
}

/** A release tag format such as `v{{version}}` or `{{service}}/v{{version}}`, usable both ways. */
export interface TagFormat {
  format: string;
  render(version: string): string;
  /** The version a tag names, or undefined when the tag is not of this format. */
  parse(tag: string): string | undefined;
  /** A `git tag --list` glob that finds candidates. */
  glob: string;
}

const VERSION_PLACEHOLDER = /\{\{\s*version\s*\}\}/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeGlob = (s: string) => s.replace(/[*?[\\]/g, '\\$&');

export function compileTagFormat(format: string, service?: string): TagFormat {
  const names = templateNames(format);
  if (names.filter(n => n === 'version').length !== 1) {
    throw new UserError(`Tag format "${format}" must contain {{version}} exactly once (e.g. v{{version}})`);
  }
  for (const name of names) {
    if (name !== 'version' && name !== 'service') {
      throw new UserError(`Tag format "${format}" uses {{${name}}}: only {{version}} and {{service}} are allowed`);
    }
  }
  if (names.includes('service') && service === undefined) {
    throw new UserError(`Tag format "${format}" uses {{service}}, which is only known per service (scheme per-service)`);
  }
  const [before, after] = format.split(VERSION_PLACEHOLDER).map(part => renderTemplate(part, { service }));
  const matcher = new RegExp(`^${escapeRegExp(before)}(.+)${escapeRegExp(after)}$`);
  return {
    format,
    render: version => `${before}${version}${after}`,
    parse: tag => {
      const m = tag.match(matcher);
      if (!m) return undefined;
      // semver.valid accepts a leading 'v': {{version}} must not match v1.2.3, nor v{{version}} vv1.2.3.
      if (!/^\d/.test(m[1])) return undefined;
      return semver.valid(m[1]) ?? undefined;
    },
    glob: `${escapeGlob(before)}*${escapeGlob(after)}`
  };
}

/** The tags of a format with the versions they name, others left out. */
export function tagsOfFormat(tags: string[], format: Pick<TagFormat, 'parse'>): TagVersion[] {
  return tags.map(tag => ({ tag, version: format.parse(tag) })).filter((t): t is TagVersion => t.version !== undefined);
}

/** Tags that look like versions but may not fit the format: listed in errors so the user sees the mismatch. */
export function versionLikeTags(tags: string[]): string[] {
  return tags.filter(tag => /\d+\.\d+(\.\d+)?/.test(tag));
}

/** The release version a registry tag names: the tag format's, else plain X.Y.Z or vX.Y.Z; undefined for a prerelease or anything else. */
export function releaseVersionOf(tag: string, format: TagFormat): string | undefined {
  const version = format.parse(tag) ?? (/^v?\d+\.\d+\.\d+$/.test(tag) ? semver.valid(stripLeadingV(tag)) : null);
  return version && semver.prerelease(version) === null ? version : undefined;
}

/** Release versions among a registry's tags, in listing order (registry-releases.ts reads a long listing in one pass). */
export function registryReleaseVersions(tags: string[], format: TagFormat): TagVersion[] {
  const out: TagVersion[] = [];
  for (const tag of tags) {
    const version = releaseVersionOf(tag, format);
    if (version) out.push({ tag, version });
  }
  return out;
}

/** Whether an image tag names a release (X.Y.Z, vX.Y.Z, 1.64), as a version manifest records it. */
export function isReleaseTag(tag: string): boolean {
  return /^v?\d+(\.\d+){1,2}([-+][0-9A-Za-z.+-]+)?$/.test(tag);
}

/** Release-looking image tags with a comparable version: 1.64 counts as 1.64.0. */
export function releaseVersions(tags: string[]): TagVersion[] {
  return tags
    .filter(isReleaseTag)
    .map(tag => ({ tag, version: semver.valid(semver.coerce(stripLeadingV(tag), { includePrerelease: true })?.version ?? '') }))
    .filter((t): t is TagVersion => !!t.version);
}

/** Whether text is a version once a leading `v` is dropped (`1.2.3`, `v1.2.3-rc.1`). */
export function isVersionLike(text: string): boolean {
  return semver.valid(stripLeadingV(text)) !== null;
}

const FULL_VERSION = /^v?\d+\.\d+\.\d+(?:[-+._].*)?$/;

/** The forms a version takes in an image tag: as it is, and Docker-safe (`+` cannot be in a tag). */
const imageTagForms = (version: string) => [...new Set([version, version.replace(/\+/g, '-'), version.replace(/\+/g, '_')])];

/**
 * Where `form` stands in `tag` as a whole version: not inside a longer number (`11.2.30` holds 1.2.3 only as a
 * substring) nor continued by another numeric part (`1.2.3.4`).
 */
function wholeVersionAt(tag: string, form: string): number {
  const at = new RegExp(`(?<![0-9.])${escapeRegExp(form)}(?![0-9]|\\.[0-9])`).exec(tag);
  return at ? at.index : -1;
}

/**
 * A release's version tags (1.2.3, v1.2.3, 1.2.3-api, api-1.2.3) never move once pushed; floating tags (latest, 1.2,
 * sha-…, main) do. A tag is a version tag when it holds the whole version, in its Docker-safe form too.
 */
export function isVersionTag(version: string | undefined): (tag: string) => boolean {
  // Without a plan's version (tags given by hand), any full X.Y.Z tag counts.
  if (!version) return tag => FULL_VERSION.test(tag);
  const forms = imageTagForms(version);
  return tag => forms.some(form => wholeVersionAt(tag, form) !== -1);
}

/** The image tag the previous release carries: a version tag of this release with the previous version in its place. */
export function previousImageTag(tags: string[], version: string | undefined, previous: string | undefined): string | undefined {
  if (!version || !previous || version === previous) return undefined;
  const forms = imageTagForms(version);
  const before = imageTagForms(previous);
  for (const tag of tags) {
    for (let i = 0; i < forms.length; i++) {
      const at = wholeVersionAt(tag, forms[i]);
      if (at !== -1) return tag.slice(0, at) + before[i] + tag.slice(at + forms[i].length);
    }
  }
  return undefined;
}

/**
 * The release before `below` among a line's tags: the highest lower version (the highest of all without `below`).
 * Prereleases count only when asked for.
 */
export function previousRelease(candidates: TagVersion[], below: string | undefined, options: { prereleases: boolean }): TagVersion | undefined {
  return candidates
    .filter(t => (options.prereleases || semver.prerelease(t.version) === null) && (below === undefined || semver.lt(t.version, below)))
    .sort((a, b) => semver.rcompare(a.version, b.version))[0];
}
