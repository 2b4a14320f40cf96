/** Which `docker push` failures are worth another attempt (the messages Docker 20.10 prints), and which are final. */
import { describe, expect, it } from '@jest/globals';
import { isTransientPushError } from '../../../src/adapters/docker.js';

describe('which docker push failures are retried', () => {
  it.each([
    ['received unexpected HTTP status: 503 Service Unavailable', true],
    ['toomanyrequests: injected', true],
    ['Put "http://127.0.0.1:5000/v2/a/manifests/1": EOF', true],
    ['Head "http://r/v2/a/blobs/sha256:0": read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer', true],
    ['net/http: TLS handshake timeout', true],
    ['denied: requested access to the resource is denied', false],
    ['unauthorized: authentication required', false],
    ['An image does not exist locally with the tag: r/a', false],
    ['name unknown: repository name not known to registry', false]
  ])('[%#] %s → retried: %s', (message, expected) => {
    expect(isTransientPushError(message)).toBe(expected);
  });
});
