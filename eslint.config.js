// Lint keeps the architecture's boundaries, so they are enforced by tooling, not memory:
// the core never imports Electron, and the renderer only imports the API contract's types.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'Core, scheduler, platforms and db must run in plain Node: no electron import.' }],
  patterns: [{ group: ['electron/*'], message: 'Core must run in plain Node: no electron import.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench-results/**', 'test-results/**', 'migrations/meta/**', 'build/**/*.js', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['electron/core/**', 'electron/scheduler/**', 'electron/platforms/**', 'electron/api/**', 'db/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Pure modules the composer shares with the core, so counts and checks match exactly.
              group: [
                '**/electron/**',
                '!**/electron/api',
                '!**/electron/api/*',
                // gitignore rules: a file is re-included only if its folders are too (their other files stay excluded).
                '!**/electron/platforms',
                '!**/electron/core',
                '!**/electron/core/posts',
                '!**/electron/scheduler',
                '!**/electron/scheduler/zoned-time',
                '!**/electron/platforms/capabilities',
                '!**/electron/platforms/names',
                '!**/electron/core/posts/text-count',
                '!**/electron/core/posts/validate',
                // The link check the main process applies, so the renderer links only what will open.
                '!**/electron/host',
                '!**/electron/host/external-url',
              ],
              message: 'The renderer talks to the main side only through the API client.',
            },
            {
              group: ['**/electron/api', '**/electron/api/*'],
              allowTypeImports: true,
              message: 'Import only types from the API contract (`import type`).',
            },
            { group: ['**/db/**', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'node:*'], message: 'The renderer has no database or Node access.' },
          ],
          paths: [{ name: 'electron', message: 'The renderer has no Electron access; use the API client.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
