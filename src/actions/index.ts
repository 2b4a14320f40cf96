import type { ActionModule } from './types.js';

/** Each action's code is loaded on demand: an action run pays the start-up of its own code only. */
export const ACTIONS: Record<string, () => Promise<ActionModule>> = {
  'detect-changes': () => import('./detect-changes.js'),
  'compute-version': () => import('./compute-version.js'),
  'build-tag-push': () => import('./build-tag-push.js'),
  'helm-sync': () => import('./helm-sync.js'),
  'k8s-sync': () => import('./k8s-sync.js'),
  release: () => import('./release.js'),
  'deploy-manifest': () => import('./deploy-manifest.js'),
  'merge-plans': () => import('./merge-plans.js'),
  pipeline: () => import('./pipeline.js'),
  init: () => import('./init.js')
};
