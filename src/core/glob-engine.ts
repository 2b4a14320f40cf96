import type { Minimatch } from 'minimatch';

/** minimatch's class: the glob engine behind every pattern that is more than a plain directory or file path. */
export type GlobEngine = typeof Minimatch;

/** Loads the glob engine: only runs that have a real glob to match pay its start-up cost. */
export async function loadGlobEngine(): Promise<GlobEngine> {
  return (await import('minimatch')).Minimatch;
}

/** Whether a branch pattern is a glob (GitHub's filter syntax) rather than a branch name. */
export function isBranchGlob(pattern: string): boolean {
  return /[*?[\]{}!+@()]/.test(pattern);
}
