import { join } from 'node:path';
import semver from '../core/semver.js';
import { type Config, type Scheme } from '../core/config.js';
import { refTag, shortSha, type RunContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { splitLines } from '../core/lines.js';
import { parsePlan, type Plan } from '../core/plan.js';
import {
  changelogNotes,
  DEFAULT_COMMIT_MESSAGE,
  movingTags,
  notesFromCommits,
  releaseCommitMessage,
  releaseTags,
  versionMismatch,
  type RecordedVersion,
  type ReleaseTag
} from '../core/release.js';
import { Git } from '../adapters/git.js';
import { publishRelease, remoteTagCommit, type OnConflict, type ReleaseCommit } from '../adapters/git-publish.js';
import { readTextIfExists, resolveInside, workingDirectoryOf } from '../adapters/files.js';
import { resolveContext } from '../adapters/run-context.js';
import { loadConfig } from './config-loader.js';
import { commonInputs, inputValue, numberInput, oneOfInput, parseBoolean, type CommonInputs, type RawInputs, planInput } from './inputs.js';
import { computeVersionSpec, helmSyncSpec } from './specs.js';
import { subRun } from './sub-run.js';
import type { ActionResult, ActionRun } from './types.js';
import { escapeMarkdown, markdownTable, type Cell } from '../core/markdown.js';

type NotesSource = 'auto' | 'changelog' | 'commits';

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

export function getInputs(raw: RawInputs, given: Set<string> = new Set()): ReleaseInputs {
  return {
    ...commonInputs(raw, given),
    plan: planInput(raw),
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

/** Paths git reports as changed or untracked in the working tree (NUL-separated porcelain, renames as their new path). */
async function dirtyPaths(git: Git): Promise<Set<string>> {
  const out = (await git.tryRun(['status', '--porcelain=v1', '-z', '--untracked-files=all'])) ?? '';
  const paths = new Set<string>();
  const tokens = out.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const entry = tokens[i];
    if (entry.length < 4) continue;
    paths.add(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return paths;
}

/**
 * The release; when it fails, the files its write-back changed (version files, changelogs, charts) are put back as
 * HEAD has them, so a failed release leaves the working tree as it found it. Files that were already changed before
 * the run are left alone.
 */
export async function run(runCtx: ActionRun): Promise<ActionResult> {
  const inputs = getInputs(runCtx.inputs, runCtx.given);
  const git = new Git(workingDirectoryOf(runCtx.cwd, inputs.workingDirectory));
  const before = inputs.dryRun || !(await git.isRepository()) ? undefined : await dirtyPaths(git);
  try {
    return await runRelease(runCtx);
  } catch (error) {
    if (before) {
      const left = [...(await dirtyPaths(git))].filter(path => !before.has(path));
      const tracked = new Set((await git.tryRun(['ls-files', '-z', '--', ...left]))?.split('\0').filter(Boolean) ?? []);
      if (tracked.size > 0) await git.tryRun(['checkout', 'HEAD', '--', ...tracked]);
      const { rmSync } = await import('node:fs');
      for (const path of left.filter(p => !tracked.has(p))) rmSync(join(git.cwd, path), { force: true });
      if (left.length > 0) runCtx.log.info(`Release failed: put back ${left.join(', ')} as they were`);
    }
    throw error;
  }
}

async function runRelease(runCtx: ActionRun): Promise<ActionResult> {
  const { log } = runCtx;
  const inputs = getInputs(runCtx.inputs, runCtx.given);
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  const git = new Git(cwd);
  await git.requireRepository('release');
  const config = await loadConfig(cwd, inputs.config, inputs.configGiven);
  const context = await resolveContext({ env: runCtx.env, overrides: inputs.overrides, now: runCtx.now, git: async () => git });
  const branch = inputs.branch ?? context.branch;

  const computeVersion = await import('./compute-version.js');
  const compute = async (plan: Plan | undefined, write: boolean, options: Parameters<typeof computeVersion.run>[1] = {}): Promise<Plan> => {
    const recipe: Record<string, string> = { ...(plan?.computeInputs ?? {}), 'working-directory': inputs.workingDirectory, write: String(write) };
    if (!plan?.computeInputs && inputs.configGiven) recipe.config = inputs.config;
    const result = await computeVersion.run(subRun(runCtx, computeVersionSpec.inputs, recipe, 'compute-version'), options);
    return parsePlan(result.outputs.plan);
  };
  /** helm-sync's write-back for the charts the plan holds (the chart files follow a recomputed version). */
  const syncCharts = async (plan: Plan): Promise<Plan> => {
    if (!plan.charts?.length) return plan;
    const helmSync = await import('./helm-sync.js');
    const charts = plan.charts.map(c => c.path).join('\n');
    const result = await helmSync.run(
      subRun(runCtx, helmSyncSpec.inputs, { 'working-directory': inputs.workingDirectory, plan: JSON.stringify(plan), charts, 'write-only': 'true' }, 'helm-sync')
    );
    return parsePlan(result.outputs.plan);
  };

  // Without a plan, release computes the versions itself (write-back included): a one-step release.
  let plan = inputs.plan ?? (await compute(undefined, !inputs.dryRun));
  let tags = releaseTags(plan);
  if (tags.length === 0) {
    log.info('Nothing to release: no service of the plan has a new release version');
    return outputs({ plan, tags: [], commit: '', urls: {}, summary: '### imgver release\n\nNothing to release.\n' });
  }
  checkTagFormats(tags, plan, config, computeVersion);
  await checkAgreement(tags, plan, config, cwd, computeVersion);
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
  const urls = inputs.githubRelease ? await publishGitHubReleases({ git, inputs, context, config, plan, tags, runCtx, commit: published.commit }) : {};
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

function outputs(args: { plan: Plan; tags: string[]; commit: string; urls: Record<string, string>; summary: string }): ActionResult {
  return {
    outputs: { tags: JSON.stringify(args.tags), commit: args.commit, 'release-urls': JSON.stringify(args.urls), plan: JSON.stringify(args.plan) },
    summary: args.summary
  };
}

/** The versions computed again on the new tip, with what the earlier steps recorded kept (digests, charts). */
function mergeRecomputed(original: Plan, next: Plan, log: ActionRun['log']): Plan {
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

type ComputeVersion = typeof import('./compute-version.js');

/** The scheme compute-version ran with: one image (the images input) is always one version line. */
const schemeOf = (plan: Plan, config: Config): Scheme => (plan.computeInputs?.images ? 'unified' : config.version.scheme);

/** Each release tag must be one of the configured tag format, and name the version it is for. */
function checkTagFormats(tags: ReleaseTag[], plan: Plan, config: Config, compute: ComputeVersion): void {
  for (const tag of tags) {
    const service = config.services.find(s => s.name === tag.services[0]);
    const format = compute.lineTagFormat(config, schemeOf(plan, config), plan.computeInputs?.['tag-format'], service);
    if (format.parse(tag.name) !== tag.version) {
      throw new UserError(
        `Release tag ${tag.name} of ${tag.services.join(', ')} does not match the tag format ${format.format} for version ${tag.version} (expected ${format.render(tag.version)}): check version.tag-format in ${config.file ?? 'imgver.yaml'}`,
        { input: 'plan' }
      );
    }
  }
}

/** The release tag, the version file and the charts must name one version. */
async function checkAgreement(tags: ReleaseTag[], plan: Plan, config: Config, cwd: string, compute: ComputeVersion): Promise<void> {
  const { parseVersionFileSpec, readVersionFile } = await import('../core/version-file.js');
  const problems: string[] = [];
  for (const tag of tags) {
    const recorded: RecordedVersion[] = [];
    const service = config.services.find(s => s.name === tag.services[0]);
    const fileSpec = compute.lineVersionFile(config, schemeOf(plan, config), plan.computeInputs?.['version-file'], service);
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

const isVersionLike = (text: string) => semver.valid(text.replace(/^v/, '')) !== null;

async function dryRun(args: {
  git: Git;
  log: ActionRun['log'];
  inputs: ReleaseInputs;
  plan: Plan;
  tags: ReleaseTag[];
  files: string[];
  branch?: string;
  reserved: boolean;
}): Promise<ActionResult> {
  const { git, log, inputs, plan, tags, files, branch, reserved } = args;
  const head = (await git.run(['rev-parse', 'HEAD'])).trim();
  const diff = files.length > 0 ? ((await git.tryRun(['diff', '--stat', 'HEAD', '--', ...files])) ?? '').trim() : '';
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

async function publishGitHubReleases(args: {
  git: Git;
  inputs: ReleaseInputs;
  context: RunContext;
  config: Config;
  plan: Plan;
  tags: ReleaseTag[];
  runCtx: ActionRun;
  commit: string;
}): Promise<Record<string, string>> {
  const { git, inputs, context, config, plan, tags, runCtx, commit } = args;
  const fullName = context.repo.fullName ?? runCtx.env.GITHUB_REPOSITORY;
  if (!fullName || !fullName.includes('/')) {
    throw new UserError('A GitHub Release needs the repository (owner/name): GITHUB_REPOSITORY is not set', { input: 'github-release' });
  }
  const [owner, repo] = fullName.split('/');
  const token = inputs.token ?? runCtx.env.GITHUB_TOKEN ?? '';
  const { GitHubReleases } = await import('../adapters/github.js');
  const github = await GitHubReleases.open(token, runCtx.env.GITHUB_API_URL || undefined);
  const urls: Record<string, string> = {};
  for (const tag of tags) {
    const body = await releaseNotes({ git, inputs, config, plan, tag, commit });
    const release = await github.upsert({ owner, repo, tag: tag.name, name: tag.name, body, prerelease: tag.prerelease });
    runCtx.log.info(`GitHub Release ${tag.name}: ${release.action} (${release.url})`);
    urls[tag.name] = release.url;
  }
  return urls;
}

/** The changelog's section of the version (as committed by the release), else the commits since the previous release. */
async function releaseNotes(args: { git: Git; inputs: ReleaseInputs; config: Config; plan: Plan; tag: ReleaseTag; commit: string }): Promise<string> {
  const { git, inputs, config, plan, tag, commit } = args;
  if (inputs.releaseNotes !== 'commits') {
    const { changelogPathOf } = await import('./compute-version.js');
    const service = config.services.find(s => s.name === tag.services[0]);
    const path = service ? changelogPathOf(config, schemeOf(plan, config) === 'unified', service) : config.version.changelog === false ? undefined : 'CHANGELOG.md';
    const text = path ? await git.tryRun(['show', `${commit}:${path}`]) : undefined;
    const notes = text ? changelogNotes(text, tag.version) : undefined;
    if (notes) return notes;
    if (inputs.releaseNotes === 'changelog') {
      throw new UserError(`release-notes is changelog, but ${path ?? 'the changelog'} has no section for ${tag.version} at ${tag.name}`, { input: 'release-notes' });
    }
  }
  const previousTag = await previousReleaseTag(git, plan, tag);
  const range = previousTag ? `${previousTag}..${tag.name}` : tag.name;
  const log = (await git.run(['log', '--no-merges', '--format=%H%x09%s', range])).split('\n').filter(Boolean);
  return notesFromCommits(log.map(line => ({ sha: line.split('\t')[0], subject: line.slice(line.indexOf('\t') + 1) })));
}

/** The release before this one: the plan's previous version, else the highest lower version tag of the same prefix behind it. */
async function previousReleaseTag(git: Git, plan: Plan, tag: ReleaseTag): Promise<string | undefined> {
  const prefix = tag.name.slice(0, tag.name.length - tag.version.length);
  const exists = async (name: string) => (await git.tryRun(['rev-parse', '--verify', '--quiet', `refs/tags/${name}^{commit}`])) !== undefined;
  const previous = plan.services.find(s => tag.services.includes(s.name))?.previous;
  if (previous && previous !== tag.version && (await exists(prefix + previous))) return prefix + previous;
  const behind = (await git.tryRun(['tag', '--merged', `${tag.name}^{commit}`, '--list', `${prefix}*`]))?.split('\n').filter(Boolean) ?? [];
  const versions = behind
    .map(name => ({ name, version: semver.valid(name.slice(prefix.length)) }))
    .filter((t): t is { name: string; version: string } => !!t.version && semver.lt(t.version, tag.version) && semver.prerelease(t.version) === null);
  return versions.sort((a, b) => semver.rcompare(a.version, b.version))[0]?.name;
}
