import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * The `keyfleet` command as shipped: one ES module graph for Node, the app's code and its
 * libraries bundled (the keychain binding stays external: it loads a platform .node file), with
 * each command's lazy imports kept as their own chunks. Running the TypeScript sources costs
 * ~0.15 s of every start in type stripping and module resolution; see BENCHMARKS.md.
 */
export const CLI_OUT_DIR = 'dist-cli';

/**
 * Lists every source file the bundle was built from, with its size and modification time, so
 * the launcher (electron/cli/keyfleet.js) can tell a bundle that no longer matches the sources
 * and run the sources instead of stale code.
 */
function sourceManifest(root: string): Plugin {
  return {
    name: 'keyfleet-cli-source-manifest',
    generateBundle() {
      const files = [...this.getModuleIds()]
        .filter((id) => path.isAbsolute(id) && id.startsWith(root) && !id.includes(`${path.sep}node_modules${path.sep}`))
        .map((id) => path.relative(root, id).split(path.sep).join('/'))
        .sort();
      files.push('package.json');
      const sources = files.map((file) => {
        const st = fs.statSync(path.join(root, file));
        return { file, size: st.size, mtimeMs: st.mtimeMs };
      });
      this.emitFile({ type: 'asset', fileName: 'sources.json', source: `${JSON.stringify({ sources }, null, 1)}\n` });
    },
  };
}

export default defineConfig({
  build: {
    ssr: 'electron/cli/main.ts',
    outDir: CLI_OUT_DIR,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: ['@napi-rs/keyring'],
      output: { format: 'es', entryFileNames: 'main.mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  plugins: [sourceManifest(path.resolve(import.meta.dirname))],
});
