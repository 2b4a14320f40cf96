// The release versions among an image's registry tags, read in one pass: each tag is looked at once and only the
// highest few release tags are kept, so a repository of 50,000 tags costs neither 50,000 semver objects nor a sort.
import semver from './semver.js';
import type { TagFormat } from './version.js';

export interface ReleaseTag {
  tag: string;
  version: string;
}

/** What a tag listing says about releases. */
export interface RegistryReleases {
  /** Tags read. */
  tags: number;
  /** Tags that name a release version. */
  releases: number;
  /** The highest release version. */
  highest?: string;
  /** The highest release tags, highest version first (equal versions in listing order), at most `keep` of them. */
  top: ReleaseTag[];
}

/** X.Y.Z as strict SemVer writes it (no leading zeros); 15 digits at most, so each number is exact in a double. */
const CORE = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;
const PLAIN_CORE = /^v?(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;
/** X.Y.Z and a hyphen: a prerelease when SemVer reads it at all, and never plain X.Y.Z. */
const CORE_HYPHEN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)-/;

/**
 * The release version a tag names: the tag format's, else plain X.Y.Z or vX.Y.Z; undefined for a prerelease, a
 * floating tag or anything else. The reference definition: `ReleaseScan` gives the same answer faster.
 */
export function releaseVersionOf(tag: string, format: TagFormat): string | undefined {
  const version = format.parse(tag) ?? (/^v?\d+\.\d+\.\d+$/.test(tag) ? semver.valid(tag.replace(/^v/, '')) : null);
  return version && semver.prerelease(version) === null ? version : undefined;
}

/** A release version's three numbers (every release version here is plain X.Y.Z: prereleases are dropped, build metadata never kept). */
function numbers(version: string): [number, number, number] {
  const [major, minor, patch] = version.split('.');
  return [Number(major), Number(minor), Number(patch)];
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Reads tags one at a time (a page as it arrives) and keeps the count, the highest version and the `keep` highest
 * release tags. Equal to filtering with releaseVersionOf and sorting by version (stable): the common shapes
 * (the format around X.Y.Z, plain X.Y.Z, vX.Y.Z) are recognised without semver, anything else goes through
 * releaseVersionOf.
 */
export class ReleaseScan {
  private tags = 0;
  private releases = 0;
  private readonly top: { tag: string; version: string; key: [number, number, number] }[] = [];
  private readonly before: string;
  private readonly after: string;

  constructor(
    private readonly format: TagFormat,
    private readonly keep = 20
  ) {
    // The format's text around {{version}}, without reaching into how TagFormat is built.
    const marker = '\u0000';
    const rendered = format.render(marker);
    const at = rendered.indexOf(marker);
    this.before = rendered.slice(0, at);
    this.after = rendered.slice(at + marker.length);
  }

  add(tag: string): void {
    this.tags++;
    const quick = this.quick(tag);
    const version = quick === undefined ? releaseVersionOf(tag, this.format) : quick;
    if (!version) return;
    this.releases++;
    const key = numbers(version);
    const top = this.top;
    // Equal versions keep listing order: a newcomer goes after every entry not below it.
    if (top.length >= this.keep && (this.keep === 0 || compare(key, top[top.length - 1].key) <= 0)) return;
    let at = top.length;
    while (at > 0 && compare(key, top[at - 1].key) > 0) at--;
    top.splice(at, 0, { tag, version, key });
    if (top.length > this.keep) top.pop();
  }

  addAll(tags: Iterable<string>): this {
    for (const tag of tags) this.add(tag);
    return this;
  }

  result(): RegistryReleases {
    return {
      tags: this.tags,
      releases: this.releases,
      highest: this.top[0]?.version,
      top: this.top.map(({ tag, version }) => ({ tag, version }))
    };
  }

  /**
   * The version of a tag of a common shape, null for a tag of a common shape that is no release, undefined when only
   * releaseVersionOf can tell. Exact: a format match whose middle is X.Y.Z is what format.parse returns; one whose
   * middle is X.Y.Z-… is a prerelease or no version, and its tag (holding a hyphen) is not plain X.Y.Z either; a tag
   * the format does not match that is X.Y.Z or vX.Y.Z is what the plain fallback returns.
   */
  private quick(tag: string): string | null | undefined {
    const { before, after } = this;
    const fits = tag.length > before.length + after.length && tag.startsWith(before) && tag.endsWith(after);
    if (fits) {
      const middle = tag.slice(before.length, tag.length - after.length);
      if (CORE.test(middle)) return middle;
      return CORE_HYPHEN.test(middle) ? null : undefined;
    }
    return PLAIN_CORE.test(tag) ? (tag.charCodeAt(0) === 118 /* v */ ? tag.slice(1) : tag) : undefined;
  }
}

/** The release versions among tags, in one pass. */
export function registryReleases(tags: Iterable<string>, format: TagFormat, keep = 20): RegistryReleases {
  return new ReleaseScan(format, keep).addAll(tags).result();
}
