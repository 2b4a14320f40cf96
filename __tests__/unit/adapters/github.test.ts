import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitHubReleases } from '../../../src/adapters/github.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(new URL('.', import.meta.url).pathname, '../../fixtures/github', name), 'utf8'));
const API = 'https://api.github.com';
const REQUEST = { owner: 'acme', repo: 'shop', tag: 'v1.2.3', name: 'v1.2.3', body: '### Fixed\n- The thing.', prerelease: false };
const released = fixture('release-v1.2.3.json');
const page = (n: number, tags: string[]) => tags.map((tag, i) => ({ ...released, id: n * 100 + i, tag_name: tag, name: tag, html_url: `https://github.com/acme/shop/releases/tag/${tag}` }));

afterEach(() => {
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
});

describe('GitHub Releases (GitHub REST API mocked with nock: recorded payloads)', () => {
  it('creates the release when neither a published release nor a draft exists, paging through every release', async () => {
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(404, fixture('not-found.json'));
    nock(API)
      .get('/repos/acme/shop/releases')
      .query({ per_page: '100' })
      .reply(200, page(1, ['v1.2.2', 'v1.2.1']), { Link: `<${API}/repositories/1/releases?per_page=100&page=2>; rel="next", <${API}/repositories/1/releases?per_page=100&page=2>; rel="last"` });
    nock(API).get('/repositories/1/releases').query({ per_page: '100', page: '2' }).reply(200, page(2, ['v1.0.0']));
    nock(API)
      .post('/repos/acme/shop/releases', body => body.tag_name === 'v1.2.3' && body.body === REQUEST.body && body.prerelease === false)
      .reply(201, released);
    const releases = await GitHubReleases.open('ghs_test');
    expect(await releases.upsert(REQUEST)).toEqual({ id: 180123456, url: 'https://github.com/acme/shop/releases/tag/v1.2.3', action: 'created' });
  });

  it('leaves an identical published release alone and updates one whose notes differ (no duplicate)', async () => {
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(200, released);
    const releases = await GitHubReleases.open('ghs_test');
    expect((await releases.upsert(REQUEST)).action).toBe('unchanged');
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(200, { ...released, body: 'old notes' });
    nock(API).patch('/repos/acme/shop/releases/180123456', body => body.body === REQUEST.body && body.draft === false).reply(200, released);
    expect((await releases.upsert(REQUEST)).action).toBe('updated');
  });

  it('publishes a draft of the tag found on the second page', async () => {
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(404, fixture('not-found.json'));
    nock(API)
      .get('/repos/acme/shop/releases')
      .query({ per_page: '100' })
      .reply(200, page(1, ['v1.2.2']), { Link: `<${API}/repositories/1/releases?per_page=100&page=2>; rel="next"` });
    nock(API)
      .get('/repositories/1/releases')
      .query({ per_page: '100', page: '2' })
      .reply(200, [{ ...released, id: 77, draft: true, body: '' }]);
    nock(API).patch('/repos/acme/shop/releases/77', body => body.draft === false).reply(200, { ...released, id: 77 });
    const releases = await GitHubReleases.open('ghs_test');
    expect(await releases.upsert(REQUEST)).toMatchObject({ id: 77, action: 'updated' });
  });

  it('answers a 422 already_exists on create (another run created it meanwhile) by updating that release', async () => {
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(404, fixture('not-found.json'));
    nock(API).get('/repos/acme/shop/releases').query({ per_page: '100' }).reply(200, []);
    nock(API).post('/repos/acme/shop/releases').reply(422, fixture('create-422-already-exists.json'));
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(200, { ...released, body: 'written by the other run' });
    nock(API).patch('/repos/acme/shop/releases/180123456').reply(200, released);
    const releases = await GitHubReleases.open('ghs_test');
    expect((await releases.upsert(REQUEST)).action).toBe('updated');
  });

  it('names the permission a 403 needs', async () => {
    nock(API).get('/repos/acme/shop/releases/tags/v1.2.3').reply(404, fixture('not-found.json'));
    nock(API).get('/repos/acme/shop/releases').query({ per_page: '100' }).reply(200, []);
    nock(API).post('/repos/acme/shop/releases').reply(403, fixture('forbidden.json'));
    const releases = await GitHubReleases.open('ghs_test');
    await expect(releases.upsert(REQUEST)).rejects.toThrow(
      /GitHub API error 403 creating the release of v1\.2\.3: the token needs contents: write on this repository \(permissions: contents: write\)/
    );
  });

  it('refuses to run without a token', async () => {
    await expect(GitHubReleases.open('')).rejects.toThrow(/needs a token: set the token input/);
  });
});
