// Three honest tiers: unit (pure, no I/O), integration (real PostgreSQL, one database per file),
// e2e (the apps as processes, driven over HTTP through the gateway).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, `<rootDir>/${target}`]),
);

// NestJS 12 publishes ES modules only. Node 20.19+ loads them from CommonJS (require(esm)), but
// Jest's module sandbox cannot until Node 24.9, so Jest compiles those packages (and the ES-only
// packages they import) to CommonJS with the same SWC transform as our own code.
const esmOnly = ['@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', '@borewit', 'uint8array-extras', 'load-esm'];

const transform = {
  '^.+\\.(ts|js)$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const common = {
  rootDir: __dirname,
  transform,
  moduleNameMapper,
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,tests}/**/*.spec.ts'] },
    // Integration and end-to-end tests do real I/O on a machine that may be loaded (two cores,
    // CI running beside other work): their time limits (set per project in these setup files;
    // jest's testTimeout option is global) leave room for that, so a slow run is not a failure; a
    // hang still is.
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,tools,tests}/**/*.int-spec.ts'], slowTestThreshold: 30, setupFilesAfterEnv: ['<rootDir>/tools/test-runner/timeouts/integration.js'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,tools,tests}/**/*.e2e-spec.ts'], slowTestThreshold: 60, setupFilesAfterEnv: ['<rootDir>/tools/test-runner/timeouts/e2e.js'] },
  ],
};
