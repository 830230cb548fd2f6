// One jest configuration with a project per test tier. `scripts/test.mjs` chooses which tiers run
// (the MySQL and browser tiers need services) and `npm test` runs them all.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false, react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const base = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)sx?$': swc },
  // NestJS 12 and some of its dependencies ship ESM only; swc turns them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|load-esm)/)'],
  moduleNameMapper: { '^@baoxue/shared$': '<rootDir>/shared/src/index.ts' },
  // Node's, with a temporary directory of each worker's own (tests look there for stray files)
  testEnvironment: '<rootDir>/tests/support/test-environment.ts',
};

/** Database tiers run the same files against a different database. */
function integration(displayName, databaseKind) {
  return {
    ...base,
    displayName,
    testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/e2e/api/**/*.test.ts'],
    globals: { BX_TEST_DATABASE: databaseKind },
    setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
  };
}

module.exports = {
  // Each test gets 30 s unless it says otherwise: a PDF, a server start or a browser step can take
  // several seconds on a busy CI machine, and a timeout there is not a product failure.
  testTimeout: 30_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts?(x)'],
      setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
    },
    integration('sqlite', 'sqlite'),
    integration('mysql', 'mysql'),
    {
      // Faults: the server as a process killed mid-run, a database that goes away, flaky delivery, hostile input.
      ...base,
      displayName: 'faults',
      testMatch: ['<rootDir>/tests/faults/**/*.test.ts'],
      globals: { BX_TEST_DATABASE: 'mysql' },
      setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
    },
    {
      // A whole cluster on this machine (deploy/cluster): three Galera nodes, HAProxy, s3rver, instances. Slow; run on its own.
      ...base,
      displayName: 'cluster',
      testMatch: ['<rootDir>/tests/cluster/**/*.test.ts'],
      globals: { BX_TEST_DATABASE: 'mysql' },
      setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
    },
    {
      ...base,
      displayName: 'h5',
      testMatch: ['<rootDir>/tests/e2e/h5/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
    },
    {
      ...base,
      displayName: 'weapp',
      testMatch: ['<rootDir>/tests/weapp/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
    },
  ],
};
