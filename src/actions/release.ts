import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { refTag, shortSha } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { splitLines } from '../core/lines.js';
import { type Plan, type VersionRequest } from '../core/plan.js';
import {
  DEFAULT_COMMIT_MESSAGE,
  movingTags,
  releaseCommitMessage,
  releaseTags,
  versionMismatch,
  type RecordedVersion,
  type ReleaseTag
} from '../core/release.js';
import { isVersionLike } from '../core/version-tag.js';
import { lineTagFormat, lineVersionFile, requestScheme } from '../core/version-line.js';
import { Git } from '../adapters/git.js';
import { publishRelease, remoteTagCommit, type OnConflict, type ReleaseCommit } from '../adapters/git-publish.js';
import { readTextIfExists, resolveInside, workingDirectoryOf } from '../adapters/files.js';
import { commonInputs, inputValue, numberInput, oneOfInput, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import { chartWriteBackInputs, type HelmSyncInputs } from './helm-sync-inputs.js';
import { publishGitHubReleases, type NotesSource } from './release-notes.js';
import { computeVersions, requestOfPlan } from './version-computation.js';
import { subContext } from './sub-run.js';
import type { StageResult, StageContext, StageModule } from './types.js';
import { escapeMarkdown, markdownTable, type Cell } from '../core/markdown.js';

export interface ReleaseInputs extends CommonInputs {
  plan?: Plan;
  files: string[];
  commitMessage: string;
  remote: string;
  branch?: string;
  onConflict: OnConflict;
  maxAttempts: number;
  movingTags: boolean;
  githubRelease: boolean;
  releaseNotes: NotesSource;
  token?: string;
  dryRun: boolean;
}

export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): ReleaseInputs {
  return {
    ...commonInputs(raw, given),
    plan,
    files: splitLines(raw.files),
    commitMessage: inputValue(raw, 'commit-message') ?? DEFAULT_COMMIT_MESSAGE,
    remote: inputValue(raw, 'remote') ?? 'origin',
    branch: inputValue(raw, 'branch'),
    onConflict: oneOfInput(raw, 'on-conflict', ['fail', 'recompute'] as const, 'fail'),
    maxAttempts: numberInput(raw, 'max-attempts', 10, { max: 50 }),
    movingTags: parseBoolean(raw['moving-tags'] ?? '', 'moving-tags'),
    githubRelease: parseBoolean(raw['github-release'] ?? '', 'github-release'),
    releaseNotes: oneOfInput(raw, 'release-notes', ['auto', 'changelog', 'commits'] as const, 'auto'),
    token: inputValue(raw, 'token'),
    dryRun: parseBoolean(raw['dry-run'] ?? '', 'dry-run')
  };
}

/**
 * The release; when it fails, the files its write-back changed (version files, changelogs, charts) are put back as
 * HEAD has them, so a failed release leaves the working tree as it found it. Files that were already changed before
 * the run are left alone.
 */
export async function run(_plan: Plan | undefined, inputs: ReleaseInputs, runCtx: StageContext): Promise<StageResult> {
  const git = new Git(workingDirectoryOf(runCtx.cwd, inputs.workingDirectory));
  const before = inputs.dryRun || !(await git.isRepository()) ? undefined : await git.dirtyPaths();
  try {
    return await runRelease(inputs, runCtx);
  } catch (error) {
    if (before) {
      const left = [...(await git.dirtyPaths())].filter(path => !before.has(path));
      const tracked = new Set(await git.trackedPaths(left));
      await git.restoreFromHead([...tracked]);
      const { rmSync } = await import('node:fs');
      for (const path of left.filter(p => !tracked.has(p))) rmSync(join(git.cwd, path), { force: true });
      if (left.length > 0) runCtx.log.info(`Release failed: put back ${left.join(', ')} as they were`);
    }
    throw error;
  }
}

