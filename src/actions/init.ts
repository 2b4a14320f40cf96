import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { proposeInit, renderConfig, renderWorkflow, wantsContent, type RepoFacts } from '../core/init-config.js';
import type { Plan } from '../core/plan.js';
import { readTextIfExists, writeFilesAtomically } from '../adapters/files.js';
import { Git } from '../adapters/git.js';
import { inputValue, parseBoolean, type RawInputs } from './inputs.js';
import type { StageResult, StageContext } from './types.js';

const SCHEMA_URL = 'https://raw.githubusercontent.com/imgver/imgver/v1/schema/imgver.schema.json';
const MAX_FILES = 200_000;

/** Files of a directory that is not a git repository (or has no commit yet and nothing added): a plain walk. */
async function walk(root: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
      if (files.length >= MAX_FILES) return;
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  await visit('');
  return files;
}

async function scan(cwd: string): Promise<RepoFacts> {
  const git = new Git(cwd);
  const inRepo = await git.isRepository();
  let files: string[] = [];
  if (inRepo) {
    const out = await git.tryRun(['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
    files = (out ?? '').split('\0').filter(Boolean);
  }
  if (files.length === 0) files = await walk(cwd);
  const contents: Record<string, string> = {};
  for (const file of files.filter(wantsContent).slice(0, 2000)) {
    const text = await readTextIfExists(join(cwd, file));
    if (text !== undefined && text.length < 1_000_000) contents[file] = text;
  }
  const tags = inRepo ? ((await git.tryRun(['tag', '--list']))?.split('\n').filter(Boolean) ?? []) : [];
  const subjects = inRepo ? ((await git.tryRun(['log', '-50', '--format=%s']))?.split('\n').filter(Boolean) ?? []) : [];
  const defaultBranch = (inRepo && ((await git.originHead()) ?? (await git.currentBranch()))) || 'main';
  return { files, contents, tags, subjects, originUrl: inRepo ? await git.remoteUrl() : undefined, defaultBranch, directoryName: basename(resolve(cwd)) };
}

export interface InitInputs {
  workingDirectory: string;
  configPath: string;
  /** undefined: no workflow (none or false). */
  workflowPath?: string;
  force: boolean;
  dryRun: boolean;
  image?: string;
}

export function getInputs(raw: RawInputs): InitInputs {
  const configPath = inputValue(raw, 'config') ?? 'imgver.yaml';
  const workflowInput = inputValue(raw, 'workflow') ?? '.github/workflows/imgver.yml';
  const workflowPath = ['none', 'false'].includes(workflowInput) ? undefined : workflowInput;
  const force = parseBoolean(raw.force ?? '', 'force');
  const dryRun = parseBoolean(raw['dry-run'] ?? '', 'dry-run');
  const image = inputValue(raw, 'image');
  for (const [input, path] of [['config', configPath], ['workflow', workflowPath]] as const) {
    if (path && (path.startsWith('/') || relative('.', path).startsWith('..'))) {
      throw new UserError(`Input '${input}' is set to invalid value '${path}': expected a path inside the repository`, { input });
    }
  }
  if (image !== undefined && !/^[a-z0-9]([a-z0-9.:-]*[a-z0-9])?(\/[a-z0-9{}._-]+)+$/.test(image)) {
    throw new UserError(`Input 'image' is set to invalid value '${image}': expected an image name such as ghcr.io/acme/{{service}}`, { input: 'image' });
  }
  return { workingDirectory: inputValue(raw, 'working-directory') ?? '.', configPath, workflowPath, force, dryRun, image };
}

/**
 * imgver init: looks at the repository and writes a commented imgver.yaml and a starter workflow, saying what it
 * found and why it chose each value. Never overwrites without force; the config is checked before anything is written.
 */
export async function run(_plan: Plan | undefined, inputs: InitInputs, runCtx: StageContext): Promise<StageResult> {
  const { configPath, workflowPath, force, dryRun, image } = inputs;
  const cwd = resolve(runCtx.cwd, inputs.workingDirectory);

  const { log } = runCtx;
  const facts = await scan(cwd);
  const proposal = proposeInit(facts, { image });
  log.info(`Looked at ${facts.files.length} file(s), ${facts.tags.length} tag(s) and ${facts.subjects.length} commit(s) in ${cwd}:`);
  for (const finding of proposal.findings) log.info(`  ${finding.what}: ${finding.why}`);
  if (proposal.services.length === 0) log.warning('No Dockerfile found: the config lists no services; add them under services:');

  // A config that points the editor at the schema next to it when there is one (this repository's examples), else online.
  const schema = (await readTextIfExists(join(cwd, 'schema/imgver.schema.json'))) !== undefined ? './schema/imgver.schema.json' : SCHEMA_URL;
  const configText = renderConfig(proposal, schema);
  const { parseConfig } = await import('../core/config-file.js');
  await parseConfig(configText, configPath); // what init writes is a valid config, or init has a bug
  const writes = [{ path: join(cwd, configPath), text: configText, name: configPath }];
  if (workflowPath) writes.push({ path: join(cwd, workflowPath), text: renderWorkflow(proposal, facts.defaultBranch, configPath), name: workflowPath });

  const existing = [];
  for (const w of writes) if ((await readTextIfExists(w.path)) !== undefined) existing.push(w.name);
  if (existing.length > 0 && !force && !dryRun) {
    throw new UserError(`${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: nothing written (imgver init --force overwrites)`, {
      input: 'force'
    });
  }
  if (dryRun) {
    for (const w of writes) log.info(`\nwould write ${w.name}:\n${w.text}`);
  } else {
    for (const w of writes) await mkdir(dirname(w.path), { recursive: true });
    await writeFilesAtomically(writes.map(w => ({ path: w.path, text: w.text })));
    for (const w of writes) log.info(`Wrote ${w.name}${existing.includes(w.name) ? ' (overwritten: --force)' : ''}`);
    log.info(`Next: imgver compute-version --dry-run${configPath === 'imgver.yaml' ? '' : ` --config ${configPath}`}   (what the first release would be)`);
  }
  return {
    outputs: {
      'config-file': configPath,
      'workflow-file': workflowPath ?? '',
      services: JSON.stringify(proposal.services.map(s => s.name)),
      findings: JSON.stringify(proposal.findings)
    }
  };
}
