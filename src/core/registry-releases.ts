// The release versions among an image's registry tags, read in one pass: each tag is looked at once and only the
// highest few release tags are kept, so a repository of 50,000 tags costs neither 50,000 semver objects nor a sort.
import { releaseVersionOf, type TagFormat } from './version-tag.js';

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

type Key = [number, number, number];

/** readCore's answers: X.Y.Z read; only digits and dots but not X.Y.Z; some other character. */
const CORE = 0;
const DIGITS_AND_DOTS = 1;
const OTHER = 2;

/**
 * Reads X.Y.Z as strict SemVer writes it (no leading zeros) from text[from, to) into `key`, without allocating.
 * At most `digits` digits a number: 15 keeps every number exact and within SemVer's MAX_SAFE_INTEGER.
 */
function readCore(text: string, from: number, to: number, key: Key, digits: number): typeof CORE | typeof DIGITS_AND_DOTS | typeof OTHER {
  let part = 0;
  let value = 0;
  let length = 0;
  let shape: typeof CORE | typeof DIGITS_AND_DOTS = CORE;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (length === 0 || part === 2) shape = DIGITS_AND_DOTS;
      else key[part++] = value;
      value = 0;
      length = 0;
    } else if (c >= 48 && c <= 57) {
      if ((length === 1 && value === 0) || length === digits) shape = DIGITS_AND_DOTS;
      value = value * 10 + (c - 48);
      length++;
    } else {
      return OTHER;
    }
  }
  if (length === 0 || part !== 2) return DIGITS_AND_DOTS;
  key[2] = value;
  return shape;
}

