import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { importCyclePlugin } from './scripts/lint/no-import-cycle.js';
import { webLayerPlugin } from './scripts/lint/web-layer.js';

// The layer rule of docs/architecture.md §2, machine-checked: each folder lists what it must never import.
// Bare builtin names are exact module names (paths), not gitignore patterns: 'http' as a pattern would match core/http/.
const nodeBuiltins = ['node:*', 'fs/*'];
const nodeBuiltinNames = ['fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'stream', 'url', 'util', 'events'];
// A folder pattern also forbids the folder's own index ('../hardware'), not only files below it.
const withBareFolders = (forbidden) => forbidden.flatMap((p) => (p.endsWith('/**') ? [p, p.slice(0, -3)] : [p]));
const webFolders = ['server/web/**', 'server/*/web/**'];
const layer = (files, forbidden, message, forbiddenNames = [], ignores = []) => ({
  files,
  ...(ignores.length ? { ignores } : {}),
  rules: {
    'no-restricted-imports': ['error', {
      paths: forbiddenNames.map((name) => ({ name, message })),
      patterns: [{ group: withBareFolders(forbidden), message }],
    }],
  },
});

// The hall server's paths are written once, in its contract (core/http/contract.ts): everyone
// else builds them from it (`pathOf(hallApi.numbersNext)`), so no path can drift from the route.
const literalApiPathMessage = "A hall server path is written only in core/http/contract.ts: build it from the contract (hallApi.<route>, pathOf, serverRequestOf).";
const noLiteralApiPaths = {
  files: ['{core,main,renderer,server,preload,hardware}/**/*.{ts,tsx,js,mjs,cjs}'],
  ignores: ['core/http/contract.ts'],
  rules: {
    'no-restricted-syntax': ['error',
      { selector: 'Literal[value=/\\/api\\/v1\\b/]', message: literalApiPathMessage },
      { selector: 'TemplateElement[value.raw=/\\/api\\/v1\\b/]', message: literalApiPathMessage },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits or handles, a promise where a void callback is expected,
    // a switch that forgets a member of a union. `void p` stays allowed as the written sign of a
    // deliberately unawaited promise.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { local: importCyclePlugin },
    rules: {
      // No import cycles, type imports included: read off the program the rules above build anyway.
      'local/no-import-cycle': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  layer(['core/**'], ['**/demo/**', '**/hardware/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', 'electron', 'react', 'react-dom', 'dexie', ...nodeBuiltins],
    'core/ is pure: no I/O, no Electron, no DOM, no Node APIs, and it imports no other layer.', nodeBuiltinNames),
  layer(['demo/**'], ['**/hardware/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', 'electron', 'react', 'react-dom', 'dexie', ...nodeBuiltins],
    'demo/ is the demo hall\'s content: it may import core/ only.', nodeBuiltinNames),
  layer(['hardware/**'], ['**/demo/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', 'electron'],
    'hardware/ may import core/ only.'),
  layer(['main/**'], ['**/demo/**', '**/preload/**', '**/renderer/**', '**/server/**'],
    'main/ may import core/ and hardware/ only.'),
  layer(['main/services/**', 'main/host/**'], ['**/demo/**', '**/preload/**', '**/renderer/**', '**/server/**', 'electron'],
    'main/services and main/host run in plain Node: take Electron through the electron/ shell, never import it.'),
  layer(['preload/**'], ['**/demo/**', '**/main/**', '**/hardware/**', '**/renderer/**', '**/server/**', ...nodeBuiltins],
    'preload/ may import core/ and electron only.', nodeBuiltinNames),
  layer(['renderer/**'], ['**/demo/**', '**/main/**', '**/hardware/**', '**/preload/**', '**/server/**', 'electron', ...nodeBuiltins],
    'renderer/ may import core/ only.', nodeBuiltinNames),
  // The hall server's web apps run in a browser (server/<feature>/web/, server/web/): only core/,
  // web folders and the browser packages (scripts/lint/web-layer.js); and no Node code reaches into them.
  layer(['server/**'], ['**/main/**', '**/hardware/**', '**/preload/**', '**/renderer/**', '**/web/**', 'electron'],
    'server/ may import core/ only, and its Node code no web/ folder (those are browser code, built by Vite).', [], webFolders),
  {
    files: webFolders,
    plugins: { web: webLayerPlugin, 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      'web/web-layer': ['error', { root: import.meta.dirname }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  noLiteralApiPaths,
);