async function runRelease(inputs: ReleaseInputs, runCtx: StageContext): Promise<StageResult> {
  const { log } = runCtx;
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  const git = new Git(cwd);
  await git.requireRepository('release');
  const config = await runCtx.config(cwd, inputs.config, inputs.configGiven);
  const context = await runCtx.runContext({ cwd, overrides: inputs.overrides, git: async () => git });
  const branch = inputs.branch ?? context.branch;

  // The versions are computed again from the plan's request (without a plan: for the config, a one-step release).
  const request = (plan: Plan | undefined): VersionRequest => (plan && requestOfPlan(plan)) ?? (inputs.configGiven ? { config: inputs.config } : {});
  const compute = async (plan: Plan | undefined, write: boolean, options: { fixed?: Record<string, string>; forwardOnly?: boolean } = {}): Promise<Plan> => {
    // A fresh read of imgver.yaml and the run context: on a moved branch they are the new tip's.
    const computed = await computeVersions(request(plan), subContext(runCtx, 'compute-version'), { ...options, workingDirectory: inputs.workingDirectory, write, reserve: false, maxAttempts: 10 });
    return withoutUndefined(computed.plan);
  };
  /** helm-sync's write-back for the charts the plan holds (the chart files follow a recomputed version). */
  const syncCharts = async (plan: Plan): Promise<Plan> => {
    if (!plan.charts?.length) return plan;
    const helmSync = (await runCtx.stage('helm-sync')) as StageModule<HelmSyncInputs>;
    const result = await helmSync.run(plan, chartWriteBackInputs(inputs, plan), subContext(runCtx, 'helm-sync'));
    return result.plan!;
  };

  // Without a plan, release computes the versions itself (write-back included): a one-step release.
  let plan = inputs.plan ?? (await compute(undefined, !inputs.dryRun));
  let tags = releaseTags(plan);
  if (tags.length === 0) {
    log.info('Nothing to release: no service of the plan has a new release version');
    return outputs({ plan, tags: [], commit: '', urls: {}, summary: '### imgver release\n\nNothing to release.\n' });
  }
  checkTagFormats(tags, request(plan), config);
  await checkAgreement(tags, plan, request(plan), config, cwd);
  const reserved = plan.services.some(s => s.release && s.reserved);
  if (!branch && !refTag(context.ref)) {
    throw new UserError(`Cannot tell which branch to commit the release to (ref ${context.ref}): set the branch input`, { input: 'branch' });
  }
  if (!branch && inputs.files.length + (plan.written?.length ?? 0) > 0) {
    throw new UserError(`This run is for tag ${refTag(context.ref)}: there is no branch to commit ${[...(plan.written ?? []), ...inputs.files].join(', ')} to; set the branch input, or do not write files on a tag push`, { input: 'branch' });
  }

  for (const file of inputs.files) resolveInside(cwd, file, 'files');
  for (const file of plan.written ?? []) resolveInside(cwd, file, { name: `File ${file} (written in the plan)`, input: 'plan' });
  const files = (p: Plan) => [...new Set([...(p.written ?? []), ...inputs.files])];
  if (inputs.dryRun) return dryRun({ git, log, inputs, plan, tags, files: files(plan), branch, reserved });

  const original = plan;
  const prepare = async (attempt: number): Promise<ReleaseCommit> => {
    if (attempt > 1) {
      // Recomputing reads the tags publishRelease fetched with the new tip.
      const recompute = inputs.onConflict === 'recompute' && !reserved;
      const fixed = recompute ? undefined : Object.fromEntries(original.services.filter(s => s.release && s.version).flatMap(s => [[s.name, s.version!], ['unified', s.version!]]));
      let next = await compute(original, true, fixed ? { fixed, forwardOnly: true } : {});
      next = await syncCharts({ ...next, charts: original.charts });
      plan = mergeRecomputed(original, next, log);
      tags = releaseTags(plan);
    }
    return releaseCommit(git, inputs, tags, files(plan), reserved);
  };
  const published = await publishRelease(git, {
    remote: inputs.remote,
    branch,
    onConflict: inputs.onConflict,
    maxAttempts: branch ? inputs.maxAttempts : 1,
    fetchTags: inputs.onConflict === 'recompute' && !reserved,
    prepare,
    log: m => log.info(m)
  });
  if (tags.length === 0) log.info(`Nothing left to release: the release on the new tip of ${branch} already holds these commits`);
  const moving = inputs.movingTags ? tags.flatMap(movingTags) : [];
  const urls = inputs.githubRelease ? await publishGitHubReleases({ git, inputs, context, config, plan, tags, env: runCtx.env, log, commit: published.commit }) : {};
  plan = { ...plan, release: { commit: published.commit, branch, tags: tags.map(t => t.name), moving, urls } };
  const rows = tags.map((t): Cell[] => [{ code: t.name }, t.services.join(', '), { code: shortSha(published.commit) }, urls[t.name] ?? '']);
  const summary = [
    '### imgver release',
    '',
    published.alreadyPublished ? 'Already published by an earlier run: nothing was pushed.' : `Pushed to \`${branch ?? inputs.remote}\` in ${published.attempts} attempt(s).`,
    '',
    markdownTable(['Tag', 'Services', 'Commit', 'GitHub Release'], rows),
    ''
  ].join('\n');
  return outputs({ plan, tags: tags.map(t => t.name), commit: published.commit, urls, summary });
}

