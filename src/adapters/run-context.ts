import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { refBranch, refPullRequest, type RepoInfo, type RunContext } from '../core/context.js';
import type { Git } from './git.js';

/**
 * The run context: from the GITHUB_* variables and the event payload on a runner, from the local git repository
 * elsewhere, with --event/--ref/--sha/--default-branch overriding either. Git is asked only for what is missing,
 * so a tag-push run whose version comes from the ref needs no checkout at all.
 */
export interface ContextOverrides {
  event?: string;
  ref?: string;
  sha?: string;
  defaultBranch?: string;
}

type Payload = {
  repository?: {
    name?: string;
    full_name?: string;
    description?: string | null;
    html_url?: string;
    default_branch?: string;
    license?: { spdx_id?: string } | null;
  };
  pull_request?: { number?: number; head?: { ref?: string; sha?: string }; base?: { ref?: string } };
  head_commit?: { id?: string; timestamp?: string };
  commits?: { id?: string; timestamp?: string }[];
  number?: number;
};

function readPayload(env: NodeJS.ProcessEnv): Payload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return JSON.parse(text) as Payload;
  } catch (error) {
    throw new UserError(`GITHUB_EVENT_PATH ${path} is not JSON: ${(error as Error).message}`, { file: path });
  }
}

/** Events a workflow run can have (GitHub's "Events that trigger workflows"); --event takes one of them. */
export const EVENT_NAMES = new Set([
  'branch_protection_rule', 'check_run', 'check_suite', 'create', 'delete', 'deployment', 'deployment_status', 'discussion',
  'discussion_comment', 'fork', 'gollum', 'issue_comment', 'issues', 'label', 'merge_group', 'milestone', 'page_build',
  'project', 'project_card', 'project_column', 'public', 'pull_request', 'pull_request_comment', 'pull_request_review',
  'pull_request_review_comment', 'pull_request_target', 'push', 'registry_package', 'release', 'repository_dispatch',
  'schedule', 'status', 'watch', 'workflow_call', 'workflow_dispatch', 'workflow_run', 'dynamic'
]);

