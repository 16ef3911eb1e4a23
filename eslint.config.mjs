// Boundaries are lint errors (style.md item 9): every Nx project is tagged by scope and type
// in its project.json, and the rules below say which tags may depend on which.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

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

export default [
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/tmp/**',
      '**/.data/**',
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
          depConstraints: [
            // Layers.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            // Tools start apps as processes; they never import them.
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:tool', 'type:platform', 'type:contracts', 'type:domain'],
            },
            // Services: their own code, shared code, and anyone's contracts.
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared', 'type:contracts'] },
            { sourceTag: 'scope:patients', onlyDependOnLibsWithTags: ['scope:patients', 'scope:shared', 'type:contracts'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared', 'type:contracts'] },
            { sourceTag: 'scope:wards', onlyDependOnLibsWithTags: ['scope:wards', 'scope:shared', 'type:contracts'] },
            { sourceTag: 'scope:pharmacy', onlyDependOnLibsWithTags: ['scope:pharmacy', 'scope:shared', 'type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:contracts'] },
            // Tools (launcher, bench, test runner) serve the whole platform: any scope, never an app.
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
          ],
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
    files: ['libs/*/domain/**/*.ts', 'apps/*/src/**/domain/**/*.ts'],
    rules: {
      // Repeats DEEP_IMPORTS: a later no-restricted-imports entry replaces an earlier one.
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS, INFRASTRUCTURE_IMPORTS] }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
];
