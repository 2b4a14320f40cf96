import { LineCounter, parseDocument } from 'yaml';
import { imageReleaseOf, splitReference } from './chart.js';
import { UserError } from './errors.js';
import type { K8sChange, K8sDeployed, K8sImage } from './k8s-manifest.js';
import { rollbackTarget, type VersionManifest } from './manifest.js';
import { withWritten, type Plan } from './plan.js';
import { dockerSafeVersion } from './version.js';
import { stripLeadingV } from './version-tag.js';

/**
 * k8s-sync's rules beside the manifest edits (k8s-manifest.ts): which images a plan deploys, where a rollback goes,
 * the branch and text of the deploy repository's pull request, the plan and summary after a sync.
 */

/** The images of the plan's services that get a new release, each by the tag that carries its full version. */
export function releasedImages(plan: Plan | undefined): K8sImage[] {
  if (!plan) {
    throw new UserError("k8s-sync needs the plan input (from build-tag-push: versions, tags and digests), or --rollback --service S to go back", { input: 'plan' });
  }
  return plan.services
    .filter(s => s.version && s.image && s.action !== 'skipped' && (s.release !== false || s.digest))
    .map(s => {
      // The tag that carries the full version (never latest), as helm-sync writes it.
      const release = imageReleaseOf(s, undefined, { version: s.version!, tag: '', sha: '' });
      return { service: s.name, repository: s.image, tag: release.tag, digest: release.digest, version: release.version };
    });
}

/** A tag as a version to compare: `v1.2.3` and `1.2.3` are one version, in its Docker-safe spelling. */
export const versionOfTag = (tag: string): string => dockerSafeVersion(stripLeadingV(tag));

/** The image a service goes back to from a version manifest's history: the one before the current, or `to`. */
export function manifestRollbackImage(manifest: VersionManifest, manifestPath: string, name: string, to: string | undefined): K8sImage {
  const service = manifest.services[name];
  if (!service) throw new UserError(`Service ${name} is not in the version manifest ${manifestPath} (it has ${Object.keys(manifest.services).join(', ') || 'no services'})`, { input: 'service' });
  const target = to === undefined ? rollbackTarget(service, name, undefined) : service.history.find(h => h.tag === to || versionOfTag(h.tag) === versionOfTag(to));
  if (!target) throw new UserError(`Service ${name} has no ${to} in the history of ${manifestPath} (${service.history.map(h => h.tag).join(', ') || 'empty'})`, { input: 'to' });
  return { service: name, repository: service.image, tag: target.tag, digest: target.digest, version: versionOfTag(target.tag) };
}

/** Two deployments of one version and digest are the same. */
export const deployedIdentity = (d: K8sDeployed): string => `${d.version ?? (d.tag ? versionOfTag(d.tag) : '')}@${d.digest ?? ''}`;

/** Whether an earlier deployment of a file is the one to go back to: another version than now, or the `to` one. */
export function isRollbackTarget(d: K8sDeployed, current: Set<string>, to: string | undefined): boolean {
  return d.tag !== undefined && (to === undefined ? !current.has(deployedIdentity(d)) : versionOfTag(d.version ?? d.tag) === versionOfTag(to));
}

/** A branch name per service set, so each set of services has its own pull request. */
export function branchFor(images: K8sImage[], rollback: boolean): string {
  const names = [...new Set(images.map(i => i.service))].sort();
  let joined = names.join('-');
  if (joined.length > 60) {
    let hash = 0;
    for (const ch of joined) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
    joined = `${names.length}-services-${hash.toString(16)}`;
  }
  return `imgver/${rollback ? 'rollback' : 'k8s-sync'}/${joined}`;
}

/** The deploy repository's pull request: a title naming each service and version once, a table of the images. */
export function pullRequestText(images: K8sImage[], changes: K8sChange[], rollback: boolean): { title: string; body: string } {
  const rows = images.map(image => {
    const mine = changes.filter(c => c.service === image.service);
    // The old version: the annotation's, else the tag of the old reference or kustomize newTag.
    const olds = mine.flatMap(c => {
      if (!c.from) return [];
      if (c.what.endsWith('.version')) return [c.from];
      if (c.what.endsWith(' image')) return [splitReference(c.from).tag ?? ''];
      return c.what.endsWith('.newTag') ? [c.from] : [];
    });
    const old = olds.find(v => v) ?? '';
    return `| ${image.service} | ${old || '(new)'} → ${image.version} | \`${image.tag}\` | ${image.digest ? `\`${image.digest}\`` : ''} |`;
  });
  const files = [...new Set(changes.map(c => c.file))];
  const title = `${rollback ? 'Roll back' : 'Deploy'} ${[...new Set(images.map(i => `${i.service} ${i.version}`))].join(', ')}`;
  const body = [
    `imgver k8s-sync${rollback ? ' --rollback' : ''}: the image references and version annotations of these services.`,
    '',
    '| Service | Version | Tag | Digest |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `Files: ${files.map(f => `\`${f}\``).join(', ')}`
  ].join('\n');
  return { title: title.length > 250 ? `${title.slice(0, 247)}…` : title, body };
}

/** The line of `deploy.kubernetes[i]` in the config's text, for a message about that pattern. */
export function kubernetesPatternLine(configText: string, i: number): number | undefined {
  const counter = new LineCounter();
  const node = parseDocument(configText, { lineCounter: counter }).getIn(['deploy', 'kubernetes', i], true) as { range?: [number, number, number] } | undefined;
  return node?.range ? counter.linePos(node.range[0]).line : undefined;
}

export interface K8sPullRequest {
  number: number;
  url: string;
  action: string;
  branch: string;
  pushed: boolean;
}

/** The outputs, the plan (with the changed files to commit, unless they went to a deploy repository) and the summary. */
export function k8sSyncResult(args: {
  plan: Plan | undefined;
  images: K8sImage[];
  changes: K8sChange[];
  changedFiles: string[];
  pr: K8sPullRequest | undefined;
  dryRun: boolean;
  rollback: boolean;
  digest: boolean;
  deployRepository?: string;
}): { plan: Plan; outputs: Record<string, string>; summary: string } {
  const { images, changedFiles, pr, dryRun } = args;
  const base: Plan = args.plan ?? { schema: 1, services: [] };
  // Files in a deploy repository are committed there, not by this repository's release.
  const plan = dryRun || args.deployRepository ? base : withWritten(base, changedFiles);
  const summary = [
    `### imgver k8s-sync${args.rollback ? ' --rollback' : ''}${dryRun ? ' (dry run)' : ''}`,
    '',
    '| Service | Version | Tag | Digest |',
    '| --- | --- | --- | --- |',
    ...images.map(i => `| ${i.service} | ${i.version} | \`${i.tag}\` | ${i.digest ? `\`${i.digest.slice(0, 19)}…\`` : ''} |`),
    '',
    changedFiles.length > 0 ? `Files ${dryRun ? 'that would change' : 'changed'}: ${changedFiles.map(f => `\`${f}\``).join(', ')}` : 'No file changed.',
    ...(pr ? ['', `Pull request [#${pr.number}](${pr.url}) in ${args.deployRepository}: ${pr.action}`] : []),
    ''
  ].join('\n');
  const outputs = {
    'changed-files': JSON.stringify(changedFiles),
    changes: JSON.stringify(args.changes),
    images: JSON.stringify(Object.fromEntries(images.map(i => [i.service, `${i.repository}:${i.tag}${args.digest && i.digest ? `@${i.digest}` : ''}`]))),
    'pull-request': pr?.url ?? '',
    'pull-request-number': pr ? String(pr.number) : ''
  };
  return { plan, outputs, summary };
}
