// Boundaries are lint errors (style.md item 9): every Nx project is tagged by scope and type
// in its project.json, and the rules below say which tags may depend on which. They fail closed:
// `npm run lint` first runs tools/lint/check-tags.cjs, which rejects a project whose tags no rule
// names (the Nx rule alone would let it import anything). tools/lint/boundaries.spec.ts shows
// each rule firing.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import boundaries from './tools/lint/boundaries.cjs';
import domainImports from './tools/lint/domain-imports.cjs';

const { DEP_CONSTRAINTS } = boundaries;

const TS_FILES = ['**/*.ts', '**/*.cts', '**/*.mts'];
/** Tests and their support code (tests/, test/ folders, which the build leaves out). */
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'tests/**/*.ts'];

/** A library's public API is its index.ts: `@hms/<lib>/anything` is a deep import. */
const DEEP_IMPORTS = {
  group: ['@hms/*/**'],
  message: "Import a library through its public API ('@hms/<lib>', i.e. its index.ts), never a file inside it.",
};

/** Domain rules are plain functions: no framework, database, broker or HTTP server. */
const INFRASTRUCTURE_IMPORTS = {
  group: ['@nestjs/*', 'typeorm', 'typeorm/**', 'pg', 'pg/**', 'kafkajs', 'kafkajs/**', 'express', 'express/**'],
  message: 'Domain code knows nothing of NestJS, TypeORM, PostgreSQL, Kafka or Express; take what it needs as plain values or ports.',
};

/**
 * A service raises errors through its own constructors (`apps/<service>/src/domain/errors.ts`,
 * typed by the union of its problem codes), never the untyped ones of the contracts library.
 */
const TYPED_ERRORS = {
  name: '@hms/contracts-common',
  importNames: ['conflict', 'notFound', 'invalid', 'forbidden'],
  message: "Use the service's own error constructors from its domain/errors.ts: their codes are typed.",
};
const NO_UNTYPED_DOMAIN_ERROR = {
  selector: "NewExpression[callee.name='DomainError']",
  message: "Use the service's <service>Error(...) from its domain/errors.ts: its codes are typed.",
};
const SERVICE_ERRORS_FILE = 'apps/*/src/domain/errors.ts';

/** Ids and time come from the service kit's ID_GENERATOR and CLOCK, which tests replace. */
const INJECTED_IDS = [
  { name: '@hms/platform-persistence', importNames: ['uuidv7'], message: 'Inject ID_GENERATOR (@hms/platform-time): tests replace it through the service kit.' },
  { name: '@hms/platform-time', importNames: ['uuidv7', 'uuidv7Generator', 'systemClock'], message: 'Inject ID_GENERATOR or CLOCK: tests replace them through the service kit.' },
];
const NO_SYSTEM_TIME = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject CLOCK (@hms/platform-time) and call clock.now(): tests replace it through the service kit.' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Inject CLOCK (@hms/platform-time) and call clock.now(): tests replace it through the service kit.' },
];

export default [
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/tmp/**',
      '**/.data/**',
      // Generated from openapi/hms.json by openapi-typescript (npm run openapi).
      'openapi/**',
      '**/*.js',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: TS_FILES,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // Shared with tools/lint/check-tags.cjs, which fails lint when a project carries a tag
          // no constraint names (the rule alone would let such a project import anything).
          depConstraints: [...DEP_CONSTRAINTS],
        },
      ],
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS] }],
      '@typescript-eslint/no-explicit-any': 'error',
      // typescript-eslint's recommended value, which the Nx preset turns off.
      '@typescript-eslint/no-require-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: [SERVICE_ERRORS_FILE],
    rules: {
      // Repeats DEEP_IMPORTS: a later no-restricted-imports entry replaces an earlier one.
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS], paths: [TYPED_ERRORS, ...INJECTED_IDS] }],
      'no-restricted-syntax': ['error', NO_UNTYPED_DOMAIN_ERROR, ...NO_SYSTEM_TIME],
    },
  },
  {
    files: ['libs/*/domain/**/*.ts', 'apps/*/src/**/domain/**/*.ts'],
    plugins: { hms: domainImports.plugin },
    rules: {
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS, INFRASTRUCTURE_IMPORTS] }],
      // A relative import out of the domain folder ('../http/controller') would bring in the
      // framework code the rule above keeps out; see tools/lint/domain-imports.cjs.
      'hms/no-relative-import-out-of-domain': 'error',
    },
  },
  {
    files: ['apps/*/src/**/domain/**/*.ts'],
    ignores: [SERVICE_ERRORS_FILE],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS, INFRASTRUCTURE_IMPORTS], paths: [TYPED_ERRORS, ...INJECTED_IDS] }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests build the errors they expect however they like.
      'no-restricted-syntax': 'off',
    },
  },
  prettier,
];