function outputs(args: { plan: Plan; tags: string[]; commit: string; urls: Record<string, string>; summary: string }): StageResult {
  return {
    plan: args.plan,
    outputs: { tags: JSON.stringify(args.tags), commit: args.commit, 'release-urls': JSON.stringify(args.urls) },
    summary: args.summary
  };
}

/** The versions computed again on the new tip, with what the earlier steps recorded kept (digests, charts). */
function mergeRecomputed(original: Plan, next: Plan, log: StageContext['log']): Plan {
  for (const service of next.services) {
    const before = original.services.find(s => s.name === service.name);
    if (before?.digest && before.version !== service.version && service.release) {
      log.warning(
        `${service.name}: the image was pushed as ${before.version}, but the release is now ${service.version} (another run released ${before.version}); use reserve: true on compute-version to own the version before building`
      );
    }
  }
  const services = next.services.map(s => ({ ...original.services.find(o => o.name === s.name), ...s }));
  return { ...original, ...next, services, charts: next.charts ?? original.charts };
}

async function releaseCommit(git: Git, inputs: ReleaseInputs, tags: ReleaseTag[], files: string[], reserved: boolean): Promise<ReleaseCommit> {
  const message = releaseCommitMessage(inputs.commitMessage, tags);
  let moving: ReleaseCommit['moving'] = [];
  if (inputs.movingTags) {
    for (const tag of tags) {
      const target = reserved ? await remoteTagCommit(git, inputs.remote, tag.name) : undefined;
      moving.push(...movingTags(tag).map(name => ({ name, target })));
    }
  }
  return {
    files,
    message,
    // Reserved tags were pushed by compute-version, on the built commit: the release commit only records the files.
    tags: reserved ? [] : tags.map(t => ({ name: t.name, message: `Release ${t.version}${t.services.length > 0 ? ` (${t.services.join(', ')})` : ''}` })),
    moving
  };
}

/** The plan's version lines as computed in JSON: typed fields present, no undefined ones (they would mask what a merge keeps). */
function withoutUndefined(plan: Plan): Plan {
  const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  return compact({ ...plan, services: plan.services.map(compact) });
}

