import type { ManifestService, VersionManifest } from './manifest.js';
import { codeBlock, escapeMarkdown, markdownTable, type Cell } from './markdown.js';

/** What imgver manifest shows: status and history (lines and data), the job summary, and a version endpoint's answer. */

export interface ManifestReport {
  title: string;
  data: unknown;
  lines: string[];
}

export function statusReport(manifest: VersionManifest): ManifestReport {
  const data = Object.entries(manifest.services).map(([name, s]) => ({ service: name, tag: s.current_tag, digest: s.image_digest ?? '', updated: s.updated_at, custom: s.custom, history: s.history.length }));
  const width = Math.max(7, ...data.map(d => d.service.length));
  const tagWidth = Math.max(3, ...data.map(d => d.tag.length + (d.custom ? 9 : 0)));
  const lines = [
    `${'SERVICE'.padEnd(width)}  ${'TAG'.padEnd(tagWidth)}  ${'DIGEST'.padEnd(19)}  UPDATED`,
    ...data.map(d => `${d.service.padEnd(width)}  ${`${d.tag}${d.custom ? ' (custom)' : ''}`.padEnd(tagWidth)}  ${(d.digest.slice(0, 19) || '—').padEnd(19)}  ${d.updated}`)
  ];
  return { title: 'status', data, lines };
}

export function historyReport(manifest: VersionManifest, only?: string): ManifestReport {
  const data = Object.fromEntries(
    Object.entries(manifest.services)
      .filter(([name]) => !only || name === only)
      .map(([name, s]) => [name, [{ tag: s.current_tag, digest: s.image_digest ?? '', time: s.updated_at, current: true }, ...s.history.map(h => ({ ...h, current: false }))]])
  );
  const lines = Object.entries(data).flatMap(([name, entries]) => [
    `${name}:`,
    ...entries.map(e => `  ${e.current ? '*' : ' '} ${e.tag.padEnd(16)} ${(e.digest ?? '').slice(0, 19).padEnd(19)} ${e.time}${'reason' in e && e.reason ? ` (${e.reason})` : ''}`)
  ]);
  return { title: 'history', data, lines };
}

/** The summary of a report: its lines as a code block. */
export function reportSummary(report: ManifestReport): string {
  return [`### imgver manifest ${report.title}`, '', codeBlock(report.lines), ''].join('\n');
}

function statusRow(name: string, s: ManifestService, before?: string): Cell[] {
  const was = before && before !== s.current_tag ? ` (was ${before})` : '';
  return [name, `${s.current_tag}${was}${s.custom ? ' custom' : ''}`, s.image_digest ? { code: `${s.image_digest.slice(0, 19)}…` } : '', s.updated_at, s.history.map(h => h.tag).join(', ')];
}

/** The summary after a change: a row per service of the new manifest, with the tag it had before. */
export function changeSummary(title: string, path: string, manifest: VersionManifest, before: VersionManifest): string {
  const rows = Object.entries(manifest.services).map(([name, s]) => statusRow(name, s, before.services[name]?.current_tag));
  return [`### ${escapeMarkdown(title)}`, '', `<code>${escapeMarkdown(path)}</code>`, '', markdownTable(['Service', 'Tag', 'Digest', 'Updated', 'History'], rows), ''].join('\n');
}

/** A version as compared: without a leading v before a digit, trimmed. */

/** The version in a response body: JSON {"version": …} (also nested under app/build/info), else the first line of text. */
export function versionInBody(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    if (json && typeof json === 'object') {
      for (const candidate of [json, json.app, json.build, json.info]) {
        const version = (candidate as Record<string, unknown> | undefined)?.version;
        if (typeof version === 'string' || typeof version === 'number') return String(version);
      }
      return '';
    }
    return String(json);
  } catch {
    return body.split('\n')[0].slice(0, 200);
  }
}

/** An environment name (deploy/<name>/version-manifest.yaml) or a manifest path (*.yaml, *.yml, or with a slash). */
export function manifestPathOf(environment: string): string {
  return /\.ya?ml$/i.test(environment) ? environment : `deploy/${environment}/version-manifest.yaml`;
}
