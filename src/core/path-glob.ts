import picomatch from 'picomatch/posix.js';
import type { PathGlob } from './glob-engine.js';

/** A path glob compiled by picomatch (dot files matched, '/' the only separator): see PathGlobEngine. */
export function pathGlob(glob: string): PathGlob {
  const { base } = picomatch.scan(glob);
  // An escaped character in the literal part would make the index miss the real directory: index at the root then.
  return { match: picomatch(glob, { dot: true }), base: base.includes('\\') ? '' : base };
}
