import { join, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { shortSha } from '../core/context.js';
import { UserError } from '../core/errors.js';
import {
  branchFor,
  deployedIdentity,
  isRollbackTarget,
  k8sSyncResult,
  kubernetesPatternLine,
  manifestRollbackImage,
  pullRequestText,
  releasedImages,
  versionOfTag,
  type K8sPullRequest
} from '../core/k8s-release.js';
import { DEFAULT_ANNOTATION_PREFIX, checkAnnotationPrefix, deployedIn, updateK8sFile, type K8sChange, type K8sImage, type K8sOptions } from '../core/k8s-manifest.js';
import { splitLines } from '../core/lines.js';
import type { Logger } from '../core/logger.js';
import { parseManifest } from '../core/manifest.js';
import type { Plan } from '../core/plan.js';
import { readTextIfExists, writeFilesAtomically, type FileWrite } from '../adapters/files.js';
import { resolveManifestFiles, type PathOrigin } from '../adapters/k8s-files.js';
import { Git } from '../adapters/git.js';
import { booleanInput, commonInputs, inputValue, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import type { StageResult, StageContext } from './types.js';

export interface K8sSyncInputs extends CommonInputs {
  plan?: Plan;
  paths: string[];
  digest: boolean;
  annotationPrefix?: string;
  rollback: boolean;
  service?: string;
  to?: string;
  manifest?: string;
  environment?: string;
  deployRepository?: string;
  deployBranch?: string;
  branch?: string;
  token?: string;
  dryRun: boolean;
}

export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): K8sSyncInputs {
  const str = (name: string) => inputValue(raw, name);
  const prefix = str('annotation-prefix') ?? DEFAULT_ANNOTATION_PREFIX;
  const deployRepository = str('deploy-repository');
  if (deployRepository && !/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(deployRepository)) {
    throw new UserError(`Input 'deploy-repository' is set to invalid value '${deployRepository}': expected owner/name, e.g. acme/gitops`, { input: 'deploy-repository' });
  }
  const branch = str('branch');
  if (branch && (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.startsWith('-'))) {
    throw new UserError(`Input 'branch' is set to invalid value '${branch}': expected a branch name (letters, digits, . _ - /)`, { input: 'branch' });
  }
  return {
    ...commonInputs(raw, given),
    plan,
    paths: splitLines(raw.paths),
    digest: booleanInput(raw, 'digest', true),
    annotationPrefix: prefix === 'none' || prefix === 'false' ? undefined : checkAnnotationPrefix(prefix, "Input 'annotation-prefix'"),
    rollback: booleanInput(raw, 'rollback', false),
    service: str('service'),
    to: str('to'),
    manifest: str('manifest'),
    environment: str('environment'),
    deployRepository,
    deployBranch: str('deploy-branch'),
    branch,
    token: str('token'),
    dryRun: booleanInput(raw, 'dry-run', false)
  };
}

/** Where the manifest paths come from: the paths input, else deploy.kubernetes of the config (with its lines). */
async function manifestOrigins(inputs: K8sSyncInputs, config: Config, cwd: string): Promise<PathOrigin[]> {
  if (inputs.paths.length > 0) return inputs.paths.map(pattern => ({ pattern, where: "Input 'paths'" }));
  const patterns = config.deploy.kubernetes;
  if (patterns.length === 0) {
    throw new UserError(`No Kubernetes manifests to sync: list them under deploy.kubernetes in ${inputs.config} (paths or globs, e.g. deploy/k8s/**/*.yaml) or give the paths input`, {
      input: 'paths'
    });
  }
  // The line of a pattern is looked up only when one is reported (a file or link outside the working directory).
  const locate = async (i: number) => {
    const text = config.file ? await readTextIfExists(join(cwd, config.file)) : undefined;
    return text ? kubernetesPatternLine(text, i) : undefined;
  };
  return patterns.map((pattern, i) => ({
    pattern,
    where: `${config.file}: deploy.kubernetes[${i}]`,
    file: config.file,
    locate: async () => {
      const line = await locate(i);
      return { where: `${config.file}${line ? `:${line}` : ''}: deploy.kubernetes[${i}]`, line };
    }
  }));
}

interface Decided {
  writes: FileWrite[];
  changes: K8sChange[];
  /** Files as they were, for the diff and the pull request body. */
  before: Map<string, string>;
}

async function decide(root: string, files: string[], imagesOf: (file: string) => K8sImage[], options: K8sOptions, log: Logger): Promise<Decided> {
  const writes: FileWrite[] = [];
  const changes: K8sChange[] = [];
  const before = new Map<string, string>();
  for (const file of files) {
    const text = await readTextIfExists(join(root, file));
    const images = imagesOf(file);
    if (text === undefined || images.length === 0) continue;
    const result = updateK8sFile(text, file, images, options);
    for (const warning of result.warnings) log.warning(warning, { file, line: Number(/ line (\d+):/.exec(warning)?.[1]) || undefined });
    for (const change of result.changes) log.info(`  ${file}:${change.line} ${change.what}: ${change.from ?? '(none)'} → ${change.to ?? '(removed)'}`);
    changes.push(...result.changes);
    if (result.text !== text) {
      writes.push({ path: file, text: result.text });
      before.set(file, text);
    }
  }
  return { writes, changes, before };
}

/**
 * The service's earlier image per file: from the version manifest's history (the same for every file), else from the
 * repository's history of each file (the last commit where the file deployed another version, or the --to one).
 */
async function rollbackImages(root: string, files: string[], inputs: K8sSyncInputs, config: Config, options: K8sOptions, log: Logger): Promise<Map<string, K8sImage>> {
  const name = inputs.service;
  if (!name) throw new UserError('k8s-sync --rollback needs --service S (optionally --to VERSION)', { input: 'service' });
  const configured = config.services.find(s => s.name === name);
  const manifestPath = inputs.manifest ?? (inputs.environment ? `deploy/${inputs.environment}/version-manifest.yaml` : undefined);
  const manifestText = manifestPath ? await readTextIfExists(join(root, manifestPath)) : undefined;
  if (manifestPath && manifestText === undefined) throw new UserError(`Version manifest ${manifestPath} does not exist (in ${root})`, { input: 'manifest' });
  if (manifestText !== undefined) {
    const image = manifestRollbackImage(parseManifest(manifestText, manifestPath!), manifestPath!, name, inputs.to);
    log.info(`${name}: rolling back to ${image.tag}${image.digest ? ` (${image.digest.slice(0, 19)}…)` : ''} from ${manifestPath}`);
    return new Map(files.map(file => [file, image]));
  }
  if (!configured) throw new UserError(`Service ${name} is not a service of ${inputs.config} (rollback from the repository's history needs its image)`, { input: 'service' });
  const git = new Git(root);
  if (!(await git.isRepository())) throw new UserError(`Rolling back ${name} needs a version manifest (manifest or environment input) or the git history of ${root}`, { input: 'manifest' });
  const wanted = [{ service: name, repository: configured.image }];
  const read = (text: string | undefined, file: string) => (text === undefined ? [] : deployedIn(text, file, wanted, options.annotationPrefix));
  const images = new Map<string, K8sImage>();
  let referenced = false;
  for (const file of files) {
    const now = read(await readTextIfExists(join(root, file)), file);
    if (now.length === 0) continue;
    referenced = true;
    const current = new Set(now.map(deployedIdentity));
    for (const sha of await git.commitsTouching(file)) {
      const hit = read(await git.fileAt(sha, file), file).find(d => isRollbackTarget(d, current, inputs.to));
      if (hit) {
        log.info(`${name}: ${file} goes back to ${hit.tag}${hit.digest ? ` (${hit.digest.slice(0, 19)}…)` : ''}, as at commit ${shortSha(sha)}`);
        images.set(file, { service: name, repository: configured.image, tag: hit.tag!, digest: hit.digest, version: hit.version ?? versionOfTag(hit.tag!) });
        break;
      }
    }
  }
  if (!referenced) throw new UserError(`No manifest of the ${files.length} listed references ${configured.image} (service ${name}): nothing to roll back`, { input: 'service' });
  if (images.size === 0) {
    throw new UserError(
      inputs.to === undefined
        ? `Service ${name} has no earlier version in the git history of its manifests`
        : `Service ${name} was never deployed as ${inputs.to} in the git history of its manifests`,
      { input: inputs.to === undefined ? 'service' : 'to' }
    );
  }
  return images;
}

export async function run(_plan: Plan | undefined, inputs: K8sSyncInputs, runCtx: StageContext): Promise<StageResult> {
  const { log } = runCtx;
  const cwd = resolve(runCtx.cwd, inputs.workingDirectory);
  const config = await runCtx.config(cwd, inputs.config, inputs.configGiven);
  const options: K8sOptions = { pinDigest: inputs.digest, annotationPrefix: inputs.annotationPrefix };
  const origins = await manifestOrigins(inputs, config, cwd);
  let images: K8sImage[] = [];
  if (!inputs.rollback) {
    images = releasedImages(inputs.plan);
    if (inputs.service) images = images.filter(i => i.service === inputs.service);
    if (images.length === 0) {
      log.info('No service of the plan has a new image: nothing to sync.');
      return result(inputs, [], [], [], undefined);
    }
  }

  // The deploy repository: a checkout of its base branch in a temp dir, where the same edits are made.
  const { DeployRepository } = inputs.deployRepository ? await import('../adapters/deploy-repo.js') : { DeployRepository: undefined };
  let pulls: import('../adapters/github-pulls.js').GitHubPulls | undefined;
  let deploy: import('../adapters/deploy-repo.js').DeployRepository | undefined;
  const [owner, repo] = (inputs.deployRepository ?? '/').split('/');
  if (inputs.deployRepository && DeployRepository) {
    const token = inputs.token ?? runCtx.env.GITHUB_TOKEN ?? '';
    if (token) log.mask(token);
    const { GitHubPulls } = await import('../adapters/github-pulls.js');
    pulls = inputs.dryRun && !token ? undefined : await GitHubPulls.open(token, runCtx.env.GITHUB_API_URL || undefined);
    const base = inputs.deployBranch ?? (pulls ? await pulls.defaultBranch(owner, repo) : 'main');
    const branch = inputs.branch ?? branchFor(images.length > 0 ? images : [{ service: inputs.service ?? 'service', repository: '', tag: '', version: '' }], inputs.rollback);
    deploy = await DeployRepository.clone({
      serverUrl: runCtx.env.GITHUB_SERVER_URL || 'https://github.com',
      repository: inputs.deployRepository,
      base,
      branch,
      token,
      depth: inputs.rollback ? 200 : 1,
      tempRoot: runCtx.env.RUNNER_TEMP || undefined
    });
    log.info(`Deploy repository ${inputs.deployRepository}: branch ${base} checked out; the change goes to branch ${branch}`);
  }
  try {
    const root = deploy?.dir ?? cwd;
    const files = await resolveManifestFiles(root, origins);
    if (files.length === 0) log.warning(`No manifest files match ${origins.map(o => o.pattern).join(', ')}`);
    let imagesOf = (_file: string) => images;
    if (inputs.rollback) {
      const perFile = await rollbackImages(root, files, inputs, config, options, log);
      images = [...new Map([...perFile.values()].map(i => [`${i.tag}@${i.digest ?? ''}`, i])).values()];
      imagesOf = file => (perFile.has(file) ? [perFile.get(file)!] : []);
    }

    const decided = await log.group('Kubernetes manifest edits', () => decide(root, files, imagesOf, options, log));
    const changedFiles = decided.writes.map(w => w.path);
    if (inputs.dryRun) {
      const { createTwoFilesPatch } = await import('diff');
      await log.group('Dry run: the changes k8s-sync would write', async () => {
        for (const write of decided.writes) {
          log.info(createTwoFilesPatch(`a/${write.path}`, `b/${write.path}`, decided.before.get(write.path)!, write.text, undefined, undefined, { context: 3 }).trimEnd());
        }
        if (decided.writes.length === 0) log.info('Every manifest is already in step: nothing would change.');
      });
      return result(inputs, images, decided.changes, changedFiles, undefined, true);
    }
    await writeFilesAtomically(decided.writes.map(w => ({ path: join(root, w.path), text: w.text })));
    if (changedFiles.length > 0) log.info(`Wrote ${changedFiles.join(', ')}`);
    else log.info('Every manifest is already in step: nothing to write.');
    if (!deploy) return result(inputs, images, decided.changes, changedFiles, undefined);

    if (changedFiles.length === 0) return result(inputs, images, decided.changes, changedFiles, undefined);
    const { title, body } = pullRequestText(images, decided.changes, inputs.rollback);
    const pushed = await deploy.commitAndPush(changedFiles, title);
    log.info(pushed.pushed ? `Pushed ${deploy.branch} (${shortSha(pushed.commit)}) to ${inputs.deployRepository}` : `${deploy.branch} of ${inputs.deployRepository} already holds this change: nothing pushed`);
    const pr = await pulls!.upsert({ owner, repo, head: deploy.branch, base: deploy.base, title, body });
    log.info(`Pull request #${pr.number} ${pr.action}: ${pr.url}`);
    return result(inputs, images, decided.changes, changedFiles, { ...pr, branch: deploy.branch, pushed: pushed.pushed });
  } finally {
    await deploy?.remove();
  }
}

function result(inputs: K8sSyncInputs, images: K8sImage[], changes: K8sChange[], changedFiles: string[], pr: K8sPullRequest | undefined, dryRun = false): StageResult {
  const { plan, outputs, summary } = k8sSyncResult({ plan: inputs.plan, images, changes, changedFiles, pr, dryRun, rollback: inputs.rollback, digest: inputs.digest, deployRepository: inputs.deployRepository });
  return { plan, outputs, summary };
}
