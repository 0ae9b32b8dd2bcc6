import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'tls', 'stream', 'util', 'url', 'events', 'zlib', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/', '.vite/', 'out/', 'dist/', 'dist-cli/', '.scratch/', 'test-results/', 'coverage/', 'renderer/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // Rejecting control characters in keys and names is deliberate input checking.
      'no-control-regex': 'off',
    },
  },
  {
    // Core runs in plain Node (the CLI, tests) as well as in Electron's main process.
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'electron/core and the CLI run without Electron; pass what you need in through an interface.' }], patterns: [{ group: ['electron/*', 'electron-store'], message: 'electron/core never loads Electron (electron-store imports it); core keeps its data in its own store (electron/core/store).' }] },
      ],
    },
  },
  {
    // The renderer talks only to window.keyfleet: no Node, no Electron, no raw IPC.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/**/*.test.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.keyfleet.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer cannot use Node modules.' },
            { group: ['**/electron/core/*', '!**/electron/core/api', '**/electron/core/*/*', '!**/electron/core/api/contract.ts', '!**/electron/core/api/contract'], message: 'The renderer may import only the API contract (types) from core.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='ipcRenderer']", message: 'No raw IPC in the renderer.' }],
    },
  },
  {
    // Only preload and main touch IPC, through the contract's typed wrappers.
    files: ['electron/main/**/*.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='ipcMain'][callee.property.name='on']", message: 'Register handlers only through electron/main/ipc.ts (ipcMain.handle per contract method).' }],
    },
  },
);
