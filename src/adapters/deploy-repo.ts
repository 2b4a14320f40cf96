import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { Git } from './git.js';

const BOT = ['-c', 'user.name=github-actions[bot]', '-c', 'user.email=41898282+github-actions[bot]@users.noreply.github.com'];

/**
 * A deploy (GitOps) repository checked out in a temporary directory: its base branch, and the branch imgver keeps
 * its change on. The token reaches git only through the checkout's own config file (an http.extraheader, as
 * actions/checkout does), never argv, and goes with the directory.
 */
export class DeployRepository {
  private constructor(
    readonly dir: string,
    readonly git: Git,
    readonly base: string,
    readonly branch: string,
    /** The branch's commit on the remote before this run, if it exists. */
    readonly remoteBranch?: string
  ) {}

  static async clone(options: { serverUrl: string; repository: string; base: string; branch: string; token?: string; depth: number; tempRoot?: string }): Promise<DeployRepository> {
    const { serverUrl, repository, base, branch, token, depth } = options;
    const dir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'imgver-deploy-'));
    const git = new Git(dir);
    const url = `${serverUrl.replace(/\/+$/, '')}/${repository}.git`;
    await git.run(['init', '-q']);
    await git.run(['remote', 'add', 'origin', url]);
    if (token && /^https?:/.test(url)) {
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
      await git.run(['config', '--local', `http.${new URL(url).origin}/.extraheader`, header]);
    }
    const fetched = await git.attempt(['fetch', '-q', '--no-tags', `--depth=${depth}`, 'origin', `+refs/heads/${base}:refs/remotes/origin/${base}`]);
    if (fetched.code !== 0) {
      await rm(dir, { recursive: true, force: true });
      throw new UserError(`Cannot fetch branch ${base} of the deploy repository ${repository} (${url}): ${fetched.stderr.trim().split('\n').pop()}`, { input: 'deploy-repository' });
    }
    const existing = await git.attempt(['fetch', '-q', '--no-tags', '--depth=1', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    const remoteBranch = existing.code === 0 ? (await git.run(['rev-parse', `refs/remotes/origin/${branch}`])).trim() : undefined;
    await git.run(['checkout', '-q', '-B', branch, `refs/remotes/origin/${base}`]);
    return new DeployRepository(dir, git, base, branch, remoteBranch);
  }

  /**
   * Commits the files on the branch (from the base's tip) and pushes it, unless the remote branch already holds the
   * same tree (a re-run): then nothing is pushed. Returns the commit on the remote branch, and whether it moved.
   */
  async commitAndPush(files: string[], message: string): Promise<{ commit: string; pushed: boolean }> {
    await this.git.run(['add', '--', ...files]);
    await this.git.run([...BOT, 'commit', '-q', '-m', message]);
    const tree = (await this.git.run(['rev-parse', 'HEAD^{tree}'])).trim();
    if (this.remoteBranch) {
      const remoteTree = (await this.git.run(['rev-parse', `${this.remoteBranch}^{tree}`])).trim();
      // The same content as the branch already holds: the open pull request shows it already.
      if (remoteTree === tree) return { commit: this.remoteBranch, pushed: false };
    }
    const lease = `--force-with-lease=refs/heads/${this.branch}:${this.remoteBranch ?? ''}`;
    const result = await this.git.attempt(['push', '-q', lease, 'origin', `HEAD:refs/heads/${this.branch}`]);
    if (result.code !== 0) {
      throw new UserError(`Pushing branch ${this.branch} to the deploy repository failed (another run may have pushed it meanwhile: run again): ${result.stderr.trim().split('\n').pop()}`);
    }
    return { commit: (await this.git.run(['rev-parse', 'HEAD'])).trim(), pushed: true };
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
