import { UserError } from './errors.js';

const FULL_VERSION = /^v?\d+\.\d+\.\d+(?:[-+._].*)?$/;

export type TagAction = 'keep' | 'create' | 'move';

export interface TagState {
  tag: string;
  /** The digest the tag points at now; undefined when it does not exist. */
  current?: string;
}

export interface TagDecision extends TagState {
  action: TagAction;
}

/**
 * A release's version tags (1.2.3, v1.2.3, 1.2.3-api) never move once pushed; floating tags (latest, 1.2, sha-…,
 * main) do. A tag is a version tag when it holds the full version, in its Docker-safe form too (+ becomes -).
 */
export function isVersionTag(version: string | undefined): (tag: string) => boolean {
  // Without a plan's version (tags given by hand), any full X.Y.Z tag counts.
  if (!version) return tag => FULL_VERSION.test(tag);
  const forms = [...new Set([version, version.replace(/\+/g, '-')])];
  return tag => forms.some(form => tag === form || tag.includes(form));
}

/**
 * What to do with each target tag to point it at `target`: keep what already points there (a re-run), create what is
 * missing, move floating tags. A version tag on another digest is a conflict: all of them are reported at once, before
 * anything is written, unless `force`.
 */
export function decideTags(states: TagState[], target: string, versionTag: (tag: string) => boolean, force: boolean, image: string): TagDecision[] {
  const conflicts = states.filter(s => s.current && s.current !== target && versionTag(s.tag));
  if (conflicts.length > 0 && !force) {
    const list = conflicts.map(c => `${image}:${c.tag} → ${c.current}`).join(', ');
    throw new UserError(
      `${conflicts.length === 1 ? 'Tag' : 'Tags'} ${list} already ${conflicts.length === 1 ? 'exists' : 'exist'} on another image than ${target}; a released version is not overwritten. Release a new version, or set force: true to move ${conflicts.length === 1 ? 'it' : 'them'}`,
      { input: 'force' }
    );
  }
  return states.map(s => ({ ...s, action: s.current === target ? 'keep' : s.current ? 'move' : 'create' }));
}

/** The tag the previous release of a service carries: its version tag with the previous version in place of the new. */
export function previousTag(tags: string[], version: string | undefined, previous: string | undefined): string | undefined {
  if (!version || !previous || version === previous) return undefined;
  const forms: [string, string][] = [
    [version, previous],
    [version.replace(/\+/g, '-'), previous.replace(/\+/g, '-')]
  ];
  for (const tag of tags) {
    for (const [now, before] of forms) if (tag.includes(now)) return tag.replace(now, before);
  }
  return undefined;
}
