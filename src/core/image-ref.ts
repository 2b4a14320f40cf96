import { UserError } from './errors.js';

export type RegistryKind = 'oci' | 'ecr' | 'ecr-public';

/** An image name split the way registries see it: the host to talk to and the repository path on it. */
export interface ImageRef {
  /** As written, lower-cased, without tag or digest, e.g. ghcr.io/acme/api or nginx. */
  name: string;
  /** The registry host as Docker names it (docker.io for Docker Hub), with port. */
  registry: string;
  /** The host whose /v2/ API answers (registry-1.docker.io for Docker Hub). */
  apiHost: string;
  repository: string;
  kind: RegistryKind;
  /** Amazon ECR: account and region from the host name. */
  account?: string;
  region?: string;
}

const DOCKER_HUB = 'docker.io';
const ECR_HOST = /^(\d{12})\.dkr(?:-fips)?\.ecr\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Docker's rule: the first path part is a host when it has a dot or a port, or is localhost. */
function looksLikeHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

export function parseImageRef(image: string): ImageRef {
  const name = image.trim().toLowerCase();
  if (name.includes('@') || name.split('/').pop()!.includes(':')) {
    throw new UserError(`Image "${image}" has a tag or digest; give the name only (e.g. ghcr.io/acme/api)`);
  }
  const parts = name.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && looksLikeHost(parts[0])) registry = parts.shift()!;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  let repository = parts.join('/');
  if (registry === DOCKER_HUB && parts.length === 1) repository = `library/${repository}`;
  if (!REPOSITORY.test(repository)) {
    throw new UserError(`Image "${image}" is not a valid image name: "${repository}" is not a repository path (lower-case letters, digits, . _ - and /)`);
  }
  const apiHost = registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
  const ecr = ECR_HOST.exec(registry);
  if (ecr) return { name, registry, apiHost, repository, kind: 'ecr', account: ecr[1], region: ecr[2] };
  if (registry === 'public.ecr.aws') return { name, registry, apiHost, repository, kind: 'ecr-public', region: 'us-east-1' };
  return { name, registry, apiHost, repository, kind: 'oci' };
}

/** Loopback hosts are spoken to over plain HTTP (as Docker treats 127.0.0.0/8 as insecure); every other host over HTTPS. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return bare === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === '::1';
}

/** The tag part of a full reference image:tag, given the image it belongs to. */
export function tagOf(reference: string): { image: string; tag: string } {
  const at = reference.lastIndexOf(':');
  if (at === -1 || reference.slice(at).includes('/')) {
    throw new UserError(`Image reference "${reference}" has no tag (expected image:tag)`);
  }
  return { image: reference.slice(0, at), tag: reference.slice(at + 1) };
}
