import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkAnnotationPrefix, deployedIn, updateK8sFile, type K8sImage } from '../../../src/core/k8s-manifest.js';
import { edited, EXPECTED, IMAGES, OPTIONS, read, updatedCopy, WEB_DIGEST, WORKER_DIGEST } from '../../helpers/k8s-fixtures.js';

describe('k8s-sync edits of real manifests (multi-document, comments, anchors, kustomize base and two overlays, CronJob, initContainers)', () => {
  it.each(Object.keys(EXPECTED))('%s: only the image scalars and the version annotations change, byte for byte', file => {
    const text = read(file);
    const result = updateK8sFile(text, file, IMAGES, OPTIONS);
    expect(result.text).toBe(edited(text, EXPECTED[file]));
    expect(result.warnings).toEqual([]);
    // A re-run changes nothing.
    expect(updateK8sFile(result.text, file, IMAGES, OPTIONS)).toEqual({ text: result.text, changes: [], warnings: [] });
  });

  it('reports each change with its file, line, old and new value', () => {
    const { changes } = updateK8sFile(read('base/web.yaml'), 'base/web.yaml', IMAGES, OPTIONS);
    expect(changes.map(c => [c.line, c.service, c.what, c.from, c.to])).toEqual([
      [23, 'web', 'metadata.annotations.imgver.dev/web.version', null, '4.20.5'],
      [31, 'web', 'spec.template.metadata.annotations.imgver.dev/web.version', null, '4.20.5'],
      [36, 'web', 'Deployment/web initContainers[0] image', 'ghcr.io/acme/web:4.20.4', `ghcr.io/acme/web:4.20.5@${WEB_DIGEST}`],
      [43, 'web', 'Deployment/web containers[0] image', 'ghcr.io/acme/web:4.20.4', `ghcr.io/acme/web:4.20.5@${WEB_DIGEST}`]
    ]);
  });

  it('without a digest to pin (or digest: false) the tag moves and an old digest is dropped, so the new tag is what deploys', () => {
    const noDigest = IMAGES.map(i => ({ ...i, digest: undefined }));
    const prod = updateK8sFile(read('overlays/prod/kustomization.yaml'), 'overlays/prod/kustomization.yaml', noDigest, OPTIONS);
    expect(prod.text).toBe(edited(read('overlays/prod/kustomization.yaml'), [["newTag: '4.20.4'", "newTag: '4.20.5'"], [`    digest: sha256:${'2'.repeat(64)}\n`, ''], ['newTag: 1.8.0', 'newTag: 1.9.0']]));
    expect(prod.warnings).toEqual([expect.stringMatching(/^overlays\/prod\/kustomization.yaml line 11: no digest is known for web/)]);
    const jobs = updateK8sFile(read('base/jobs.yaml'), 'base/jobs.yaml', IMAGES, { ...OPTIONS, pinDigest: false });
    expect(jobs.text).toContain("image: 'ghcr.io/acme/worker:1.9.0'\n");
    expect(jobs.text).toContain('image: ghcr.io/acme/worker:1.9.0\n');
  });

  it('writes no annotation with annotation-prefix none, and never accepts a kubernetes.io prefix', () => {
    const result = updateK8sFile(read('base/web.yaml'), 'base/web.yaml', IMAGES, { pinDigest: true });
    expect(result.text).not.toContain('imgver.dev');
    expect(result.changes).toHaveLength(2);
    expect(() => checkAnnotationPrefix('kubernetes.io', 'x')).toThrow(/reserved for Kubernetes/);
    expect(() => checkAnnotationPrefix('deploy.k8s.io', 'x')).toThrow(/reserved for Kubernetes/);
    expect(() => checkAnnotationPrefix('Not A Prefix', 'x')).toThrow(/expected a DNS subdomain/);
    expect(checkAnnotationPrefix('releases.acme.com', 'x')).toBe('releases.acme.com');
  });

  it('reads back what a file deploys (for rollback from the repository history)', () => {
    const dir = updatedCopy();
    const text = readFileSync(join(dir, 'base/web.yaml'), 'utf8');
    expect(deployedIn(text, 'base/web.yaml', [{ service: 'web', repository: 'ghcr.io/acme/web' }], 'imgver.dev')).toEqual([
      { service: 'web', tag: '4.20.5', digest: WEB_DIGEST, version: '4.20.5', file: 'base/web.yaml', line: 39 },
      { service: 'web', tag: '4.20.5', digest: WEB_DIGEST, version: '4.20.5', file: 'base/web.yaml', line: 46 }
    ]);
    const overlay = readFileSync(join(dir, 'overlays/prod/kustomization.yaml'), 'utf8');
    expect(deployedIn(overlay, 'k.yaml', [{ service: 'worker', repository: 'ghcr.io/acme/worker' }])).toEqual([
      { service: 'worker', tag: '1.9.0', digest: WORKER_DIGEST, file: 'k.yaml', line: 14 }
    ]);
  });
});

