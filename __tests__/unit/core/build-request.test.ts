import { describe, expect, it } from '@jest/globals';
import { buildRequestOf, cacheEntries, type BuilderKind, type BuildSettings, type CacheMode } from '../../../src/core/build-request.js';

describe('cacheEntries', () => {
  it.each<[CacheMode, BuilderKind, object]>([
    ['none', 'buildx', { from: [], to: [], buildArgs: [] }],
    ['gha', 'buildx', { from: ['type=gha,scope=api'], to: ['type=gha,mode=max,scope=api'], buildArgs: [] }],
    ['registry', 'buildx', { from: ['type=registry,ref=r.io/api:buildcache'], to: ['type=registry,ref=r.io/api:buildcache,mode=max'], buildArgs: [] }],
    ['registry', 'docker', { from: ['r.io/api:buildcache'], to: [], buildArgs: [] }],
    ['inline', 'buildx', { from: ['type=registry,ref=r.io/api:latest'], to: ['type=inline'], buildArgs: ['BUILDKIT_INLINE_CACHE=1'] }],
    ['inline', 'docker', { from: ['r.io/api:latest'], to: [], buildArgs: ['BUILDKIT_INLINE_CACHE=1'] }]
  ])('[%#] %s with %s', (mode, builder, expected) => {
    expect(cacheEntries(mode, builder, 'api', 'r.io/api')).toEqual(expected);
  });

  it('gha cache without buildx names the input', () => {
    expect(() => cacheEntries('gha', 'docker', 'api', 'r.io/api')).toThrow("Input 'cache' is gha, which needs docker buildx");
  });
});

describe('buildRequestOf', () => {
  const settings: BuildSettings = {
    cache: 'inline',
    platforms: ['linux/amd64'],
    buildArgs: ['NAME={{service}}', 'VERSION={{version}}'],
    cacheFrom: ['{{image}}:cache'],
    cacheTo: [],
    secrets: [],
    push: true
  };

  it('every tag of every image, the cache of the mode, the templated lines, the default Dockerfile', () => {
    const request = buildRequestOf({ name: 'api', version: '1.2.3', context: 'svc/api', images: [{ name: 'r.io/api', tags: ['1.2.3', 'latest'] }, { name: 'm.io/api', tags: ['1.2.3'] }] }, settings, 'buildx');
    expect(request).toMatchObject({
      service: 'api',
      context: 'svc/api',
      dockerfile: 'svc/api/Dockerfile',
      tags: ['r.io/api:1.2.3', 'r.io/api:latest', 'm.io/api:1.2.3'],
      buildArgs: ['BUILDKIT_INLINE_CACHE=1', 'NAME=api', 'VERSION=1.2.3'],
      cacheFrom: ['type=registry,ref=r.io/api:latest', 'r.io/api:cache'],
      cacheTo: ['type=inline'],
      labels: {},
      push: true
    });
  });
});
