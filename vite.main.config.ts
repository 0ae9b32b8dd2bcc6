import { defineConfig } from 'vite';

// The keychain binding loads a platform .node file at run time, so it stays external.
export default defineConfig({
  build: { rollupOptions: { external: ['@napi-rs/keyring'] } },
});
