/**
 * Inputs and outputs of every action, declared once: action.yml files are generated from these
 * (scripts/action-yml.ts), the CLI reads them for flags and --help, and the action runtime for INPUT_* names.
 */
export interface InputSpec {
  description: string;
  default?: string;
  /** Newline-separated list; on the CLI the flag may repeat. */
  multiline?: boolean;
  /** true/false; on the CLI a bare flag means true. */
  boolean?: boolean;
  /** The default in action.yml only, an expression the runner evaluates (e.g. the job's token); the CLI reads the environment instead. */
  runnerDefault?: string;
}

export interface OutputSpec {
  description: string;
  /** The value is a JSON document (parsed in the CLI's --json output). */
  json?: boolean;
}

export interface ActionSpec {
  name: string;
  title: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
}

/** Inputs every action has: where to run and the context overrides. */
export const COMMON_INPUTS: Record<string, InputSpec> = {
  'working-directory': { description: 'Repository root to run in.', default: '.' },
  config: { description: 'Path of the imgver config file, relative to working-directory.', default: 'imgver.yaml' },
  event: { description: 'Override the event name (default: GITHUB_EVENT_NAME, or push locally).' },
  ref: { description: 'Override the git ref, e.g. refs/tags/v1.2.3 (default: GITHUB_REF, or the current branch locally).' },
  sha: { description: 'Override the commit SHA (default: GITHUB_SHA, or HEAD locally).' },
  'default-branch': { description: "Override the default branch (default: the event's repository.default_branch, or origin/HEAD locally)." }
};

/** The environment variable the runner sets for an input (hyphens become underscores so every shell can see it). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/[- ]/g, '_').toUpperCase()}`;
}

/** The registry login inputs of every action that talks to registries (build-tag-push, helm-sync). */
export const REGISTRY_INPUTS: Record<string, InputSpec> = {
  username: { description: 'Registry user name (default: from the Docker config, as docker login left it).' },
  password: { description: 'Registry password or token (masked). On the CLI prefer --password-stdin or IMGVER_PASSWORD: --password shows in ps.' },
  registry: { description: 'The registry host username and password are for; no other registry gets them (default: the run’s only registry; a run over several registries must name one).' },
  'insecure-registries': { description: 'Registry hosts spoken to over plain HTTP (loopback always is), one a line.', multiline: true }
};
