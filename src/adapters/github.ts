import { UserError } from '../core/errors.js';

export interface ReleaseRequest {
  owner: string;
  repo: string;
  tag: string;
  name: string;
  body: string;
  prerelease: boolean;
}

export interface GitHubRelease {
  id: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

interface ReleaseJson {
  id: number;
  html_url: string;
  tag_name: string;
  name: string | null;
  body: string | null;
  prerelease: boolean;
  draft: boolean;
}

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

/**
 * GitHub Releases through @actions/github (loaded only by the release step). Idempotent: the release of a tag is
 * found (published through `releases/tags/{tag}`, a draft by paging through the list, which the tag endpoint does
 * not show) and updated; a 422 on create (another run created it meanwhile) is answered by finding and updating.
 */
export class GitHubReleases {
  private constructor(private readonly octokit: Octokit) {}

  static async open(token: string, baseUrl?: string): Promise<GitHubReleases> {
    if (!token) throw new UserError("Creating a GitHub Release needs a token: set the token input (default: github.token)", { input: 'token' });
    const { getOctokit } = await import('@actions/github');
    return new GitHubReleases(getOctokit(token, baseUrl ? { baseUrl } : {}));
  }

  async find(owner: string, repo: string, tag: string): Promise<ReleaseJson | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getReleaseByTag({ owner, repo, tag });
      return data as ReleaseJson;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw apiError(error, `reading the release of ${tag}`);
    }
    const releases = await this.octokit.paginate(this.octokit.rest.repos.listReleases, { owner, repo, per_page: 100 });
    return (releases as ReleaseJson[]).find(r => r.tag_name === tag);
  }

  async upsert(request: ReleaseRequest): Promise<GitHubRelease> {
    const { owner, repo, tag } = request;
    const wanted = { name: request.name, body: request.body, prerelease: request.prerelease };
    const update = async (existing: ReleaseJson): Promise<GitHubRelease> => {
      if (!existing.draft && existing.name === wanted.name && existing.body === wanted.body && existing.prerelease === wanted.prerelease) {
        return { id: existing.id, url: existing.html_url, action: 'unchanged' };
      }
      try {
        const { data } = await this.octokit.rest.repos.updateRelease({ owner, repo, release_id: existing.id, ...wanted, draft: false });
        return { id: data.id, url: data.html_url, action: 'updated' };
      } catch (error) {
        throw apiError(error, `updating the release of ${tag}`);
      }
    };
    const existing = await this.find(owner, repo, tag);
    if (existing) return update(existing);
    try {
      const { data } = await this.octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, ...wanted });
      return { id: data.id, url: data.html_url, action: 'created' };
    } catch (error) {
      if ((error as { status?: number }).status === 422) {
        const raced = await this.find(owner, repo, tag);
        if (raced) return update(raced);
      }
      throw apiError(error, `creating the release of ${tag}`);
    }
  }
}

/**
 * A failed GitHub API call as a user-facing error: what was being done, and for 401/403/404 what the token lacks
 * (`permissions`: the permissions the call needs, said as a workflow would grant them).
 */
export function githubApiError(error: unknown, what: string, permissions: string): UserError {
  const status = (error as { status?: number }).status;
  const message = (error as Error).message;
  const hint = status === 401 ? ': the token is not valid' : status === 403 || status === 404 ? `: the token needs ${permissions}` : '';
  return new UserError(`GitHub API error ${status ?? ''} ${what}${hint} (${message})`.replace(/\s+/g, ' '), { input: 'token' });
}

const apiError = (error: unknown, what: string) => githubApiError(error, what, 'contents: write on this repository (permissions: contents: write)');
