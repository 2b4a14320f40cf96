/** The Kubernetes manifests of __tests__/fixtures/k8s, the images a release brings them, and what k8s-sync makes of them. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateK8sFile, type K8sImage } from '../../src/core/k8s-manifest.js';

export const FIXTURES = join(new URL('.', import.meta.url).pathname, '../fixtures/k8s');
export const read = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
export const WEB_DIGEST = `sha256:${'a'.repeat(64)}`;
export const WORKER_DIGEST = `sha256:${'b'.repeat(64)}`;
export const OLD_WORKER_DIGEST = `sha256:${'1'.repeat(64)}`;
export const IMAGES: K8sImage[] = [
  { service: 'web', repository: 'ghcr.io/acme/web', tag: '4.20.5', digest: WEB_DIGEST, version: '4.20.5' },
  { service: 'worker', repository: 'ghcr.io/acme/worker', tag: '1.9.0', digest: WORKER_DIGEST, version: '1.9.0' }
];
export const OPTIONS = { pinDigest: true, annotationPrefix: 'imgver.dev' };

/** Replaces each `from` exactly once (it must be there), so the expected text differs from the fixture only there. */
export function edited(text: string, edits: [string, string][]): string {
  let out = text;
  for (const [from, to] of edits) {
    const at = out.indexOf(from);
    if (at === -1 || out.indexOf(from, at + 1) !== -1) throw new Error(`fixture: "${from}" is not there exactly once`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

export const EXPECTED: Record<string, [string, string][]> = {
  'base/web.yaml': [
    ['    team: storefront   # paged at night\n', '    team: storefront   # paged at night\n    imgver.dev/web.version: 4.20.5\n'],
    ['      labels: *web-labels\n', '      labels: *web-labels\n      annotations:\n        imgver.dev/web.version: 4.20.5\n'],
    ['image: "ghcr.io/acme/web:4.20.4"', `image: "ghcr.io/acme/web:4.20.5@${WEB_DIGEST}"`],
    ['image: ghcr.io/acme/web:4.20.4   # the storefront', `image: ghcr.io/acme/web:4.20.5@${WEB_DIGEST}   # the storefront`]
  ],
  'base/jobs.yaml': [
    ['  name: nightly-report   # 03:00 every night\n', '  name: nightly-report   # 03:00 every night\n  annotations:\n    imgver.dev/worker.version: 1.9.0\n'],
    [`'ghcr.io/acme/worker:1.8.0@${OLD_WORKER_DIGEST}'`, `'ghcr.io/acme/worker:1.9.0@${WORKER_DIGEST}'`],
    [`image: ghcr.io/acme/worker:1.8.0@${OLD_WORKER_DIGEST}\n`, `image: ghcr.io/acme/worker:1.9.0@${WORKER_DIGEST}\n`],
    ['              args: [report, --since=24h]\n', `              args: [report, --since=24h]\n        metadata:\n          annotations:\n            imgver.dev/worker.version: 1.9.0\n`]
  ],
  'base/kustomization.yaml': [],
  'overlays/staging/kustomization.yaml': [
    ['    newTag: 4.20.4          # set by imgver k8s-sync\n', `    newTag: 4.20.5          # set by imgver k8s-sync\n    digest: ${WEB_DIGEST}\n`],
    ['    newTag: "1.8.0"\n', `    newTag: "1.9.0"\n    digest: ${WORKER_DIGEST}\n`]
  ],
  'overlays/prod/kustomization.yaml': [
    ["newTag: '4.20.4'", "newTag: '4.20.5'"],
    [`digest: sha256:${'2'.repeat(64)}`, `digest: ${WEB_DIGEST}`],
    ['    newTag: 1.8.0\n', `    newTag: 1.9.0\n    digest: ${WORKER_DIGEST}\n`]
  ]
};

export function updatedCopy(images = IMAGES, options = OPTIONS): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-k8s-'));
  cpSync(FIXTURES, dir, { recursive: true });
  for (const file of Object.keys(EXPECTED)) {
    const text = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), updateK8sFile(text, file, images, options).text);
  }
  return dir;
}
