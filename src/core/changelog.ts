import { UserError } from './errors.js';

/**
 * Keep a Changelog rotation: `## [Unreleased]` becomes `## [X.Y.Z] - DATE` under a fresh, empty
 * `## [Unreleased]`, and the compare links at the bottom follow. Running it twice for one version changes nothing.
 */
export interface RotateInput {
  text: string;
  file: string;
  version: string;
  /** YYYY-MM-DD */
  date: string;
  /** Git tag of the new release, e.g. v1.3.0. */
  tag: string;
}

const UNRELEASED_HEADING = /^##[ \t]*\[?Unreleased\]?[ \t]*$/im;
const UNRELEASED_LINK = /^\[Unreleased\]:\s*(\S+?)\/compare\/(\S+?)\.\.\.(\S+)\s*$/im;

export function rotateChangelog(input: RotateInput): string {
  const { text, version, date, tag, file } = input;
  const escaped = version.replace(/[.+]/g, '\\$&');
  if (new RegExp(`^##\\s*\\[?${escaped}\\]?(\\s|$)`, 'm').test(text)) return text;
  const heading = text.match(UNRELEASED_HEADING);
  if (!heading || heading.index === undefined) {
    throw new UserError(`${file} has no "## [Unreleased]" heading to release (Keep a Changelog form expected)`, { file });
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  let out =
    text.slice(0, heading.index) +
    `## [Unreleased]${newline}${newline}## [${version}] - ${date}` +
    text.slice(heading.index + heading[0].length);
  const link = out.match(UNRELEASED_LINK);
  if (link && link.index !== undefined) {
    const [whole, base, previousReleaseRef] = link;
    const replacement = `[Unreleased]: ${base}/compare/${tag}...HEAD${newline}[${version}]: ${base}/compare/${previousReleaseRef}...${tag}`;
    out = out.slice(0, link.index) + replacement + out.slice(link.index + whole.length);
  }
  return out;
}
