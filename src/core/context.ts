/** What imgver knows about the run: the GitHub event or, locally, the git repository. Built by adapters/run-context.ts. */
export interface RepoInfo {
  name?: string;
  fullName?: string;
  description?: string;
  htmlUrl?: string;
  license?: string;
  defaultBranch?: string;
}

export interface RunContext {
  eventName: string;
  /** Full ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/42/merge. */
  ref: string;
  sha: string;
  defaultBranch?: string;
  prNumber?: number;
  /** Branch the run is about: the pushed branch, or a pull request's head branch. */
  branch?: string;
  baseRef?: string;
  runNumber?: string;
  repo: RepoInfo;
  payload: Record<string, unknown>;
  /** The wall clock, read once by the front door so that every template sees the same instant. */
  now: Date;
  commitDate?: Date;
  /** Length of `{{sha}}` and `type=sha` tags (DOCKER_METADATA_SHORT_SHA_LENGTH); 7 when unset. */
  shortShaLength?: number;
}

export function refBranch(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

export function refTag(ref: string): string | undefined {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

export function refPullRequest(ref: string): string | undefined {
  return ref.startsWith('refs/pull/') ? ref.slice('refs/pull/'.length).replace(/\/(merge|head)$/, '') : undefined;
}

export function shortSha(sha: string, length = 7): string {
  return sha.length <= length ? sha : sha.slice(0, length);
}