/** The numbers of text[from, to), known to be X.Y.Z (digits and two dots), into `key`. */
function readNumbers(text: string, from: number, to: number, key: Key): void {
  let part = 0;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      key[part++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  key[2] = value;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** X.Y.Z as readCore reads CORE: no leading zeros, at most 15 digits a number. */
const CORE_PATTERN = '(?:0|[1-9]\\d{0,14})\\.(?:0|[1-9]\\d{0,14})\\.(?:0|[1-9]\\d{0,14})';
/** A plain release tag, X.Y.Z or vX.Y.Z. */
const PLAIN_RELEASE = new RegExp(`^v?${CORE_PATTERN}$`);
/** Searched from a given index (lastIndex): a character readCore reads as OTHER. */
const OTHER_THAN_DIGITS_AND_DOTS = /[^0-9.]/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether text[from, to) starts with X.Y.Z and a hyphen (any numbers): a prerelease when SemVer reads it at all. */
function coreThenHyphen(text: string, from: number, to: number): boolean {
  return CORE_HYPHEN.test(text.slice(from, to));
}
const CORE_HYPHEN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)-/;

function compare(a: Key, b: Key): number {
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
  private readonly top: { tag: string; version: string; key: Key }[] = [];
  private highest?: { version: string; key: Key };
  /** Scratch: the numbers of the tag being read, and where its version lies in it. */
  private readonly key: Key = [0, 0, 0];
  private from = 0;
  private to = 0;
  private readonly before: string;
  private readonly after: string;
  /** A tag of the format around X.Y.Z, tested natively: most tags of a long listing take one test, no loop in script. */
  private readonly formatRelease: RegExp;

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
    this.formatRelease = new RegExp(`^${escapeRegExp(this.before)}${CORE_PATTERN}${escapeRegExp(this.after)}$`);
  }

  add(tag: string): void {
    this.tags++;
    this.take(tag, this.release(tag) ? RELEASE : this.quick(tag, this.key));
  }

  /**
   * add() for every tag, in one loop: a tag the expressions tell as a release and that is not above the lowest kept
   * (most of a long listing) is counted inline, nothing allocated and nothing called. V8 optimises a long loop as a
   * whole while it runs, where a few calls per tag would run cold for thousands of tags.
   */
  addAll(tags: Iterable<string>): this {
    if (!Array.isArray(tags)) {
      for (const tag of tags) this.add(tag);
      return this;
    }
    const { formatRelease, before, after, key, top, keep } = this;
    const formatLength = before.length + after.length;
    for (let i = 0; i < tags.length; i++) {
      const tag: string = tags[i];
      this.tags++;
      let from: number;
      let to: number;
      // As quick() reads it: by the format where the format claims the tag, else as X.Y.Z or vX.Y.Z.
      if (tag.length > formatLength && tag.startsWith(before) && tag.endsWith(after) && isDigit(tag.charCodeAt(before.length))) {
        if (!formatRelease.test(tag)) {
          this.take(tag, this.quick(tag, key));
          continue;
        }
        from = before.length;
        to = tag.length - after.length;
      } else {
        from = tag.charCodeAt(0) === 118 /* v */ ? 1 : 0;
        if (!PLAIN_RELEASE.test(tag)) {
          // A character other than a digit or a dot makes it no release (sha-…, latest, 1.2.3-rc.1); only digits and
          // dots that are not X.Y.Z are left to quick() and releaseVersionOf.
          OTHER_THAN_DIGITS_AND_DOTS.lastIndex = from;
          if (!OTHER_THAN_DIGITS_AND_DOTS.test(tag)) this.take(tag, this.quick(tag, key));
          continue;
        }
        to = tag.length;
      }
      let major = 0;
      let minor = 0;
      let value = 0;
      let part = 0;
      for (let at = from; at < to; at++) {
        const c = tag.charCodeAt(at);
        if (c !== 46 /* . */) value = value * 10 + (c - 48);
        else {
          if (part++ === 0) major = value;
          else minor = value;
          value = 0;
        }
      }
      if (keep > 0 && top.length >= keep) {
        const lowest = top[top.length - 1].key;
        if (major < lowest[0] || (major === lowest[0] && (minor < lowest[1] || (minor === lowest[1] && value <= lowest[2])))) {
          this.releases++;
          continue;
        }
      }
      key[0] = major;
      key[1] = minor;
      key[2] = value;
      this.from = from;
      this.to = to;
      this.take(tag, RELEASE);
    }
    return this;
  }

  /** A tag read (its version in `key` and at tag[from, to) when RELEASE): counted, and kept when among the highest. */
  private take(tag: string, shape: typeof RELEASE | typeof NOT_RELEASE | typeof ASK): void {
    const key = this.key;
    let version: string | undefined;
    if (shape === NOT_RELEASE) return;
    if (shape === ASK) {
      version = releaseVersionOf(tag, this.format);
      // A release version here is always X.Y.Z (prereleases dropped, build metadata not kept), within MAX_SAFE_INTEGER.
      if (version === undefined || readCore(version, 0, version.length, key, 16) !== CORE) return;
    }
    this.releases++;
    const top = this.top;
    const full = top.length >= this.keep;
    // Most tags of a long listing are below the lowest kept: one comparison, nothing allocated.
    if (full && (this.keep === 0 || compare(key, top[top.length - 1].key) <= 0)) {
      if (this.keep === 0 && (!this.highest || compare(key, this.highest.key) > 0)) this.highest = { version: version ?? tag.slice(this.from, this.to), key: [key[0], key[1], key[2]] };
      return;
    }
    const entry = { tag, version: version ?? tag.slice(this.from, this.to), key: [key[0], key[1], key[2]] as Key };
    // Equal versions keep listing order: a newcomer goes after every entry not below it.
    let at = top.length;
    while (at > 0 && compare(key, top[at - 1].key) > 0) at--;
    top.splice(at, 0, entry);
    if (top.length > this.keep) top.pop();
    this.highest = top[0];
  }

  result(): RegistryReleases {
    return {
      tags: this.tags,
      releases: this.releases,
      highest: this.highest?.version,
      top: this.top.map(({ tag, version }) => ({ tag, version }))
    };
  }

  /**
   * The common release tags, what quick() reads as RELEASE, told by a regular expression: the format around X.Y.Z,
   * else plain X.Y.Z or vX.Y.Z where the format does not claim the tag (quick() reads a tag the format claims by the
   * format only). Reads the version into `key` and sets where it lies; false leaves the tag to quick().
   */
  private release(tag: string): boolean {
    if (this.formatRelease.test(tag)) {
      this.from = this.before.length;
      this.to = tag.length - this.after.length;
    } else if (PLAIN_RELEASE.test(tag) && !this.claims(tag)) {
      this.from = tag.charCodeAt(0) === 118 /* v */ ? 1 : 0;
      this.to = tag.length;
    } else {
      return false;
    }
    readNumbers(tag, this.from, this.to, this.key);
    return true;
  }

  /** Whether quick() reads the tag by the format: it holds the format's text around something starting with a digit. */
  private claims(tag: string): boolean {
    const { before, after } = this;
    if (tag.length <= before.length + after.length || !tag.startsWith(before) || !tag.endsWith(after)) return false;
    return isDigit(tag.charCodeAt(before.length));
  }

  /**
   * Reads a tag of a common shape into `key` (its version is tag[from, to)), or says it is no release, or that only
   * releaseVersionOf can tell. Exact, step by step with releaseVersionOf: where the format matches, a middle that is
   * X.Y.Z is what format.parse returns, a middle of X.Y.Z-… is a prerelease or no version (and its tag, holding a
   * hyphen, is not plain X.Y.Z either), and a middle not starting with a digit is no version of the format; then
   * a tag that is X.Y.Z or vX.Y.Z is what the plain fallback returns, and one with any other character is none.
   */
  private quick(tag: string, key: Key): typeof RELEASE | typeof NOT_RELEASE | typeof ASK {
    const { before, after } = this;
    if (tag.length > before.length + after.length && tag.startsWith(before) && tag.endsWith(after)) {
      const from = before.length;
      const to = tag.length - after.length;
      const first = tag.charCodeAt(from);
      if (first >= 48 && first <= 57) {
        this.from = from;
        this.to = to;
        if (readCore(tag, from, to, key, 15) === CORE) return RELEASE;
        return coreThenHyphen(tag, from, to) ? NOT_RELEASE : ASK;
      }
    }
    this.from = tag.charCodeAt(0) === 118 /* v */ ? 1 : 0;
    this.to = tag.length;
    const shape = readCore(tag, this.from, this.to, key, 15);
    return shape === CORE ? RELEASE : shape === OTHER ? NOT_RELEASE : ASK;
  }
}

const RELEASE = 1;
const NOT_RELEASE = 2;
const ASK = 3;

/** The release versions among tags, in one pass. */
export function registryReleases(tags: Iterable<string>, format: TagFormat, keep = 20): RegistryReleases {
  return new ReleaseScan(format, keep).addAll(tags).result();
}
