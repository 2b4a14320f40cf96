import { describe, expect, it } from '@jest/globals';
import { credentialsRegistry } from '../../../src/actions/registry-inputs.js';

/** The username and password inputs go to one registry only; against real registries: __tests__/integration/actions/registry-credentials.test.ts. */
describe('the registry credentials are for', () => {
  const creds = { username: 'ci', password: 's3cret', insecureRegistries: [] };
  it.each([
    [{ registry: 'ghcr.io' }, ['ghcr.io', 'docker.io'], 'ghcr.io'],
    [{}, ['ghcr.io', 'GHCR.io'], 'ghcr.io'],
    [{}, [], undefined],
    [{ username: undefined }, ['ghcr.io', 'docker.io'], undefined]
  ])('[%#] %o over %o → %s', (extra, hosts, expected) => {
    expect(credentialsRegistry({ ...creds, ...extra }, hosts)).toBe(expected);
  });

  it('several registries and no registry input is an error naming them', () => {
    expect(() => credentialsRegistry(creds, ['ghcr.io', 'registry.example.com:5000'])).toThrow(
      "Inputs 'username' and 'password' are given without 'registry', and this run talks to 2 registries (ghcr.io, registry.example.com:5000)"
    );
  });
});
