import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  checkManifest,
  newerTags,
  parseManifest,
  recordVersion,
  renderEnvFile,
  renderManifest,
  rollbackTarget,
  type ManifestService,
  type VersionManifest
} from '../../../src/core/manifest.js';
import { releaseVersions } from '../../../src/core/version-tag.js';

const schema = JSON.parse(readFileSync(new URL('../../../schema/version-manifest.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allowUnionTypes: true, strict: true }).compile(schema);
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T10:00:00Z`);

describe('version manifest (pure)', () => {
  it.each([
    ['services: [a]\n', 'm.yaml:1: services: expected a mapping'],
    ['services:\n  api:\n    current_tag: "1"\n', 'm.yaml:3: services.api has no image'],
    ['services:\n  api:\n    image: x\n    current_tag: "1"\n    tag: 2\n', 'm.yaml:5: services.api: unknown key "tag" (expected image, current_tag, image_digest, updated_at, custom, history)'],
    ['services:\n  api:\n    image: x\n    current_tag: "1"\n    custom: maybe\n', 'm.yaml:5: services.api.custom: expected true or false'],
    ['services:\n  api:\n    image: x\n    current_tag: "1"\n    history:\n      - digest: sha256:1\n', 'm.yaml:6: services.api.history[0] has no tag'],
    ['environment: prod\nservice: {}\n', 'm.yaml:2: unknown key "service" (expected environment, services)'],
    ['services:\n  api: {}\n  api: {}\n', 'm.yaml:3 is not valid YAML: Map keys must be unique']
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseManifest(text, 'm.yaml')).toThrow(message);
  });

  const entry = (tag: string) => `    image: ghcr.io/acme/api\n    current_tag: ${JSON.stringify(tag)}\n`;
  it.each([
    ['__proto__ as a service name (it would set the prototype: the service vanishes)', `services:\n  __proto__:\n${entry('1')}`, 'm.yaml:2: service name "__proto__" is not allowed'],
    ['a complex key (a list) as a service name', `services:\n  ? [api, web]\n  :\n${entry('1')}`, 'm.yaml:2: a name in services must be a plain string, not a complex key'],
    ['a complex key (a map) as a service name', `services:\n  ? {api: 1}\n  :\n${entry('1')}`, 'm.yaml:2: a name in services must be a plain string, not a complex key'],
    ['a number as a service name', `services:\n  1.10:\n${entry('1')}`, 'm.yaml:2: a name in services must be a plain string (quote "1.1")'],
    ['a complex key at the top', `? [services]\n: {}\n`, 'm.yaml:1: a key must be a plain string, not a complex key'],
    ['a complex key in a service', `services:\n  api:\n${entry('1')}    ? [image]\n    : x\n`, 'm.yaml:5: a key of services.api must be a plain string, not a complex key'],
    ['a tag with a newline (a variable of its own in versions.env)', `services:\n  db:\n${entry('1.0\nDB_PASSWORD=attacker')}`, 'm.yaml:4: services.db.current_tag is "1.0\\nDB_PASSWORD=attacker": expected an image tag'],
    ['an image with a newline', `services:\n  db:\n    image: "ghcr.io/acme/db\\nDB_PASSWORD=attacker"\n    current_tag: "1"\n`, 'm.yaml:3: services.db.image is "ghcr.io/acme/db\\nDB_PASSWORD=attacker": expected an image name'],
    ['a service name with =', `services:\n  "db=x":\n${entry('1')}`, 'm.yaml:2: service name "db=x" is not allowed'],
    ['two names that are one variable (my-api and my_api)', `services:\n  my-api:\n${entry('1')}  my_api:\n${entry('2')}`, 'm.yaml:5: services my-api and my_api would both be MY_API_IMAGE in the env file'],
    ['a history tag with a newline', `services:\n  api:\n${entry('1')}    history:\n      - tag: "0\\nX=1"\n`, 'm.yaml:6: services.api.history[0].tag is "0\\nX=1": expected an image tag']
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseManifest(text, 'm.yaml')).toThrow(message);
  });

  it('a service named like an Object property (constructor, toString) is an ordinary service', () => {
    const parsed = parseManifest(`services:\n  constructor:\n${entry('1')}  toString:\n${entry('2')}`, 'm.yaml');
    expect(Object.keys(parsed.services)).toEqual(['constructor', 'toString']);
    const fresh = recordVersion({ services: {} }, 'constructor', { image: 'ghcr.io/acme/c', tag: '1', digest: D1, now: at(1) });
    expect(fresh.manifest.services.constructor).toMatchObject({ current_tag: '1', history: [] });
  });

  const one = (name: string, image: string, tag: string): VersionManifest => ({ services: { [name]: { image, current_tag: tag, image_digest: D1, updated_at: '', custom: false, history: [] } } });
  it.each([
    ['a tag with a newline', one('db', 'ghcr.io/acme/db', '1.0\nDB_PASSWORD=attacker'), 'deploy/prod/version-manifest.yaml: the tag of service db is "1.0\\nDB_PASSWORD=attacker": expected an image tag'],
    ['an image with a newline', one('db', 'ghcr.io/acme/db\nDB_PASSWORD=attacker', '1'), 'the image of service db is "ghcr.io/acme/db\\nDB_PASSWORD=attacker": expected an image name'],
    ['an image with a tag', one('db', 'ghcr.io/acme/db:1', '1'), 'the image of service db is "ghcr.io/acme/db:1"'],
    ['a service name with a newline', one('db\nDB_PASSWORD', 'ghcr.io/acme/db', '1'), 'a service name is "db\\nDB_PASSWORD": expected letters'],
    ['__proto__', one('__proto__', 'ghcr.io/acme/db', '1'), 'a service name is "__proto__"'],
    ['an environment with a newline', { ...one('db', 'ghcr.io/acme/db', '1'), environment: 'prod\nX=1' }, 'the environment is "prod\\nX=1"']
  ])('checkManifest (before any write) refuses %s', (_name, manifest, message) => {
    expect(() => checkManifest(manifest, 'deploy/prod/version-manifest.yaml')).toThrow(message);
  });

  it('reads what it writes, and what it writes satisfies the shipped JSON Schema', () => {
    let manifest: VersionManifest = { environment: 'prod', services: {} };
    manifest = recordVersion(manifest, 'api', { image: 'ghcr.io/acme/api', tag: '1.2.3', digest: D1, now: at(1) }).manifest;
    manifest = recordVersion(manifest, 'api', { image: 'ghcr.io/acme/api', tag: '1.2.4', digest: D2, now: at(2) }).manifest;
    const text = renderManifest(manifest);
    expect(parseManifest(text, 'm.yaml')).toEqual(manifest);
    expect(validate(parse(text))).toBe(true);
    expect(validate({ services: { api: { image: 'x', current_tag: '1', image_digest: 'sha256:abc' } } })).toBe(false);
    expect(() => parseManifest('services:\n  api:\n    image: x\n    current_tag: "1"\n    image_digest: sha256:abc\n', 'm.yaml')).toThrow('expected sha256:<64 hex>');
  });

  it.each([
    ['a service name with a newline', { services: { 'db\nX=1': { image: 'x', current_tag: '1' } } }],
    ['a tag with a newline', { services: { db: { image: 'x', current_tag: '1\nX=1' } } }],
    ['a history tag with =', { services: { db: { image: 'x', current_tag: '1', history: [{ tag: 'a=b' }] } } }],
    ['an environment with a newline', { environment: 'prod\nX=1', services: {} }]
  ])('the shipped JSON Schema refuses %s too', (_name, manifest) => {
    expect(validate(manifest)).toBe(false);
  });

  it('records a new version with the replaced one first in its history, at most N kept; the same version changes nothing', () => {
    let manifest: VersionManifest = { services: {} };
    for (const [i, tag] of ['1', '2', '3', '4'].entries()) manifest = recordVersion(manifest, 'api', { image: 'i', tag, digest: [D1, D2, D3, D1][i], now: at(i + 1) }, 2).manifest;
    expect(manifest.services.api).toMatchObject({ current_tag: '4', history: [{ tag: '3', digest: D3, time: at(3).toISOString() }, { tag: '2' }] });
    expect(recordVersion(manifest, 'api', { image: 'i', tag: '4', digest: D1, now: at(9) }).changed).toBe(false);
  });

  const service = (history: ManifestService['history'], current = '3', digest = D3): ManifestService => ({ image: 'i', current_tag: current, image_digest: digest, updated_at: '', custom: false, history });
  it.each([
    ['the previous version', service([{ tag: '2', digest: D2, time: '' }, { tag: '1', digest: D1, time: '' }]), undefined, '2'],
    ['skipping a version rolled back from', service([{ tag: '4', digest: D1, time: '', reason: 'rollback' }, { tag: '2', digest: D2, time: '' }]), undefined, '2'],
    ['skipping an entry identical to what runs', service([{ tag: '3', digest: D3, time: '' }, { tag: '2', digest: D2, time: '' }]), undefined, '2'],
    ['a tag from the history', service([{ tag: '2', digest: D2, time: '' }, { tag: '1', digest: D1, time: '' }]), '1', '1'],
    ['a tag outside the history (the registry resolves it)', service([]), '0.9', undefined]
  ])('rollback goes to %s', (_name, current, to, expected) => {
    expect(rollbackTarget(current, 'api', to)?.tag).toBe(expected);
  });

  it('rollback without an earlier version says so', () => {
    expect(() => rollbackTarget(service([]), 'api')).toThrow('Service api has no earlier version to roll back to (its history holds 0 entries)');
  });

  it('versions.env for docker-compose: <SERVICE>_IMAGE pinned by digest and <SERVICE>_TAG', () => {
    const manifest: VersionManifest = { services: { 'api-gw': { image: 'ghcr.io/acme/gw', current_tag: '1.2.3', image_digest: D1, updated_at: '', custom: false, history: [] } } };
    expect(renderEnvFile(manifest)).toBe(`# Generated by imgver from the version manifest: do not edit.\nAPI_GW_IMAGE=ghcr.io/acme/gw:1.2.3@${D1}\nAPI_GW_TAG=1.2.3\n`);
  });

  it.each([
    ['1.62', ['1.61', '1.62', '1.63', '1.64', 'latest', 'sha-abc', '1.65-rc.1'], ['1.64', '1.63']],
    ['v1.2.3', ['v1.2.3', 'v1.2.4', 'v2.0.0', 'v2.0.0-beta.1'], ['v2.0.0', 'v1.2.4']],
    ['2.0.0-beta.1', ['2.0.0-beta.2', '2.0.0', '1.9.9'], ['2.0.0', '2.0.0-beta.2']]
  ])('newer release tags than %s', (current, tags, expected) => {
    expect(newerTags(current, tags)).toEqual(expected);
  });

  it('two-part tags count as versions (latest → 1.64)', () => {
    expect(releaseVersions(['1.64', 'latest', 'v2', '3.1.4'])).toEqual([
      { tag: '1.64', version: '1.64.0' },
      { tag: '3.1.4', version: '3.1.4' }
    ]);
  });
});
