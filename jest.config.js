/** Jest runs the TypeScript sources as native ESM (experimental-vm-modules), transformed by SWC. */
export default {
  testEnvironment: 'node',
  // Jest's clean-up of globals between files breaks undici's fetch internals in the next file of a worker.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // A fresh worker per test file: undici's connection pool and nock's socket interceptors are process-wide, and a
  // registry port a finished file used may be handed to the next file's registry.
  workerIdleMemoryLimit: '1MB',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }]
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  setupFiles: ['<rootDir>/__tests__/setup/no-network.ts'],
  testTimeout: 60000
};
