import { UserError } from './errors.js';

/**
 * keep: already on the target; create / move: a tag read before, missing or elsewhere; set: a floating tag written
 * without reading it first (its PUT costs what a read would, and a floating tag may move); leave: a floating tag not
 * read or written, because every version tag of its image already holds the target (see retagDecisions).
 */
export type TagAction = 'keep' | 'create' | 'move' | 'set' | 'leave';

export interface TagState {
  tag: string;
  /** The digest the tag points at now; undefined when it does not exist. */
  current?: string;
}

export interface TagDecision extends TagState {
  action: TagAction;
}

/** A version tag that already holds another image than the one this run would point it at. */
export interface TagConflict {
  /** image:tag */
  reference: string;
  current: string;
  /** What is known of both images, e.g. "built from abc1234; this run builds def5678". */
  detail?: string;
}

/** The version tags among `states` that hold something else than `target` (any image at all when there is no target yet). */
export function versionTagConflicts(states: TagState[], target: string | undefined, versionTag: (tag: string) => boolean, image: string, detail?: string): TagConflict[] {
  return states
    .filter(s => s.current && s.current !== target && versionTag(s.tag))
    .map(s => ({ reference: `${image}:${s.tag}`, current: s.current!, ...(detail ? { detail } : {}) }));
}

/** One error for every conflict of the run, so a single run shows all of them. */
export function conflictError(conflicts: TagConflict[]): UserError {
  const one = conflicts.length === 1;
  const lines = conflicts.map(c => `  ${c.reference} → ${c.current}${c.detail ? ` (${c.detail})` : ''}`);
  return new UserError(
    [
      `${one ? 'Version tag' : `${conflicts.length} version tags`} already ${one ? 'holds' : 'hold'} another image, and a released version is never overwritten:`,
      ...lines,
      `Nothing was pushed or tagged. Release a new version, or set force: true to move ${one ? 'it' : 'them'}.`
    ].join('\n'),
    { input: 'force' }
  );
}

/**
 * What to do with each target tag to point it at `target`: keep what already points there (a re-run), create what is
 * missing, move the rest. Version tags on another digest are conflicts the caller checks first (versionTagConflicts).
 */
export function decideTags(states: TagState[], target: string): TagDecision[] {
  return states.map(s => ({ ...s, action: s.current === target ? 'keep' : s.current ? 'move' : 'create' }));
}

/** The tags of one image worth reading before a retag: its version tags, or every tag when it has none. */
export function tagsToRead(tags: string[], versionTag: (tag: string) => boolean): string[] {
  const versions = tags.filter(versionTag);
  return versions.length > 0 ? versions : tags;
}

/**
 * What to do with each of an image's `tags` to point them at `target`, when only the tags in `states` were read.
 * Unread (floating) tags are written first and the version tags last, so an image whose version tags all hold the
 * target is complete: its floating tags were written before them, and a later release may have moved them since,
 * which a re-run must not undo. Such an image's unread tags are left alone; otherwise they are set.
 */
export function retagDecisions(tags: string[], states: TagState[], target: string): TagDecision[] {
  const read = decideTags(states, target);
  const unread = tags.filter(tag => !states.some(s => s.tag === tag));
  const complete = read.length > 0 && read.every(d => d.action === 'keep');
  return [...unread.map(tag => ({ tag, action: complete ? ('leave' as const) : ('set' as const) })), ...read];
}
