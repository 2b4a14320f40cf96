import picomatch from 'picomatch/posix.js';
import type { PathGlob } from './glob-engine.js';

/** A path glob compiled by picomatch (dot files matched, '/' the only separator): see PathGlobEngine. */
export function pathGlob(glob: string): PathGlob {
  const match = picomatch(glob, { dot: true });
  // An escaped character in the literal part would make the index miss the real directory: index at the root then.
  if (glob.includes('\\')) return { match, bases: [''] };
  // Each alternative of a brace group has a literal directory of its own ({api,web}/** → api, web).
  const bases = new Set((braceAlternatives(glob) ?? [glob]).map(alternative => picomatch.scan(alternative).base));
  return { match, bases: [...bases] };
}

/** The alternatives of a glob's `{a,b}` groups (nested too), or undefined when it has none or one too many to index. */
export function braceAlternatives(glob: string, limit = 64): string[] | undefined {
  const open = glob.indexOf('{');
  if (open === -1) return undefined;
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length && close === -1; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) close = i;
    else if (glob[i] === ',' && depth === 1) commas.push(i);
  }
  // `{1..3}` ranges and unclosed braces: no alternatives to index by.
  if (close === -1 || commas.length === 0) return undefined;
  const cuts = [open, ...commas, close];
  const out: string[] = [];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const expanded = glob.slice(0, open) + glob.slice(cuts[c] + 1, cuts[c + 1]) + glob.slice(close + 1);
    for (const alternative of braceAlternatives(expanded, limit) ?? [expanded]) {
      out.push(alternative);
      if (out.length > limit) return undefined;
    }
  }
  return out;
}
