/** compute-version's registry source against a real registry on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OciRegistry } from '../../../src/adapters/registry/oci.js';
import { resolveLatest } from '../../../src/adapters/registry/index.js';
import { TestRepo } from '../../helpers/repo.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { seedImage, seedTagsOnDisk, startRegistry, type TestRegistry } from '../../helpers/registry.js';

describe('compute-version version-source registry', () => {
  let registry: TestRegistry;
  let repo: TestRepo;
  let oneDigest: string;
  beforeAll(async () => {
    registry = await startRegistry();
    oneDigest = (await seedImage(registry.url, 'acme/api', '1.10.0', 'api 1.10')).digest;
    const other = (await seedImage(registry.url, 'acme/api', '1.9.0', 'api 1.9')).digest;
    seedTagsOnDisk(registry.storage, 'acme/api', oneDigest, ['latest', 'v1.2.0', '1.10.0-abc1234', 'sha-abc1234']);
    seedTagsOnDisk(registry.storage, 'acme/api', other, ['2.0.0-rc.1', 'main']);
    repo = TestRepo.create();
    repo.commit('init', { 'imgver.yaml': `image: ${registry.host}/acme/{{service}}\nversion: {source: registry}\nservices:\n  api:\n` });
  });
  afterAll(async () => {
    await registry.stop();
    repo.remove();
  });

  it.each([
    ['fix: a bug', '1.10.1', 'patch'],
    ['feat: x [minor]', '1.11.0', 'minor'],
    ['rework [major]', '2.0.0', 'major']
  ])('[%#] the highest X.Y.Z tag (not latest, sha or rc) bumped by the pushed commit "%s" → %s', async (message, version, bump) => {
    repo.commit(message, { 'api/x': message });
    const log = captureLog();
    const result = await runAction('compute-version', {}, { cwd: repo.dir, log, env: {} });
    expect(result.outputs).toMatchObject({ version, bump, previous: '1.10.0', release: 'true' });
    // One listing; its request count includes retries, which a loaded machine may cause (at most the 8 attempts).
    const listing = log.lines.find(line => line.startsWith(`api: 8 tag(s) in ${registry.host}/acme/api, 3 release version(s), `));
    expect(listing).toMatch(/, [1-8] registry request\(s\)$/);
    expect(log.lines).toContainEqual(expect.stringMatching(/^api: latest is 1\.10\.0 \(sha256:/));
  });

  it.each([
    ['a lightweight tag', (r: TestRepo) => r.tag('v1.10.0'), 'minor', 'since v1.10.0'],
    ['an annotated tag', (r: TestRepo) => r.git('tag', '-a', '-m', 'Release 1.10.0', 'v1.10.0'), 'minor', 'since v1.10.0'],
    // A tag naming a tree is no release of a commit: the pushed commit alone decides.
    ['a tag of a tree', (r: TestRepo) => r.git('tag', 'v1.10.0', r.git('write-tree')), 'patch', 'in the pushed commit']
  ])('[%#] with %s of the highest release in git: a %s, the commits %s', async (_, tag, bump, since) => {
    const tagged = TestRepo.create();
    tagged.commit('init', { 'imgver.yaml': `image: ${registry.host}/acme/{{service}}\nversion: {source: registry}\nservices:\n  api:\n` });
    tag(tagged);
    tagged.commit('feat: a feature', { 'api/a': 'a' });
    tagged.commit('fix: a bug', { 'api/b': 'b' });
    const result = await runAction('compute-version', {}, { cwd: tagged.dir, env: {} });
    expect(result.outputs).toMatchObject({ bump, previous: '1.10.0', release: 'true' });
    expect(JSON.parse(result.outputs.plan).services[0].bumpReason).toContain(`${since} (registry has 1.10.0)`);
    tagged.remove();
  });

  it('a repository without releases starts at the initial version', async () => {
    const fresh = TestRepo.create();
    fresh.commit('init', { 'imgver.yaml': `image: ${registry.host}/acme/{{service}}\nversion: {source: registry}\nservices:\n  newsvc:\n` });
    const result = await runAction('compute-version', {}, { cwd: fresh.dir, env: {} });
    expect(result.outputs.release).toBe('true');
    expect(result.outputs.version).toMatch(/^0\.1\.0$|^1\.0\.0$|^0\.0\.1$/);
    fresh.remove();
  });

  it('resolves latest to the semver tag that shares its digest', async () => {
    const client = new OciRegistry(registry.host);
    const latest = await resolveLatest(client, 'acme/api', [
      { tag: '1.9.0', version: '1.9.0' },
      { tag: '1.10.0', version: '1.10.0' },
      { tag: 'v1.2.0', version: '1.2.0' }
    ]);
    expect(latest).toEqual({ digest: oneDigest, tag: '1.10.0' });
  });
});
