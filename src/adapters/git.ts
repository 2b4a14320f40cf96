import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { CommitWithFiles } from '../core/bump-rules.js';
import type { FileChange } from '../core/changes.js';

/** The one place imgver runs git. Every call goes through `gitExec`, so tests and logs see the same thing. */
export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export type GitTrace = (args: string[], ms: number, code: number) => void;

export async function gitExec(cwd: string, args: string[], trace?: GitTrace, config: string[] = []): Promise<GitResult> {
  const started = Date.now();
  // Loaded on first use: runs that need no git (a tag push with the version from the ref) skip its start-up cost.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...config.flatMap(c => ['-c', c]), ...args],
      { cwd, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        trace?.(args, Date.now() - started, code);
        if (error && typeof error.code !== 'number') {
          reject(new UserError(`Cannot run git (${(error as Error).message}): is git installed and on PATH?`));
          return;
        }
        resolve({ stdout, stderr, code });
      }
    );
  });
}

export type { CommitWithFiles };

/** A commit header in `git log -z` output: the format below, its fields NUL-separated (a message cannot hold NUL). */
export const LOG_FORMAT = '%H%x00%B%x00';
const STATUS = /^\n?([ACDMRTUXB])\d*$/;

/**
 * Reads one `--name-status -z` entry at `tokens[i]`: the change and the index after it, or undefined when the token
 * is no status letter. The one reader of git's file lists, for diffs and logs alike: every path is a NUL-ended token,
 * so a name holding a newline, a quote or a non-ASCII byte is read as written.
 */
function readNameStatus(tokens: string[], i: number): { change: FileChange; next: number } | undefined {
  const kind = STATUS.exec(tokens[i] ?? '')?.[1];
  if (!kind) return undefined;
  if (kind === 'R' || kind === 'C') {
    const previous = tokens[i + 1];
    const path = tokens[i + 2];
    return { change: kind === 'R' ? { status: 'renamed', path, previous } : { status: 'added', path }, next: i + 3 };
  }
  return { change: { status: kind === 'A' ? 'added' : kind === 'D' ? 'deleted' : 'modified', path: tokens[i + 1] }, next: i + 2 };
}

/** Parses `git log -z --name-status --format=<LOG_FORMAT>`: exported to test without git. */
export function parseLogOutput(output: string): CommitWithFiles[] {
  const tokens = output.split('\0');
  const commits: CommitWithFiles[] = [];
  for (let i = 0; i < tokens.length; ) {
    const sha = tokens[i];
    if (!/^[0-9a-f]{40,64}$/.test(sha)) {
      i++;
      continue;
    }
    // The subject is the first line of the message and the body everything after it, so a footer right under the
    // subject (no blank line) is still a footer (git's own %s would join it into the subject).
    const text = (tokens[i + 1] ?? '').replace(/^\n+/, '');
    const newline = text.indexOf('\n');
    const commit: CommitWithFiles = {
      sha,
      subject: (newline === -1 ? text : text.slice(0, newline)).trim(),
      body: (newline === -1 ? '' : text.slice(newline + 1)).trim(),
      files: []
    };
    // The format's closing NUL leaves an empty token before the file list.
    i += 3;
    for (let entry = readNameStatus(tokens, i); entry; entry = readNameStatus(tokens, i)) {
      commit.files.push(entry.change.path);
      if (entry.change.status === 'renamed' && entry.change.previous !== undefined) commit.files.push(entry.change.previous);
      i = entry.next;
    }
    commits.push(commit);
  }
  return commits;
}

/** `git diff --name-status -z` output → changes. Exported to test without git. */
export function parseNameStatus(output: string): FileChange[] {
  const tokens = output.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < tokens.length; ) {
    const entry = readNameStatus(tokens, i);
    if (!entry) {
      i++;
      continue;
    }
    changes.push(entry.change);
    i = entry.next;
  }
  return changes;
}

const logArgs = (range: string) => ['log', '-z', '--no-renames', `--format=${LOG_FORMAT}`, '--name-status', range, '--'];
const diffArgs = (...revs: string[]) => ['diff', '--name-status', '-z', '--find-renames=100%', '--no-ext-diff', '--no-textconv', ...revs, '--'];

