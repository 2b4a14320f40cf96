import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../core/errors.js';
import type { BuilderKind, BuildRequest } from '../core/build-request.js';
import type { Credentials } from './registry/credentials.js';
import { execTool, type ExecResult } from './exec.js';

export type { BuilderKind, BuildRequest, Secret } from '../core/build-request.js';

export interface Invocation {
  args: string[];
  /** Extra environment: secret values live here, under names argv only refers to. */
  env: Record<string, string>;
}

/** The `docker` command line of a build, exported to test and to print in dry runs. */
export function buildInvocation(request: BuildRequest, builder: BuilderKind, metadataFile?: string): Invocation {
  const args = builder === 'buildx' ? ['buildx', 'build'] : ['build'];
  const env: Record<string, string> = {};
  if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
  for (const tag of request.tags) args.push('--tag', tag);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  if (builder === 'buildx') for (const [key, value] of Object.entries(request.annotations)) args.push('--annotation', `${key}=${value}`);
  for (const arg of request.buildArgs) args.push('--build-arg', arg);
  request.secrets.forEach((secret, i) => {
    if (secret.src !== undefined) {
      args.push('--secret', `id=${secret.id},src=${secret.src}`);
    } else {
      const name = `IMGVER_SECRET_${i}`;
      env[name] = secret.value ?? '';
      args.push('--secret', `id=${secret.id},env=${name}`);
    }
  });
  for (const from of request.cacheFrom) args.push('--cache-from', from);
  if (builder === 'buildx') {
    for (const to of request.cacheTo) args.push('--cache-to', to);
    if (request.provenance !== undefined) args.push(`--provenance=${request.provenance}`);
    if (request.push) args.push('--push');
    if (metadataFile) args.push('--metadata-file', metadataFile);
  }
  if (request.network) args.push('--network', request.network);
  if (request.target) args.push('--target', request.target);
  args.push('--file', request.dockerfile, request.context);
  return { args, env };
}

/** What a Docker 23+ client without the buildx plugin says when BuildKit is asked for. */
const BUILDX_MISSING = /buildx component is missing/;

export interface LocalImage {
  id: string;
  layers: string[];
  labels: Record<string, string>;
}

export interface PushRetry {
  attempts: number;
  baseMs: number;
  maxWaitMs: number;
}

/** A push makes several requests, each of which a busy registry may fail: more attempts than one request gets. */
export const DEFAULT_PUSH_RETRY: PushRetry = { attempts: 15, baseMs: 1000, maxWaitMs: 30_000 };

/** The push retry with another base wait (tests); the longest wait stays 30 times the base. */
export function pushRetryWithBase(baseMs: number): PushRetry {
  return { ...DEFAULT_PUSH_RETRY, baseMs, maxWaitMs: Math.min(DEFAULT_PUSH_RETRY.maxWaitMs, baseMs * 30) };
}

/** A push failure worth another try: throttling, a registry or proxy failing for now, a connection lost. */
export function isTransientPushError(message: string): boolean {
  if (/\b(denied|unauthorized|authentication required|no basic auth credentials|name unknown|does not exist locally|manifest invalid)\b/i.test(message)) return false;
  return /toomanyrequests|too many requests|\b(429|5\d\d)\b|unavailable|bad gateway|gateway time-?out|internal server error|connection reset|connection refused|broken pipe|\bEOF\b|timeout|timed out|i\/o|retry/i.test(message);
}

/** `<tag>: digest: sha256:… size: N`, the last line `docker push` prints. */
export function pushedDigest(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}

export type DockerRunResult = ExecResult;

export type OutputSink = (line: string) => void;

