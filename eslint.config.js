// Lint rules that CI enforces (npm test runs eslint). Boundaries: the pure core (detect,
// incidents, rca, slo) may not import adapters (store, ingest, api, notify, cli) nor node I/O modules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapters = ['**/store/**', '**/ingest/**', '**/api/**', '**/notify/**', '**/cli/**', '**/server.js', '**/config/**'];
const io = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process', 'fs', 'net', 'http'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'bin/**', 'scripts/**', '**/*.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'name what a module exports (no export *)' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/detect/**', 'src/incidents/**', 'src/rca/**', 'src/slo/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...adapters, ...io].map((group) => ({ group: [group], message: 'the pure core does no I/O' })) }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'the pure core reads no clock: take the time as an argument' }],
    },
  },
  { files: ['src/cli/**', 'test/**', 'bench/**', 'src/demo/**'], rules: { 'no-console': 'off' } },
  {
    // node:test's describe/it/test return promises the runner itself awaits.
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
    },
  },
);
