/**
 * Jest runs the TypeScript sources as native ESM (experimental-vm-modules), transformed by SWC, in two tiers:
 * - unit (`__tests__/unit/`): needs only Node — no git, Docker, registry, skopeo, helm or built `dist/`;
 *   `npm run test:unit` runs it with a PATH that holds nothing but `node`.
 * - integration (`__tests__/integration/`): real git, Docker, a registry, skopeo, helm/kubectl and the built CLI
 *   (`scripts/setup-test-env.sh`, `npm run build`).
 * Under each tier the tree mirrors `src/` (`unit/core/version.test.ts` ↔ `src/core/version.ts`); `repo/` holds checks of
 * the repository itself (README, examples, lock file).
 */
const shared = {
  testEnvironment: 'node',
  // Jest's clean-up of globals between files breaks undici's fetch internals in the next file of a worker.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }]
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/__tests__/setup/no-network.ts']
};

export default {
  // A fresh worker per test file: undici's connection pool and nock's socket interceptors are process-wide, and a
  // registry port a finished file used may be handed to the next file's registry.
  workerIdleMemoryLimit: '1MB',
  // Global: jest 30 does not take a testTimeout from a project's own config.
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'] }
  ]
};
