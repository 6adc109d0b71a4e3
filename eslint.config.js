// Lint rules from the style notes: no floating promises, type-only imports marked,
// no import cycles, and no Node built-ins inside the deterministic workflow code.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

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
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflows are deterministic: no Node built-ins (do I/O in activities).' },
            {
              group: ['../activities/*', '!../activities/index.ts'],
              message: 'Workflows see activities only as types.',
            },
          ],
          paths: ['fs', 'path', 'crypto', 'child_process', 'http', 'https', 'net', 'os', 'pg', '@prisma/client'].map(
            (name) => ({ name, message: 'Workflows are deterministic: no I/O modules.' }),
          ),
        },
      ],
    },
  },
);
