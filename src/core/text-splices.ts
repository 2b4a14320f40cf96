/** A range [start, end) of a text and what replaces it (start === end: an insertion). */
export interface TextSplice {
  start: number;
  end: number;
  text: string;
}

/**
 * The text with every splice applied, as replacing them one at a time from the last start to the first would (of two
 * at the same start, the one given later ends up first). Built in one pass: replacing one at a time copies the whole
 * text per splice, and a values file edited for a hundred services takes some milliseconds that way. Splices whose
 * ranges overlap are applied one at a time, as before.
 */
export function applySplices(text: string, splices: readonly TextSplice[]): string {
  // Ascending start; of equal starts, the one given later first: the order the one-at-a-time replacement leaves them in.
  const order = splices.map((splice, index) => ({ splice, index })).sort((a, b) => a.splice.start - b.splice.start || b.index - a.index);
  let cursor = 0;
  const parts: string[] = [];
  for (const { splice } of order) {
    if (splice.start < cursor || splice.end < splice.start) return oneAtATime(text, splices);
    parts.push(text.slice(cursor, splice.start), splice.text);
    cursor = splice.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

function oneAtATime(text: string, splices: readonly TextSplice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}
