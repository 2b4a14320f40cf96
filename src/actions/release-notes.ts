import semver from '../core/semver.js';
import type { Config } from '../core/config.js';
import type { RunContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Plan } from '../core/plan.js';
import { changelogNotes, notesFromCommits, type ReleaseTag } from '../core/release.js';
import { changelogPathOf, requestScheme } from '../core/version-line.js';
import { previousRelease, type TagVersion } from '../core/version-tag.js';
import type { Git } from '../adapters/git.js';
import { requestOfPlan } from './version-computation.js';

/** Where a GitHub Release's notes come from: the changelog's section when there is one (auto), or the commits. */
export type NotesSource = 'auto' | 'changelog' | 'commits';

/** A GitHub Release for each release tag, with its notes. */
export async function publishGitHubReleases(args: {
  git: Git;
  inputs: { releaseNotes: NotesSource; token?: string };
  context: RunContext;
  config: Config;
  plan: Plan;
  tags: ReleaseTag[];
  env: NodeJS.ProcessEnv;
  log: Logger;
  commit: string;
}): Promise<Record<string, string>> {
  const { git, inputs, context, config, plan, tags, env, commit } = args;
  const fullName = context.repo.fullName ?? env.GITHUB_REPOSITORY;
  if (!fullName || !fullName.includes('/')) {
    throw new UserError('A GitHub Release needs the repository (owner/name): GITHUB_REPOSITORY is not set', { input: 'github-release' });
  }
  const [owner, repo] = fullName.split('/');
  const token = inputs.token ?? env.GITHUB_TOKEN ?? '';
  const { GitHubReleases } = await import('../adapters/github.js');
  const github = await GitHubReleases.open(token, env.GITHUB_API_URL || undefined);
  const urls: Record<string, string> = {};
  for (const tag of tags) {
    const body = await releaseNotes({ git, inputs, config, plan, tag, commit });
    const release = await github.upsert({ owner, repo, tag: tag.name, name: tag.name, body, prerelease: tag.prerelease });
    args.log.info(`GitHub Release ${tag.name}: ${release.action} (${release.url})`);
    urls[tag.name] = release.url;
  }
  return urls;
}

/** The changelog's section of the version (as committed by the release), else the commits since the previous release. */
async function releaseNotes(args: { git: Git; inputs: { releaseNotes: NotesSource }; config: Config; plan: Plan; tag: ReleaseTag; commit: string }): Promise<string> {
  const { git, inputs, config, plan, tag, commit } = args;
  if (inputs.releaseNotes !== 'commits') {
    const service = config.services.find(s => s.name === tag.services[0]);
    const unified = requestScheme(requestOfPlan(plan) ?? {}, config) === 'unified';
    const path = service ? changelogPathOf(config, unified, service) : config.version.changelog === false ? undefined : 'CHANGELOG.md';
    const text = path ? await git.fileAt(commit, path) : undefined;
    const notes = text ? changelogNotes(text, tag.version) : undefined;
    if (notes) return notes;
    if (inputs.releaseNotes === 'changelog') {
      throw new UserError(`release-notes is changelog, but ${path ?? 'the changelog'} has no section for ${tag.version} at ${tag.name}`, { input: 'release-notes' });
    }
  }
  const previous = await previousReleaseTag(git, plan, tag);
  return notesFromCommits(await git.commitSubjects(previous ? `${previous}..${tag.name}` : tag.name));
}

/** The release before this one: the plan's previous version, else the highest lower version tag of the same prefix behind it. */
async function previousReleaseTag(git: Git, plan: Plan, tag: ReleaseTag): Promise<string | undefined> {
  const prefix = tag.name.slice(0, tag.name.length - tag.version.length);
  const previous = plan.services.find(s => tag.services.includes(s.name))?.previous;
  if (previous && previous !== tag.version && (await git.resolveCommit(`refs/tags/${prefix}${previous}`))) return prefix + previous;
  const behind = await git.mergedTags(`${tag.name}^{commit}`, `${prefix}*`).catch(() => [] as string[]);
  const versions = behind.map(name => ({ tag: name, version: semver.valid(name.slice(prefix.length)) })).filter((t): t is TagVersion => !!t.version);
  return previousRelease(versions, tag.version, { prereleases: false })?.tag;
}
