import { defineConfig } from 'vite';

// The keychain binding loads a platform .node file at run time, so it stays external. Main is one
// file: the lazy imports the CLI uses to start fast buy nothing in a process that loads once.
export default defineConfig({
  build: { rollupOptions: { external: ['@napi-rs/keyring'], output: { codeSplitting: false } } },
});
