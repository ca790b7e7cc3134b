// Lint rules that CI enforces (npm test runs eslint). Boundaries: the pure core (the decision
// modules: detect, incidents, rca, slo, release's verdict core, synthetics' confirmation) may not
// import adapters (store, ingest, api, notify, cli) nor node I/O modules; a module is entered only
// through its index.ts; files stay under 400 lines of code.
import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const srcRoot = resolve(import.meta.dirname, 'src');

// A module is a folder of src/; its index.ts is its public surface, so from outside the folder only
// `../module/index.js` may be imported. Option `allow`: importer path (from the repo root) → targets
// (from src/, `*` standing for one folder) it may import besides.
const moduleBoundary = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }],
    messages: { internal: "import {{target}} through its module's index.js: only a module's index.ts is its public surface" },
  },
  create(context) {
    const file = context.filename;
    const own = relative(srcRoot, file).split(sep);
    if (own[0] === '..' || own.length < 2) return {};
    const allowed = (
      (context.options[0] ?? {})[
        relative(import.meta.dirname, file)
          .split(sep)
          .join('/')
      ] ?? []
    ).map((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]+')}$`));
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = relative(srcRoot, resolve(dirname(file), spec)).split(sep);
      if (target[0] === '..' || target.length < 2 || target[0] === own[0]) return;
      if (target.length === 2 && target[1] === 'index.js') return;
      if (allowed.some((p) => p.test(target.join('/')))) return;
      context.report({ node: node.source, messageId: 'internal', data: { target: target.join('/') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

const adapters = ['**/store/**', '**/ingest/**', '**/api/**', '**/notify/**', '**/cli/**', '**/server.js', '**/config/**'];
const io = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process', 'fs', 'net', 'http'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'ui/dist/**', 'bin/**', 'scripts/**', '**/*.mjs', 'eslint.config.js'] },
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
    files: [
      'src/detect/**',
      'src/incidents/**',
      'src/rca/**',
      'src/slo/**',
      'src/reviews/**',
      'src/reports/**',
      'src/kpi/**',
      'src/tickets/correlation.ts',
      'src/release/**',
      'src/synthetics/confirm.ts',
      'src/synthetics/latency.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...adapters, ...io].map((group) => ({ group: [group], message: 'the pure core does no I/O' })) }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'the pure core reads no clock: take the time as an argument' }],
    },
  },
  {
    // The services behind the API implement its ports by shape and refuse with coded errors
    // (pipeline/refused.ts): only the API edge knows HTTP, views and statuses.
    files: ['src/pipeline/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/api/**'], message: 'pipeline/ depends on no API type: declare what it needs in the model or the owning module' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**', '**/testing.ts'],
    plugins: { vigil: { rules: { 'module-boundary': moduleBoundary } } },
    rules: {
      // config/ composes every module's section schema from its leaf file (config.js; ingest's
      // limits.js): entering those modules through index.js would load them whole for a CLI
      // command that only reads vigil.yaml, and make cycles (synthetics/load reads config's lineOf).
      // `vigil demo` loads only the demo's thread-side files: demo/index.js would load the shop and
      // its OpenTelemetry SDK on the thread that runs Vigil (they belong in the shop's worker).
      'vigil/module-boundary': [
        'error',
        {
          'src/config/index.ts': ['*/config.js', 'ingest/limits.js'],
          'src/cli/commands/demo.ts': ['demo/demo-profile.js', 'demo/incident-watch.js', 'demo/shop-thread.js'],
        },
      ],
    },
  },
  {
    // One concept per file: over 400 lines of code (comments and blank lines not counted) it holds two.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }] },
  },
  { files: ['src/cli/**', 'test/**', 'bench/**', 'src/demo/**'], rules: { 'no-console': 'off' } },
  {
    // node:test's describe/it/test return promises the runner itself awaits.
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
    },
  },
);