/** Each release tag must be one of the configured tag format, and name the version it is for. */
function checkTagFormats(tags: ReleaseTag[], request: VersionRequest, config: Config): void {
  for (const tag of tags) {
    const service = config.services.find(s => s.name === tag.services[0]);
    const format = lineTagFormat(config, requestScheme(request, config), request.tagFormat, service);
    if (format.parse(tag.name) !== tag.version) {
      throw new UserError(
        `Release tag ${tag.name} of ${tag.services.join(', ')} does not match the tag format ${format.format} for version ${tag.version} (expected ${format.render(tag.version)}): check version.tag-format in ${config.file ?? 'imgver.yaml'}`,
        { input: 'plan' }
      );
    }
  }
}

/** The release tag, the version file and the charts must name one version. */
async function checkAgreement(tags: ReleaseTag[], plan: Plan, request: VersionRequest, config: Config, cwd: string): Promise<void> {
  const { parseVersionFileSpec, readVersionFile } = await import('../core/version-file.js');
  const problems: string[] = [];
  for (const tag of tags) {
    const recorded: RecordedVersion[] = [];
    const service = config.services.find(s => s.name === tag.services[0]);
    const fileSpec = lineVersionFile(config, requestScheme(request, config), request.versionFile, service);
    if (fileSpec) {
      const spec = parseVersionFileSpec(fileSpec);
      const text = await readTextIfExists(resolveInside(cwd, spec.path, { name: `Version file ${spec.path}`, input: 'version-file' }, 'file'));
      if (text !== undefined) recorded.push({ where: `version file ${spec.path}`, version: readVersionFile(spec, text) });
    }
    for (const chart of plan.charts ?? []) {
      const chartConfig = config.charts.find(c => c.path === chart.path);
      const forThis = tags.length === 1 || (chartConfig?.service !== undefined && tag.services.includes(chartConfig.service));
      if (!forThis) continue;
      if (chart.appVersion !== undefined && chartConfig?.appVersion !== false && isVersionLike(chart.appVersion)) {
        recorded.push({ where: `${chart.path}/Chart.yaml appVersion`, version: chart.appVersion });
      }
      if (chartConfig?.version === 'release') recorded.push({ where: `${chart.path}/Chart.yaml version`, version: chart.version });
    }
    const mismatch = versionMismatch(tag, recorded);
    if (mismatch) problems.push(mismatch);
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), { input: 'plan' });
}

async function dryRun(args: {
  git: Git;
  log: StageContext['log'];
  inputs: ReleaseInputs;
  plan: Plan;
  tags: ReleaseTag[];
  files: string[];
  branch?: string;
  reserved: boolean;
}): Promise<StageResult> {
  const { git, log, inputs, plan, tags, files, branch, reserved } = args;
  const head = await git.head();
  const diff = files.length > 0 ? await git.diffStat('HEAD', files) : '';
  const message = releaseCommitMessage(inputs.commitMessage, tags);
  const moving = inputs.movingTags ? tags.flatMap(movingTags) : [];
  const lines = [
    `Dry run: nothing is committed, tagged, pushed or published.`,
    branch ? `Would commit on ${shortSha(head)} and push to ${inputs.remote} ${branch}: "${message}"` : `Would push tags only (ref is a tag)`,
    diff ? `Files:\n${diff}` : 'Files: none changed (the tags go on the current commit)',
    reserved ? `Tags: ${tags.map(t => t.name).join(', ')} are reserved already (pushed by compute-version)` : `Annotated tags: ${tags.map(t => t.name).join(', ')}`,
    ...(moving.length > 0 ? [`Moving tags (force-pushed): ${moving.join(', ')}`] : []),
    ...(inputs.githubRelease ? [`GitHub Releases: ${tags.map(t => `${t.name}${t.prerelease ? ' (prerelease)' : ''}`).join(', ')}`] : [])
  ];
  for (const line of lines) log.info(line);
  return outputs({
    plan,
    tags: tags.map(t => t.name),
    commit: '',
    urls: {},
    summary: ['### imgver release (dry run)', '', ...lines.map(l => `- ${escapeMarkdown(l)}`), ''].join('\n')
  });
}
