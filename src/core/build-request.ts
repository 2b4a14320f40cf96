/**
 * What one image build asks of the engine, assembled from the plan's service and the stage's inputs: tags, labels,
 * cache sources and targets (per cache mode and builder), and the templated build arguments.
 */
import { UserError } from './errors.js';
import { renderTemplate } from './template.js';

export type BuilderKind = 'buildx' | 'docker';
export type CacheMode = 'none' | 'gha' | 'registry' | 'inline';

export interface Secret {
  id: string;
  /** The value (passed through the environment, never argv) … */
  value?: string;
  /** … or a file holding it. */
  src?: string;
}

export interface BuildRequest {
  service: string;
  context: string;
  dockerfile: string;
  /** Full references image:tag. */
  tags: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  platforms: string[];
  buildArgs: string[];
  secrets: Secret[];
  cacheFrom: string[];
  cacheTo: string[];
  provenance?: boolean;
  network?: string;
  target?: string;
  push: boolean;
}

export interface CacheEntries {
  from: string[];
  to: string[];
  buildArgs: string[];
}

/** The cache a mode means for a builder: GitHub's cache (buildx only), a registry tag, or the image's inline cache. */
export function cacheEntries(mode: CacheMode, builder: BuilderKind, service: string, image: string): CacheEntries {
  switch (mode) {
    case 'none':
      return { from: [], to: [], buildArgs: [] };
    case 'gha':
      if (builder !== 'buildx') throw new UserError("Input 'cache' is gha, which needs docker buildx; use inline, or set up buildx", { input: 'cache' });
      return { from: [`type=gha,scope=${service}`], to: [`type=gha,mode=max,scope=${service}`], buildArgs: [] };
    case 'registry':
      if (builder !== 'buildx') return { from: [`${image}:buildcache`], to: [], buildArgs: [] };
      return { from: [`type=registry,ref=${image}:buildcache`], to: [`type=registry,ref=${image}:buildcache,mode=max`], buildArgs: [] };
    case 'inline':
      return { from: [builder === 'buildx' ? `type=registry,ref=${image}:latest` : `${image}:latest`], to: builder === 'buildx' ? ['type=inline'] : [], buildArgs: ['BUILDKIT_INLINE_CACHE=1'] };
  }
}

/** The stage's build settings, shared by every service. */
export interface BuildSettings {
  cache: CacheMode;
  platforms: string[];
  /** Lines that may use {{service}}, {{version}} and {{image}}. */
  buildArgs: string[];
  cacheFrom: string[];
  cacheTo: string[];
  secrets: Secret[];
  provenance?: boolean;
  network?: string;
  target?: string;
  push: boolean;
}

export interface ServiceBuild {
  name: string;
  version?: string;
  context?: string;
  dockerfile?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The service's own image first. */
  images: { name: string; tags: string[] }[];
}

export function buildRequestOf(service: ServiceBuild, settings: BuildSettings, builder: BuilderKind): BuildRequest {
  const primary = service.images[0].name;
  const vars = { service: service.name, version: service.version ?? '', image: primary };
  const templated = (lines: string[]) => lines.map(line => renderTemplate(line, vars));
  const cache = cacheEntries(settings.cache, builder, service.name, primary);
  const context = service.context ?? '.';
  return {
    service: service.name,
    context,
    dockerfile: service.dockerfile ?? `${context}/Dockerfile`,
    tags: service.images.flatMap(image => image.tags.map(tag => `${image.name}:${tag}`)),
    labels: service.labels ?? {},
    annotations: service.annotations ?? {},
    platforms: settings.platforms,
    buildArgs: [...cache.buildArgs, ...templated(settings.buildArgs)],
    secrets: settings.secrets,
    cacheFrom: [...cache.from, ...templated(settings.cacheFrom)],
    cacheTo: [...cache.to, ...templated(settings.cacheTo)],
    provenance: settings.provenance,
    network: settings.network,
    target: settings.target,
    push: settings.push
  };
}
