import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/setup/keychain.ts'],
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: {
      deps: {
        // electron-store imports 'electron' at load; inlining it lets vi.mock('electron') reach it.
        inline: ['electron-store'],
      },
    },
  },
});
