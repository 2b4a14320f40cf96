import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { kubectlBinary } from '../../helpers/helm.js';
import { updatedCopy, WEB_DIGEST, WORKER_DIGEST } from '../../helpers/k8s-fixtures.js';

/** What k8s-sync writes, read by the real kubectl (its kustomize built in); the edits themselves: __tests__/unit/core/k8s-manifest.test.ts. */

const kubectl = (args: string[], cwd: string) => execFileSync(kubectlBinary(), args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, KUBECONFIG: '/dev/null', HOME: cwd } });

function imagesOf(rendered: string): Map<string, string[]> {
  const byObject = new Map<string, string[]>();
  for (const doc of parseAllDocuments(rendered) as unknown as { toJS(): Record<string, any> }[]) {
    const object = doc.toJS();
    const pod = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec?.template;
    if (!pod) continue;
    const images = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c: { image: string }) => c.image);
    byObject.set(`${object.kind}/${object.metadata.name}`, images);
  }
  return byObject;
}

describe('k8s-sync edits of real manifests, rendered and parsed by kubectl', () => {
  it.each(['overlays/staging', 'overlays/prod'])('kubectl kustomize %s renders every image of ours as repo:tag@digest', overlay => {
    const dir = updatedCopy();
    const images = imagesOf(kubectl(['kustomize', overlay], dir));
    const nginx = overlay.endsWith('prod') ? 'docker.io/library/nginx:1.27.3' : 'docker.io/library/nginx:1.27';
    expect(Object.fromEntries(images)).toEqual({
      'Deployment/web': [`ghcr.io/acme/web:4.20.5@${WEB_DIGEST}`, `ghcr.io/acme/web:4.20.5@${WEB_DIGEST}`, nginx, 'ghcr.io/other/web:2.0.0'],
      'CronJob/nightly-report': [`ghcr.io/acme/worker:1.9.0@${WORKER_DIGEST}`, `ghcr.io/acme/worker:1.9.0@${WORKER_DIGEST}`]
    });
  });

  it('kubectl parses the updated manifests client-side: images, and the version on the workload and its pod template', () => {
    const dir = updatedCopy();
    for (const [file, kind, service, version] of [
      ['base/web.yaml', 'Deployment', 'web', '4.20.5'],
      ['base/jobs.yaml', 'CronJob', 'worker', '1.9.0']
    ]) {
      const out = parseAllDocuments(kubectl(['annotate', '--local', '-f', file, 'imgver.test/parsed=true', '-o', 'yaml'], dir)) as unknown as { toJS(): any }[];
      const objects = out.map(d => d.toJS()).flatMap(o => (o.kind === 'List' ? o.items : [o]));
      const workload = objects.find((o: { kind: string }) => o.kind === kind);
      const template = kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
      expect(workload.metadata.annotations[`imgver.dev/${service}.version`]).toBe(version);
      expect(template.metadata.annotations[`imgver.dev/${service}.version`]).toBe(version);
      const ours = [...(template.spec.initContainers ?? []), ...template.spec.containers].map((c: { image: string }) => c.image).filter((i: string) => i.startsWith(`ghcr.io/acme/${service}`));
      expect(ours).toEqual([`ghcr.io/acme/${service}:${version}@${service === 'web' ? WEB_DIGEST : WORKER_DIGEST}`, `ghcr.io/acme/${service}:${version}@${service === 'web' ? WEB_DIGEST : WORKER_DIGEST}`]);
      // The ConfigMap's image and the Service are untouched.
      if (service === 'web') expect(objects.find((o: { kind: string }) => o.kind === 'ConfigMap').data.image).toBe('ghcr.io/acme/web:4.20.4');
    }
  });
});