const deployment = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}${extra}
`;

describe('k8s-sync: what it will not update safely is a warning naming file and line', () => {
  it.each([
    ['an image built from a template expression', deployment('ghcr.io/acme/web:${TAG}'), /^d.yaml line 12: image "ghcr.io\/acme\/web:\$\{TAG\}" is built from a template expression: not updated \(web may be meant\)/],
    ['a registry from a template expression', deployment('"{{ .Values.registry }}/web:1.0.0"'), /^d.yaml line 12: image .* is built from a template expression/],
    ['a repository two services share', deployment('ghcr.io/acme/shop:1.0.0'), /^d.yaml line 12: image "ghcr.io\/acme\/shop:1.0.0" is ambiguous: services api, jobs share ghcr.io\/acme\/shop; not updated/],
    ['an image that is an alias', `x: &img ghcr.io/acme/web:1.0.0\n---\n${deployment('ghcr.io/acme/web:1.0.0').replace('image: ghcr.io/acme/web:1.0.0', 'image: &i ghcr.io/acme/web:1.0.0\n        - name: copy\n          image: *i')}`, /^d.yaml line 16: image is an alias \(\*i\)/]
  ])('%s', (_name, text, warning) => {
    const images: K8sImage[] = [
      { service: 'web', repository: 'ghcr.io/acme/web', tag: '2.0.0', version: '2.0.0' },
      { service: 'api', repository: 'ghcr.io/acme/shop', tag: '2.0.0-api', version: '2.0.0' },
      { service: 'jobs', repository: 'ghcr.io/acme/shop', tag: '2.0.0-jobs', version: '2.0.0' }
    ];
    const result = updateK8sFile(text, 'd.yaml', images, OPTIONS);
    expect(result.warnings).toEqual(expect.arrayContaining([expect.stringMatching(warning)]));
    if (!/alias/.test(warning.source)) expect(result.text).toBe(text);
  });
});

describe('k8s-sync: bad input is a clean error naming file and line', () => {
  it('a file that names none of the released images is not parsed at all (nothing to change there)', () => {
    expect(updateK8sFile('kind: Pod\nspec: [\n', 'other.yaml', IMAGES, OPTIONS)).toEqual({ text: 'kind: Pod\nspec: [\n', changes: [], warnings: [] });
  });

  it.each([
    ['a manifest that is not YAML', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\nspec:\n  containers: [{name: web, image: ghcr.io/acme/web:1.0.0}]\n', /^bad.yaml line \d+: not valid YAML: /],
    ['an alias to an anchor of another document', 'image: &x ghcr.io/acme/web:1.0.0\n---\nb: *x\n', /^bad.yaml line 3: not valid YAML: /],
    [
      'a kustomization with two entries for one image',
      'kind: Kustomization\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.0.0\n  - name: nginx\n  - name: other\n    newName: ghcr.io/acme/web\n    newTag: 1.1.0\n',
      /^bad.yaml line 6: images\[2\] is a second entry for ghcr.io\/acme\/web \(the first is at line 3\)/
    ],
    ['a kustomize newTag that is a mapping', 'kind: Kustomization\nimages:\n  - name: ghcr.io/acme/web\n    newTag: {a: 1}\n', /^bad.yaml line 4: images\[0\].newTag is not a plain value/]
  ])('%s', (_name, text, message) => {
    let error: (Error & { file?: string; line?: number }) | undefined;
    try {
      updateK8sFile(text, 'bad.yaml', IMAGES, OPTIONS);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('UserError');
    expect(error?.message).toMatch(message);
    expect(error?.file).toBe('bad.yaml');
    expect(error?.line).toEqual(expect.any(Number));
  });
});

describe('k8s-sync: a workload that runs the images of two services', () => {
  it('gets both version annotations in one annotations: mapping (never a second annotations: key)', () => {
    const text = deployment('ghcr.io/acme/web:1.0.0').replace('          image: ghcr.io/acme/web:1.0.0\n', '          image: ghcr.io/acme/web:1.0.0\n        - name: worker\n          image: ghcr.io/acme/worker:1.0.0\n');
    const { text: out, warnings } = updateK8sFile(text, 'd.yaml', IMAGES, OPTIONS);
    expect(warnings).toEqual([]);
    expect(out).toBe(
      edited(text, [
        ['  name: web\n', '  name: web\n  annotations:\n    imgver.dev/web.version: 4.20.5\n    imgver.dev/worker.version: 1.9.0\n'],
        ['      labels: {app: web}\n', '      labels: {app: web}\n      annotations:\n        imgver.dev/web.version: 4.20.5\n        imgver.dev/worker.version: 1.9.0\n'],
        ['image: ghcr.io/acme/web:1.0.0', `image: ghcr.io/acme/web:4.20.5@${WEB_DIGEST}`],
        ['image: ghcr.io/acme/worker:1.0.0', `image: ghcr.io/acme/worker:1.9.0@${WORKER_DIGEST}`]
      ])
    );
    // One annotation there already: the other joins it.
    const half = text.replace('  name: web\n', '  name: web\n  annotations:\n    imgver.dev/web.version: 4.20.5\n');
    expect(updateK8sFile(half, 'd.yaml', IMAGES, OPTIONS).text).toBe(out);
  });
});

describe('k8s-sync: values written plain read back as the same string', () => {
  it.each(['ghcr.io/acme/web:4.20.5', `ghcr.io/acme/web:4.20.5@${WEB_DIGEST}`, 'localhost:5000/example/api:0.1.0', '127.0.0.1:5000/a/b:v1', 'acme/web:1.0', 'docker.io/library/nginx'])('%s', value => {
    const text = deployment('ghcr.io/acme/web:0.0.1');
    const image = { service: 'web', repository: value.replace(/(:[^:/@]*)?(@.*)?$/, ''), tag: 'x', version: '1' };
    const out = updateK8sFile(text.replace('ghcr.io/acme/web:0.0.1', `${image.repository}:0.0.1`), 'd.yaml', [{ ...image, tag: value.slice(image.repository.length + 1).split('@')[0] || 'latest', digest: value.split('@')[1] }], { pinDigest: true });
    const written = (parseAllDocuments(out.text)[0] as unknown as { toJS(): any }).toJS().spec.template.spec.containers[0].image;
    expect(written).toBe(out.changes[0].to);
  });
});
