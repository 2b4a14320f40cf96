import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../../src/core/config-file.js';

describe('deploy.kubernetes in imgver.yaml', () => {
  it('lists the manifests k8s-sync keeps in step (none by default)', async () => {
    expect((await parseConfig('services:\n  web: {}\ndeploy:\n  kubernetes:\n    - deploy/k8s\n    - "apps/*/overlays/**/kustomization.yaml"\n', 'imgver.yaml')).deploy).toEqual({
      kubernetes: ['deploy/k8s', 'apps/*/overlays/**/kustomization.yaml']
    });
    expect((await parseConfig('services:\n  web: {}\n', 'imgver.yaml')).deploy).toEqual({ kubernetes: [] });
  });

  it.each([
    ['a path outside the working directory', 'deploy:\n  kubernetes:\n    - deploy/k8s\n    - ../gitops/apps\n', 'imgver.yaml:4: deploy.kubernetes.1: "../gitops/apps" is outside the working directory'],
    ['an absolute path', 'deploy:\n  kubernetes: [/etc/kubernetes/manifests]\n', 'imgver.yaml:2: deploy.kubernetes.0: "/etc/kubernetes/manifests" is outside the working directory'],
    ['an unknown key', 'deploy:\n  kubernetes: [k8s]\n  helm: [charts]\n', 'imgver.yaml:3: deploy.helm: unknown key "helm"'],
    ['a path that is not a string', 'deploy:\n  kubernetes:\n    - {path: k8s}\n', 'imgver.yaml:3: deploy.kubernetes.0: expected string']
  ])('%s is an error naming the line', async (_name, text, message) => {
    await expect(parseConfig(text, 'imgver.yaml')).rejects.toThrow(message);
  });
});
