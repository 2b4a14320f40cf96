import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseConfigByOutline } from '../../../src/core/config-outline.js';
import { parseConfig } from '../../../src/core/config-file.js';

const HELM_BENCH = `charts:\n  - path: deploy/all\n    images:\n${Array.from({ length: 5 }, (_, i) => `      svc00${i}: image.svc00${i}`).join('\n')}\n`;

describe('imgver.yaml read by the line scanner', () => {
  it.each<[string, string]>([
    ['a chart repository', HELM_BENCH],
    ['the example monorepo', readFileSync('examples/monorepo/imgver.yaml', 'utf8')],
    ['a config js-yaml reads (a block scalar)', 'tags: |\n  type=sha\nservices:\n  api:\n'],
    ['versions', 'version:\n  initial: 0.1.0\n  file-fields: {n: 1, on: true}\nservices:\n  api: {paths: [api/**]}\n']
  ])('%s: the same Config as parseConfig', async (_name, text) => {
    expect(await parseConfigByOutline(text, 'imgver.yaml')).toEqual(await parseConfig(text, 'imgver.yaml'));
  });

  it.each<[string, string]>([
    ['unknown top-level key', 'services:\n  api:\nversoin:\n  source: ref\n'],
    ['unknown chart key', 'charts:\n  - path: deploy/all\n    imagez: {}\n'],
    ['a chart without a path', 'charts:\n  - images: {api: image.api}\n'],
    ['bad enum', 'version:\n  source: ecr\n'],
    ['bad type', 'bump:\n  search-body: maybe\n'],
    ['bad service name', 'services:\n  Api:\n'],
    ['duplicate key', 'services:\n  api:\n  api:\n'],
    ['service in unified tag format', 'version:\n  tag-format: "{{service}}/v{{version}}"\n'],
    ['a bad glob', "services:\n  api:\n    paths: ['a/[b']\n"],
    ['yaml syntax', 'services:\n  api: [\n'],
    ['not a mapping', '- a\n- b\n']
  ])('%s: the same error as parseConfig', async (_name, text) => {
    const error = await parseConfig(text, 'imgver.yaml').then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeDefined();
    await expect(parseConfigByOutline(text, 'imgver.yaml')).rejects.toEqual(error);
  });
});
