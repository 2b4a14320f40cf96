import type { Minimatch } from 'minimatch';

/** minimatch's class: the engine behind branch patterns (GitHub's filter rules: `*` stops at '/'). */
export type GlobEngine = typeof Minimatch;

/** Loads the branch glob engine: only runs that have a branch glob to match pay its start-up cost. */
export async function loadGlobEngine(): Promise<GlobEngine> {
  return (await import('minimatch')).Minimatch;
}

/** One compiled path glob: its test, and the literal directories its alternatives start with ('' matches anywhere). */
export interface PathGlob {
  match(path: string): boolean;
  bases: string[];
}

/**
 * The engine behind every path glob that is more than a plain directory, file or extension (picomatch, as
 * dorny/paths-filter uses it, with dot files matched), so filters written for paths-filter match the same files.
 */
export type PathGlobEngine = (glob: string) => PathGlob;

/** Loads the path glob engine: only runs that have a real glob to match pay its start-up cost. */
export async function loadPathGlobEngine(): Promise<PathGlobEngine> {
  return (await import('./path-glob.js')).pathGlob;
}

/** Whether a branch pattern is a glob (GitHub's filter syntax) rather than a branch name. */
export function isBranchGlob(pattern: string): boolean {
  return /[*?[\]{}!+@()]/.test(pattern);
}