export interface GitOptions {
  trace?: GitTrace;
  /**
   * On a runner, a checkout owned by another user (container jobs) is trusted for imgver's own git calls with
   * `-c safe.directory=<path>`: never written to any git config file.
   */
  trustCheckout?: boolean;
  /**
   * HEAD stays where it is while this object is used (a version computation reads the repository, it never commits):
   * the commit HEAD names is asked of git once.
   */
  fixedHead?: boolean;
}

export class Git {
  private readonly trace?: GitTrace;
  private readonly trustCheckout: boolean;
  private readonly fixedHead: boolean;
  private headCommit?: Promise<string | undefined>;
  private config: string[] = [];

  constructor(
    readonly cwd: string,
    options: GitOptions = {}
  ) {
    this.trace = options.trace;
    this.trustCheckout = options.trustCheckout ?? false;
    this.fixedHead = options.fixedHead ?? false;
  }

  private async exec(args: string[]): Promise<GitResult> {
    const result = await gitExec(this.cwd, args, this.trace, this.config);
    if (result.code !== 0 && this.config.length === 0 && /dubious ownership/.test(result.stderr)) {
      // git names the directory to trust in its hint (`git config --global --add safe.directory <dir>`).
      const dir = result.stderr.match(/safe\.directory\s+'?([^'\n]+?)'?\s*$/m)?.[1];
      if (!this.trustCheckout || !dir) {
        throw new UserError(
          `git refuses ${this.cwd}: it is owned by another user (dubious ownership). On a runner imgver trusts the checkout for its own git calls; elsewhere run: git config --global --add safe.directory ${dir ?? this.cwd}`
        );
      }
      this.config = [`safe.directory=${dir}`];
      return gitExec(this.cwd, args, this.trace, this.config);
    }
    return result;
  }

  async run(args: string[]): Promise<string> {
    const result = await this.exec(args);
    if (result.code !== 0) {
      throw new UserError(`git ${args.join(' ')} failed in ${this.cwd}: ${result.stderr.trim() || `exit ${result.code}`}`);
    }
    return result.stdout;
  }

  /** The whole result, failures included, for callers that read git's refusal (a rejected push). */
  attempt(args: string[]): Promise<GitResult> {
    return this.exec(args);
  }

  async tryRun(args: string[]): Promise<string | undefined> {
    const result = await this.exec(args);
    return result.code === 0 ? result.stdout : undefined;
  }

  resolveCommit(rev: string): Promise<string | undefined> {
    if (rev === 'HEAD' && this.fixedHead) return (this.headCommit ??= this.resolve(rev));
    return this.resolve(rev);
  }

  private async resolve(rev: string): Promise<string | undefined> {
    return (await this.tryRun(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]))?.trim() || undefined;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    return (await this.tryRun(['merge-base', a, b]))?.trim() || undefined;
  }

  /** A fetch whose failure is the caller's to explain. */
  async tryFetch(args: string[]): Promise<{ ok: boolean; stderr: string }> {
    // FETCH_HEAD is kept: a ref fetched without a destination (a tag name given as base) is read from it.
    const result = await this.exec(['fetch', '--quiet', '--no-tags', ...args]);
    return { ok: result.code === 0, stderr: result.stderr.trim() };
  }

  /** One commit or ref from a remote, at depth 1 in a shallow clone, blob-less on request: the caller explains a failure. */
  fetchCommit(remote: string, ref: string, options: { shallow: boolean; blobless: boolean }): Promise<{ ok: boolean; stderr: string }> {
    return this.tryFetch([...(options.shallow ? ['--depth=1'] : []), ...(options.blobless ? ['--filter=blob:none'] : []), remote, ref]);
  }

  /** More history of a shallow clone behind `revs`: `by` commits deeper, or all of it (`unshallow`). */
  deepen(remote: string, revs: string[], options: { by: number; unshallow: boolean; blobless: boolean }): Promise<{ ok: boolean; stderr: string }> {
    return this.tryFetch([options.unshallow ? '--unshallow' : `--deepen=${options.by}`, ...(options.blobless ? ['--filter=blob:none'] : []), remote, ...revs]);
  }

  /** Tag names a remote has that match a `git tag --list` glob, asked without fetching; undefined when it cannot answer. */
  async remoteTags(remote: string, glob: string): Promise<string[] | undefined> {
    const out = await this.tryRun(['ls-remote', '--tags', '--refs', remote, `refs/tags/${glob}`]);
    return out === undefined ? undefined : out.split('\n').filter(Boolean).map(line => line.split('\t')[1].replace(/^refs\/tags\//, ''));
  }

  /**
   * Files changed between two commits. Exact renames only (`--find-renames=100%`): they need no file contents, so a
   * blob-less clone never fetches blobs; an edited move shows as delete + add, and both paths are matched anyway.
   */
  async diff(base: string, head: string): Promise<FileChange[]> {
    return parseNameStatus(await this.run(diffArgs(base, head)));
  }

  /** The diff, or undefined when git cannot make it (a commit missing, not a repository): the caller finds out why. */
  async tryDiff(base: string, head: string): Promise<FileChange[] | undefined> {
    const out = await this.tryRun(diffArgs(base, head));
    return out === undefined ? undefined : parseNameStatus(out);
  }

  /** Staged and unstaged changes against HEAD (untracked files are not changes), as dorny/paths-filter's base HEAD. */
  async diffWorktree(): Promise<FileChange[]> {
    return parseNameStatus(await this.run(diffArgs('HEAD')));
  }

  /** The full name of the ref a name stands for (`heads/main` → refs/heads/main); undefined for a commit or nothing. */
  async symbolicFullName(name: string): Promise<string | undefined> {
    return (await this.tryRun(['rev-parse', '--verify', '--quiet', '--symbolic-full-name', name]))?.trim() || undefined;
  }

  /** Every file of a commit, as additions: the changes of a first release. */
  async listFiles(rev: string): Promise<FileChange[]> {
    const out = await this.run(['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev]);
    return out
      .split('\0')
      .filter(Boolean)
      .map(path => ({ status: 'added' as const, path }));
  }

  async isRepository(): Promise<boolean> {
    if (!existsSync(this.cwd)) return false;
    if (!this.fixedHead) return (await this.exec(['rev-parse', '--git-dir'])).code === 0;
    // One call for both: the git directory, then HEAD's commit (exit 1, quietly, when there is no commit yet).
    const result = await this.exec(['rev-parse', '--git-dir', '--verify', '--quiet', 'HEAD^{commit}']);
    const lines = result.stdout.split('\n').filter(Boolean);
    const repository = result.code === 0 || (result.code === 1 && lines.length > 0);
    if (repository) this.headCommit ??= Promise.resolve(result.code === 0 ? lines[lines.length - 1] : undefined);
    return repository;
  }

  async requireRepository(why: string): Promise<void> {
    if (!(await this.isRepository())) {
      throw new UserError(`${this.cwd} is not a git repository, and ${why} needs one (check out the repository first)`);
    }
  }

  async head(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).trim();
  }

  async currentBranch(): Promise<string | undefined> {
    return (await this.tryRun(['symbolic-ref', '--quiet', '--short', 'HEAD']))?.trim() || undefined;
  }

  async originHead(): Promise<string | undefined> {
    const ref = (await this.tryRun(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']))?.trim();
    return ref ? ref.replace(/^origin\//, '') : undefined;
  }

  async remoteUrl(remote = 'origin'): Promise<string | undefined> {
    return (await this.tryRun(['remote', 'get-url', remote]))?.trim() || undefined;
  }

  async commitDate(rev: string): Promise<Date | undefined> {
    const out = (await this.tryRun(['show', '-s', '--format=%cI', rev]))?.trim();
    return out ? new Date(out) : undefined;
  }

  async isShallow(): Promise<boolean> {
    return (await this.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  /** Tag names reachable from `rev`, optionally limited by a `git tag --list` glob. */
  async mergedTags(rev: string, glob?: string): Promise<string[]> {
    const out = await this.run(['tag', '--merged', rev, '--list', ...(glob ? [glob] : [])]);
    return out.split('\n').filter(Boolean);
  }

  async allTags(): Promise<string[]> {
    return (await this.run(['tag', '--list'])).split('\n').filter(Boolean);
  }

  /** Tag names that point at `rev` (none when git cannot tell). */
  async tagsAt(rev: string): Promise<string[]> {
    return (await this.tryRun(['tag', '--points-at', rev]))?.split('\n').filter(Boolean) ?? [];
  }

  async tagCommit(tag: string): Promise<string | undefined> {
    return (await this.tryRun(['rev-list', '-n', '1', `refs/tags/${tag}`]))?.trim() || undefined;
  }

  /**
   * Fetches history and tags that a shallow or tag-less checkout lacks. Commits and trees only
   * (`--filter=blob:none`): path-limited logs need trees, never file contents.
   */
  async fetchHistoryAndTags(remote: string, unshallow: boolean): Promise<void> {
    const args = ['fetch', '--quiet', '--tags', '--force', '--filter=blob:none', ...(unshallow ? ['--unshallow'] : []), remote];
    const result = await this.exec(args);
    if (result.code !== 0) {
      throw new UserError(
        `Could not fetch the history and tags from ${remote} (${result.stderr.trim()}): fetch them before imgver runs, e.g. actions/checkout with fetch-depth: 0`
      );
    }
  }

  /**
   * Commits in `range` (newest first) with the files each touched. Renames appear as delete + add,
   * so a service is matched by the old path and by the new one.
   */
  async commits(range: string): Promise<CommitWithFiles[]> {
    return parseLogOutput(await this.run(logArgs(range)));
  }

  /** commits(), or undefined when git cannot read the range (a revision in it is missing or names no commit). */
  async tryCommits(range: string): Promise<CommitWithFiles[] | undefined> {
    const out = await this.tryRun(logArgs(range));
    return out === undefined ? undefined : parseLogOutput(out);
  }

  /** Paths changed or untracked in the working tree (renames as their new path). */
  async dirtyPaths(): Promise<Set<string>> {
    const out = (await this.tryRun(['status', '--porcelain=v1', '-z', '--untracked-files=all'])) ?? '';
    const paths = new Set<string>();
    const tokens = out.split('\0');
    for (let i = 0; i < tokens.length; i++) {
      const entry = tokens[i];
      if (entry.length < 4) continue;
      paths.add(entry.slice(3));
      // A rename or copy names its source in the next token.
      if (entry[0] === 'R' || entry[0] === 'C') i++;
    }
    return paths;
  }

  /** Those of `paths` git tracks. */
  async trackedPaths(paths: string[]): Promise<string[]> {
    if (paths.length === 0) return [];
    return (await this.tryRun(['ls-files', '-z', '--', ...paths]))?.split('\0').filter(Boolean) ?? [];
  }

  /** Puts tracked files back as HEAD has them; false when git could not. */
  async restoreFromHead(paths: string[]): Promise<boolean> {
    if (paths.length === 0) return true;
    return (await this.tryRun(['checkout', 'HEAD', '--', ...paths])) !== undefined;
  }

  /** `git diff --stat` of the working tree against `rev`, limited to `paths`; empty when git cannot tell. */
  async diffStat(rev: string, paths: string[]): Promise<string> {
    return ((await this.tryRun(['diff', '--stat', rev, '--', ...paths])) ?? '').trim();
  }

  /** A file's text at a commit, undefined when it is not there. */
  async fileAt(rev: string, path: string): Promise<string | undefined> {
    return this.tryRun(['show', `${rev}:${path}`]);
  }

  /** Commits of a range (merges left out), newest first, with their subjects. */
  async commitSubjects(range: string): Promise<{ sha: string; subject: string }[]> {
    const lines = (await this.run(['log', '--no-merges', '--format=%H%x09%s', range])).split('\n').filter(Boolean);
    return lines.map(line => ({ sha: line.split('\t')[0], subject: line.slice(line.indexOf('\t') + 1) }));
  }

  /** Every commit that touched a path, newest first. */
  async commitsTouching(path: string): Promise<string[]> {
    return (await this.run(['log', '--format=%H', '--', path])).split('\n').filter(Boolean);
  }

  async lastCommitTouching(path: string): Promise<string | undefined> {
    return (await this.tryRun(['log', '-1', '--format=%H', '--', path]))?.trim() || undefined;
  }
}
