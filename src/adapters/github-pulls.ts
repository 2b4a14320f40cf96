import { UserError } from '../core/errors.js';
import { githubApiError } from './github.js';

export interface PullRequestRequest {
  owner: string;
  repo: string;
  /** The branch with the change (in the same repository). */
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface PullRequestResult {
  number: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

interface PullJson {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  state: string;
}

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

/**
 * Pull requests in a deploy repository through @actions/github (loaded only when one is opened). Idempotent per
 * branch: an open pull request of the branch is found and its title and body brought up to date; a 422 on create
 * (another run opened it meanwhile) is answered by finding and updating it.
 */
export class GitHubPulls {
  private constructor(private readonly octokit: Octokit) {}

  static async open(token: string, baseUrl?: string): Promise<GitHubPulls> {
    if (!token) throw new UserError('A pull request in the deploy repository needs a token: set the token input (contents: write and pull-requests: write there)', { input: 'token' });
    const { getOctokit } = await import('@actions/github');
    return new GitHubPulls(getOctokit(token, baseUrl ? { baseUrl } : {}));
  }

  async defaultBranch(owner: string, repo: string): Promise<string> {
    try {
      const { data } = await this.octokit.rest.repos.get({ owner, repo });
      return data.default_branch;
    } catch (error) {
      throw apiError(error, `reading ${owner}/${repo}`);
    }
  }

  async find(owner: string, repo: string, head: string): Promise<PullJson | undefined> {
    try {
      const { data } = await this.octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open', per_page: 10 });
      return (data as PullJson[])[0];
    } catch (error) {
      throw apiError(error, `listing the pull requests of ${head}`);
    }
  }

  async upsert(request: PullRequestRequest): Promise<PullRequestResult> {
    const { owner, repo, head, base, title, body } = request;
    const update = async (existing: PullJson): Promise<PullRequestResult> => {
      if (existing.title === title && (existing.body ?? '') === body) return { number: existing.number, url: existing.html_url, action: 'unchanged' };
      try {
        const { data } = await this.octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body });
        return { number: data.number, url: data.html_url, action: 'updated' };
      } catch (error) {
        throw apiError(error, `updating pull request #${existing.number}`);
      }
    };
    const existing = await this.find(owner, repo, head);
    if (existing) return update(existing);
    try {
      const { data } = await this.octokit.rest.pulls.create({ owner, repo, head, base, title, body });
      return { number: data.number, url: data.html_url, action: 'created' };
    } catch (error) {
      if ((error as { status?: number }).status === 422) {
        const raced = await this.find(owner, repo, head);
        if (raced) return update(raced);
      }
      throw apiError(error, `opening a pull request from ${head} to ${base}`);
    }
  }
}

const apiError = (error: unknown, what: string) =>
  githubApiError(
    error,
    what,
    'contents: write and pull-requests: write on the deploy repository (a personal access token or a GitHub App token: the job token reaches only its own repository)'
  );
