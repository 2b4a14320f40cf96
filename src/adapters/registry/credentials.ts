import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';

export interface Credentials {
  username: string;
  password: string;
  /** An identity (refresh) token from `docker login` against an OAuth2 registry; exchanged at the token realm. */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

function configKeys(registry: string): string[] {
  if (registry === 'docker.io') return DOCKER_HUB_KEYS;
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

export async function dockerConfigPath(env: NodeJS.ProcessEnv): Promise<string> {
  return join(env.DOCKER_CONFIG ?? join(await homedir(), '.docker'), 'config.json');
}

/** os.homedir() without loading node:os where HOME is set (libuv answers HOME first, as this does). */
async function homedir(): Promise<string> {
  return process.env.HOME || (await import('node:os')).homedir();
}

/** Runs `docker-credential-<helper> get`, as the Docker CLI does for credHelpers/credsStore. */
async function fromHelper(helper: string, serverUrl: string): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', chunk => (out += chunk));
    child.on('error', () => reject(new UserError(`Docker config names credential helper "${helper}", but ${program} is not on PATH`)));
    child.on('close', code => {
      if (code !== 0) return resolvePromise(undefined); // "credentials not found in native keychain"
      try {
        const { Username, Secret } = JSON.parse(out) as { Username: string; Secret: string };
        resolvePromise(Username === '<token>' ? { username: '', password: '', identityToken: Secret } : { username: Username, password: Secret });
      } catch {
        reject(new UserError(`Credential helper ${program} printed something that is not JSON`));
      }
    });
    child.stdin.end(serverUrl);
  });
}

/**
 * A small file read at once: node:fs/promises would load its stream and watcher modules for one read, and the callback
 * form starts libuv's thread pool, which a run talking to an IP address never needs otherwise.
 */
function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Credentials for a registry from Docker's config file (auths, credHelpers, credsStore), as `docker login` left them. */
export async function dockerConfigCredentials(registry: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const path = await dockerConfigPath(env);
  const text = readIfExists(path);
  if (text === undefined) return undefined;
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch (error) {
    throw new UserError(`Docker config ${path} is not JSON: ${(error as Error).message}`, { file: path });
  }
  const keys = configKeys(registry);
  const helper = keys.map(k => config.credHelpers?.[k]).find(Boolean);
  if (helper) return fromHelper(helper, keys[0]);
  for (const key of keys) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.identitytoken) return { username: '', password: '', identityToken: entry.identitytoken };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) throw new UserError(`Docker config ${path}: auths["${key}"].auth is not base64 of user:password`, { file: path });
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  }
  if (config.credsStore) return fromHelper(config.credsStore, keys[0]);
  return undefined;
}