/** A full ref name git would accept (git check-ref-format's rules), e.g. refs/heads/main. */
export function isValidRef(ref: string): boolean {
  if (!ref.startsWith('refs/') || ref.endsWith('/') || ref.endsWith('.') || ref.includes('..') || ref.includes('@{') || ref.includes('//')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return false;
  return ref.split('/').every(part => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** Checks --event, --ref and --sha (or their action inputs) before anything uses them. */
export function checkOverrides(overrides: ContextOverrides): void {
  if (overrides.event && !EVENT_NAMES.has(overrides.event)) {
    throw new UserError(`Input 'event' is set to invalid value '${overrides.event}': expected a workflow event name such as push, pull_request or workflow_dispatch`, { input: 'event' });
  }
  if (overrides.ref && !isValidRef(normalizeRef(overrides.ref))) {
    throw new UserError(`Input 'ref' is set to invalid value ${JSON.stringify(overrides.ref)}: expected a git ref such as refs/tags/v1.2.3, refs/heads/main or pull/42`, { input: 'ref' });
  }
  if (overrides.sha && !/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(overrides.sha)) {
    throw new UserError(`Input 'sha' is set to invalid value ${JSON.stringify(overrides.sha)}: expected a full commit SHA (40 hexadecimal digits)`, { input: 'sha' });
  }
  if (overrides.defaultBranch !== undefined && overrides.defaultBranch !== '' && !isValidRef(`refs/heads/${overrides.defaultBranch}`)) {
    throw new UserError(`Input 'default-branch' is set to invalid value ${JSON.stringify(overrides.defaultBranch)}: expected a branch name such as main`, { input: 'default-branch' });
  }
}

/** `v1.2.3` → refs/tags/v1.2.3, `main` → refs/heads/main, `refs/…` unchanged; `pull/42` → refs/pull/42/merge. */
export function normalizeRef(ref: string): string {
  if (ref.startsWith('refs/')) return ref;
  if (/^pull\/\d+/.test(ref)) return `refs/${ref}${ref.endsWith('/merge') ? '' : '/merge'}`;
  if (/^v?\d+\.\d+/.test(ref) || /\/v?\d+\.\d+\.\d+/.test(ref)) return `refs/tags/${ref}`;
  return `refs/heads/${ref}`;
}

/** https://github.com/o/r from the usual remote URL forms, for labels when running locally. */
export function webUrlFromRemote(url: string): string | undefined {
  const scp = url.match(/^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const http = url.match(/^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([\w.-]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/);
  if (http) return `https://${http[1]}/${http[2]}`;
  return undefined;
}

/** The instant a run stands for: SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else the wall clock. */
export function runInstant(env: NodeJS.ProcessEnv, wallClock: Date): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (!epoch) return wallClock;
  if (!/^\d+$/.test(epoch)) throw new UserError(`SOURCE_DATE_EPOCH is "${epoch}": expected seconds since 1970 (e.g. git log -1 --format=%ct)`);
  return new Date(Number(epoch) * 1000);
}

/** DOCKER_METADATA_SHORT_SHA_LENGTH, as docker/metadata-action reads it. */
function shortShaLength(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.DOCKER_METADATA_SHORT_SHA_LENGTH?.trim();
  if (!text) return undefined;
  if (!/^\d+$/.test(text)) throw new UserError(`DOCKER_METADATA_SHORT_SHA_LENGTH is "${text}": expected a number of characters, e.g. 12`);
  return Number(text);
}

/** The pushed commit's time from the event payload: its entry in `commits`, or `head_commit` when that is the commit. */
function payloadCommitDate(payload: Payload, sha: string | undefined): Date | undefined {
  const timestamp = payload.commits?.find(commit => commit.id === sha)?.timestamp ?? (payload.head_commit?.id === sha || !payload.head_commit?.id ? payload.head_commit?.timestamp : undefined);
  const date = timestamp ? new Date(timestamp) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * Resolves the context. With `optionalRef`, a run that has no ref at all (no --ref, no GITHUB_REF, no git repository)
 * gets an empty ref instead of an error: docker/metadata-action's mode then answers with no tags.
 */
export async function resolveContext(options: {
  env: NodeJS.ProcessEnv;
  overrides: ContextOverrides;
  now: Date;
  git: () => Promise<Git | undefined>;
  optionalRef?: boolean;
}): Promise<RunContext> {
  const { env, overrides } = options;
  checkOverrides(overrides);
  const onRunner = env.GITHUB_ACTIONS === 'true';
  const payload = onRunner ? readPayload(env) : {};
  const repository = payload.repository ?? {};
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const fullName = repository.full_name ?? env.GITHUB_REPOSITORY;
  const repo: RepoInfo = {
    name: repository.name ?? fullName?.split('/')[1],
    fullName,
    description: repository.description ?? undefined,
    htmlUrl: repository.html_url ?? (fullName ? `${server}/${fullName}` : undefined),
    license: repository.license?.spdx_id ?? undefined,
    defaultBranch: repository.default_branch
  };

  let eventName = overrides.event || (onRunner ? env.GITHUB_EVENT_NAME : undefined);
  let ref = overrides.ref ? normalizeRef(overrides.ref) : onRunner ? env.GITHUB_REF || undefined : undefined;
  // pull_request_target runs on the base branch's ref; the pull request it is for is the event's number.
  if (!overrides.ref && eventName && /pull_request_target/.test(eventName) && typeof payload.number === 'number') ref = `refs/pull/${payload.number}/merge`;
  let sha = overrides.sha?.toLowerCase() || (onRunner ? env.GITHUB_SHA || undefined : undefined);
  // DOCKER_METADATA_PR_HEAD_SHA=true: a pull request run names its head commit rather than the merge commit.
  if (!overrides.sha && /true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') && eventName && /pull_request/.test(eventName) && payload.pull_request?.head?.sha) {
    sha = payload.pull_request.head.sha;
  }
  let defaultBranch = overrides.defaultBranch || repo.defaultBranch;
  let commitDate = payloadCommitDate(payload, sha);

  if (!ref || !sha || !defaultBranch || !repo.htmlUrl) {
    const git = await options.git();
    if (git) {
      // Each question is a git process of its own, and none depends on another: asked at once. The commit date is
      // HEAD's when HEAD is the commit (a repository without one has neither).
      const [branch, head, origin, remote, date] = await Promise.all([
        ref ? undefined : git.currentBranch(),
        sha ? undefined : git.resolveCommit('HEAD'),
        defaultBranch ? undefined : git.originHead(),
        repo.htmlUrl ? undefined : git.remoteUrl(),
        commitDate ? undefined : git.commitDate(sha ?? 'HEAD')
      ]);
      if (!ref) ref = branch ? `refs/heads/${branch}` : 'HEAD';
      if (!sha) sha = head;
      if (!defaultBranch) defaultBranch = origin;
      if (!repo.htmlUrl) {
        repo.htmlUrl = remote ? webUrlFromRemote(remote) : undefined;
        repo.name ??= repo.htmlUrl?.split('/').pop();
      }
      if (!commitDate && sha) commitDate = date;
    }
  }
  eventName ??= 'push';
  if (!ref && options.optionalRef) ref = '';
  if (ref === undefined) {
    throw new UserError('Cannot tell which ref this run is for: give --ref (e.g. refs/tags/v1.2.3), or run inside a git repository');
  }
  // Locally with neither a repository nor --sha: an unknown commit, written as zeros so templates still render.
  // In docker/metadata-action's mode a run without a commit stays without one (no sha tag), as there.
  sha ??= options.optionalRef ? '' : '0000000000000000000000000000000000000000';

  const prFromRef = refPullRequest(ref);
  const prNumber = payload.pull_request?.number ?? payload.number ?? (prFromRef ? Number(prFromRef) : undefined);
  const branch = refBranch(ref) ?? payload.pull_request?.head?.ref ?? (env.GITHUB_HEAD_REF || undefined);
  return {
    eventName,
    ref,
    sha,
    defaultBranch: defaultBranch ?? undefined,
    prNumber: Number.isFinite(prNumber) ? prNumber : undefined,
    branch,
    baseRef: payload.pull_request?.base?.ref ?? (env.GITHUB_BASE_REF || undefined),
    runNumber: env.GITHUB_RUN_NUMBER,
    repo,
    payload: payload as Record<string, unknown>,
    now: runInstant(env, options.now),
    shortShaLength: shortShaLength(env),
    commitDate
  };
}

/** A pull request's head commit, which is what a preview version names (GITHUB_SHA is the merge commit). */
export function previewSha(context: RunContext): string {
  const head = (context.payload as Payload).pull_request?.head?.sha;
  return head ?? context.sha;
}