/** The one exec choke point for docker. */
export class Docker {
  private builder?: BuilderKind;
  /** Set once the client turned out to have neither buildx nor BuildKit built in: builds use the classic builder. */
  private classic = false;

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly output: OutputSink = () => {},
    private readonly binary = env.IMGVER_DOCKER ?? 'docker',
    private readonly warn: OutputSink = () => {}
  ) {}

  run(args: string[], options: { env?: Record<string, string>; stdin?: string; quiet?: boolean } = {}): Promise<DockerRunResult> {
    return execTool(this.binary, args, {
      cwd: this.cwd,
      env: { ...this.env, DOCKER_BUILDKIT: '1', ...options.env },
      stdin: options.stdin,
      output: options.quiet ? undefined : this.output,
      missing: error => new UserError(`Cannot run ${this.binary} (${error.message}): is Docker installed and on PATH? (set IMGVER_DOCKER to use another binary)`)
    });
  }

  /** buildx when the plugin answers, else the classic builder (BuildKit through DOCKER_BUILDKIT=1). */
  async detectBuilder(preference: 'auto' | BuilderKind): Promise<BuilderKind> {
    if (preference !== 'auto') return preference;
    this.builder ??= (await this.run(['buildx', 'version'], { quiet: true })).code === 0 ? 'buildx' : 'docker';
    return this.builder;
  }

  /** Builds (and with buildx pushes) an image; returns the pushed digest when buildx pushed it. */
  async build(request: BuildRequest, builder: BuilderKind): Promise<{ digest?: string }> {
    if (builder === 'docker' && request.platforms.length > 1) {
      throw new UserError(
        `Service ${request.service}: building for ${request.platforms.join(', ')} needs docker buildx, which this machine lacks (docker buildx version fails); set up buildx (docker/setup-buildx-action) or build one platform`,
        { input: 'platforms' }
      );
    }
    const dir = builder === 'buildx' ? await mkdtemp(join(tmpdir(), 'imgver-build-')) : undefined;
    const metadataFile = dir ? join(dir, 'metadata.json') : undefined;
    try {
      const { args, env } = buildInvocation(request, builder, metadataFile);
      let result = this.classic ? await this.runClassic(request, args, env) : await this.run(args, { env });
      if (result.code !== 0 && builder === 'docker' && !this.classic && BUILDX_MISSING.test(result.stderr)) {
        // A Docker 23+ client without the buildx plugin: BuildKit needs buildx there, so build as `docker build`
        // itself does in that case, with the classic builder.
        this.classic = true;
        this.warn(
          `${this.binary} has no buildx plugin (Docker 23+ packages ship it separately): building with the classic builder (DOCKER_BUILDKIT=0), one platform, no BuildKit features; install docker-buildx (or docker/setup-buildx-action) for BuildKit builds`
        );
        result = await this.runClassic(request, args, env);
      }
      if (result.code !== 0) {
        if (BUILDX_MISSING.test(result.stderr)) {
          throw new UserError(
            `Service ${request.service}: ${this.binary} needs the buildx plugin for BuildKit builds and has none; install docker-buildx (docker/setup-buildx-action), or set IMGVER_DOCKER to a client with BuildKit built in`
          );
        }
        const last = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
        throw new UserError(`Service ${request.service}: docker ${args[0] === 'buildx' ? 'buildx build' : 'build'} failed (exit ${result.code}): ${last}`);
      }
      if (!metadataFile) return {};
      const metadata = JSON.parse(await readFile(metadataFile, 'utf8').catch(() => '{}')) as Record<string, unknown>;
      return { digest: typeof metadata['containerimage.digest'] === 'string' ? (metadata['containerimage.digest'] as string) : undefined };
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  /** The classic builder has no build secrets; everything else of a one-platform build it takes as given. */
  private runClassic(request: BuildRequest, args: string[], env: Record<string, string>): Promise<DockerRunResult> {
    if (request.secrets.length > 0) {
      throw new UserError(
        `Service ${request.service}: build secrets (${request.secrets.map(s => s.id).join(', ')}) need BuildKit, and ${this.binary} has no buildx plugin; install docker-buildx (docker/setup-buildx-action)`,
        { input: 'secrets' }
      );
    }
    return this.run(args, { env: { ...env, DOCKER_BUILDKIT: '0' } });
  }

  /**
   * `docker push` of one tag, retried with backoff on what a busy registry answers (429, 5xx, resets, timeouts): the
   * engine skips the layers that already arrived, so a retry only sends what is missing.
   */
  async push(reference: string, retry: PushRetry = DEFAULT_PUSH_RETRY, landed?: () => Promise<string | undefined>): Promise<{ digest?: string }> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.run(['push', reference], { quiet: attempt > 1 });
      if (result.code === 0) return { digest: pushedDigest(result.stdout) };
      const last = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ');
      // The manifest may have arrived and only its answer been lost: then the push is done.
      const digest = isTransientPushError(last) && landed ? await landed().catch(() => undefined) : undefined;
      if (digest) {
        this.output(`docker push ${reference}: ${last}; the registry holds this image under the tag (${digest}): pushed`);
        return { digest };
      }
      if (!isTransientPushError(last) || attempt >= retry.attempts) {
        const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
        throw new UserError(`docker push ${reference} failed${tries} (exit ${result.code}): ${last}`);
      }
      const wait = Math.min(retry.maxWaitMs, retry.baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      this.output(`docker push ${reference}: ${last}; retry ${attempt} in ${Math.round(wait)} ms`);
      await sleep(wait);
    }
  }

  /** What a local image is: its id (the config digest), layers and labels; undefined when it does not exist. */
  async inspect(reference: string): Promise<LocalImage | undefined> {
    const result = await this.run(['image', 'inspect', '--format', '{{json .}}', reference], { quiet: true });
    if (result.code !== 0) return undefined;
    const image = JSON.parse(result.stdout) as { Id: string; RootFS?: { Layers?: string[] }; Config?: { Labels?: Record<string, string> | null } };
    return { id: image.Id, layers: image.RootFS?.Layers ?? [], labels: image.Config?.Labels ?? {} };
  }

  /** docker login with the password on stdin, never in argv. */
  async login(server: string, credentials: Credentials): Promise<void> {
    const result = await this.run(['login', '--username', credentials.username, '--password-stdin', server], { stdin: credentials.password, quiet: true });
    if (result.code !== 0) throw new UserError(`docker login ${server} failed: ${result.stderr.trim().split('\n').pop()}`);
  }
}
