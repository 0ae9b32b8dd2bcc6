import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into the same folder Forge uses, so the end-to-end tests drive exactly what ships.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // One bundle read from disk by a desktop window: size warnings meant for web pages do not apply.
  build: { outDir: '../.vite/renderer/main_window', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
