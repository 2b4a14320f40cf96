import { UserError } from '../../core/errors.js';
import type { Credentials } from './credentials.js';

/** What the ECR and ECR Public adapters share, without either SDK: each adapter loads only its own client. */

function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

/** Runs one AWS call; a failure becomes a user-facing error that keeps the AWS exception name (awsName). */
export async function awsCall<T>(operation: string, where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw Object.assign(awsError(operation, error, where), { awsName: errorName(error) });
  }
}

/** The AWS exception name of an error from awsCall, or '' for anything else. */
export function awsName(error: unknown): string {
  return (error as { awsName?: string }).awsName ?? '';
}

/** What ECR and ECR Public say when an image or its repository is not there: for a lookup, simply nothing. */
export function isNotFound(error: unknown): boolean {
  return ['ImageNotFoundException', 'RepositoryNotFoundException'].includes(awsName(error));
}

/** An ECR image id for a tag or a digest. */
export function imageIdOf(reference: string): { imageDigest: string } | { imageTag: string } {
  return reference.startsWith('sha256:') ? { imageDigest: reference } : { imageTag: reference };
}

/** A lookup whose "not found" means nothing: undefined instead of an error. */
export async function unlessNotFound<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Every tag over the pages of an SDK paginator (paginateListImages, paginateDescribeImageTags); [] when the repository
 * does not exist. `tagsOf` is called once per page as it arrives.
 */
export async function tagsOverPages<P>(operation: string, where: string, pages: AsyncIterable<P>, tagsOf: (page: P) => string[]): Promise<string[]> {
  const tags: string[] = [];
  const listed = await unlessNotFound(() =>
    awsCall(operation, where, async () => {
      for await (const page of pages) tags.push(...tagsOf(page));
      return tags;
    })
  );
  return listed ?? [];
}

/** A failed AWS call as a user-facing error: the operation, the repository and AWS's own message. */
export function awsError(operation: string, error: unknown, where: string): Error {
  const name = errorName(error);
  const message = (error as Error).message;
  if (/CredentialsProviderError|ExpiredToken|UnrecognizedClient|InvalidSignature/.test(name) || /Could not load credentials/.test(message)) {
    return new UserError(
      `${operation} on ${where} failed: no usable AWS credentials (${message}). Configure them first, e.g. aws-actions/configure-aws-credentials with role-to-assume (OIDC)`
    );
  }
  if (name === 'AccessDeniedException') return new UserError(`${operation} on ${where} was denied: ${message}`);
  if (name) return new UserError(`${operation} on ${where} failed: ${name}: ${message}`);
  return error as Error;
}

/** ECR and ECR Public hand out base64 of "AWS:<password>". */
export function decodeAuthorizationToken(token: string, host: string): Credentials {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw new UserError(`The authorization token for ${host} is not base64 of user:password`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
