/** Bump levels and rules: plain data, kept apart from the detector so reading the config never loads semver. */
export const BUMP_LEVELS = ['none', 'patch', 'minor', 'major'] as const;
export type BumpLevel = (typeof BUMP_LEVELS)[number];
export type Detector = 'markers' | 'conventional' | 'patterns';

export interface Commit {
  sha: string;
  subject: string;
  body: string;
}

/** A commit with the files it touched (renames as both paths). */
export interface CommitWithFiles extends Commit {
  files: string[];
}

export interface BumpRules {
  default: BumpLevel;
  detect: Detector[];
  types: Record<string, BumpLevel>;
  majorPattern?: string;
  minorPattern?: string;
  patchPattern?: string;
  searchBody: boolean;
  ignorePattern?: string;
  withoutCommits: boolean;
  pre1: { breaking?: BumpLevel; feature?: BumpLevel };
  /** Every commit bumps in turn (semantic-version's bump_each_commit). */
  eachCommit?: boolean;
}

export const DEFAULT_BUMP_RULES: BumpRules = {
  default: 'patch',
  detect: ['markers', 'conventional'],
  types: {},
  searchBody: true,
  withoutCommits: false,
  pre1: {}
};
