// Lint rules from the style notes: no floating promises, type-only imports marked,
// no import cycles, each folder importing only from the floors below it, and nothing
// but Temporal's own packages inside the deterministic workflow bundle.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Each folder and the folders it may import from. contracts/ is the ground floor (workflow
// APIs, domain types, activity interfaces); pure/ holds helpers safe in the workflow bundle;
// infra/ is Node infrastructure (config, database, logging, Temporal server); clients/ starts
// and messages workflows. tests/ and bench/ may use anything.
const FLOORS = {
  contracts: [],
  pure: ['contracts'],
  workflows: ['contracts', 'pure'],
  infra: ['contracts', 'pure', 'generated'],
  clients: ['contracts', 'pure', 'infra', 'generated'],
  activities: ['contracts', 'pure', 'infra', 'clients', 'generated'],
  gateway: ['contracts', 'pure', 'infra', 'clients', 'generated'],
  worker: ['contracts', 'pure', 'workflows', 'infra', 'clients', 'activities', 'gateway', 'generated'],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', 'data/', '.tools/', 'tests/.tmp/', 'prisma/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  // The house's floors: a folder imports only from the folders below it (type imports
  // too), so nothing below leans on anything above and no folder is "common" to all.
  ...Object.entries(FLOORS).map(([folder, below]) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: `./${folder}`,
              from: '.',
              except: [`./${folder}`, ...below.map((f) => `./${f}`), './node_modules'],
              message: `${folder}/ may import only from ${[folder, ...below].join(', ')} (see README, "Layout").`,
            },
          ],
        },
      ],
    },
  })),
  // What runs inside the workflow bundle: deterministic, no I/O, no packages but Temporal's.
  {
    files: ['contracts/**/*.ts', 'pure/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/(workflow|common)$|\\.{1,2}/)',
              message:
                'Workflow-bundle code imports only @temporalio/workflow, @temporalio/common, contracts/ and pure/ (do I/O in activities).',
            },
          ],
        },
      ],
    },
  },
);
