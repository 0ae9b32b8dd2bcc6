import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { metaContentSecurityPolicy } from './electron/main/csp.ts';

/**
 * The built page carries the app's Content-Security-Policy in a <meta> tag as well as in the
 * app:// response header. Only the build: the dev server's page has React Refresh's inline
 * preamble, which main allows by its hash in the header policy (electron/main/csp.ts).
 */
function builtPagePolicy(): Plugin {
  return {
    name: 'keyfleet-built-page-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy() }, injectTo: 'head-prepend' }],
  };
}

// Built into the same folder Forge uses, so the end-to-end tests drive exactly what ships.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), builtPagePolicy()],
  // One bundle read from disk by a desktop window: size warnings meant for web pages do not apply.
  build: { outDir: '../.vite/renderer/main_window', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
