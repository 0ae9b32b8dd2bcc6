#!/usr/bin/env node
// The `keyfleet` command. It runs the bundle `npm install` builds (dist-cli/, vite.cli.config.ts)
// when that bundle was built from the sources as they are now; otherwise, or with
// KEYFLEET_CLI_SOURCES=1, it runs the TypeScript sources directly (Node >= 22.18 strips types).
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeTooOld, oldNodeMessage } from './node-requirement.js';

const root = new URL('../../', import.meta.url);

if (nodeTooOld()) {
  process.stderr.write(`keyfleet: ${oldNodeMessage(fileURLToPath(root).replace(/[\\/]$/, ''))}\n`);
  process.exit(2);
}
// A reader that stops early (`keyfleet licenses | head`) closes the pipe: stop quietly, as cat
// and ls do, instead of crashing with a stack trace. Everything the reader wanted was written.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/**
 * Where V8 keeps the compiled code of the CLI's modules between runs, in the user's own cache
 * folder. A shared folder (Node's default is the system temp directory) would let another local
 * user plant code that this process would run.
 */
function compileCacheDir() {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'Keyfleet', 'compile-cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Keyfleet', 'compile-cache');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'keyfleet', 'compile-cache');
}

// Compiling the bundle's modules is ~30 ms of every start and the first run of their functions
// as much again; with the cache a start reuses both (NODE_DISABLE_COMPILE_CACHE=1 turns it off).
// A cache that cannot be written only costs the compile, so any failure is ignored.
try {
  module.enableCompileCache?.(compileCacheDir());
} catch {
  // No cache: the modules are compiled as usual.
}

/** The bundle, if every source file it was built from is unchanged (same size and time). */
function freshBundle() {
  if (process.env.KEYFLEET_CLI_SOURCES === '1') return null;
  try {
    const { sources } = JSON.parse(fs.readFileSync(new URL('dist-cli/sources.json', root), 'utf8'));
    for (const { file, size, mtimeMs } of sources) {
      const st = fs.statSync(new URL(file, root));
      if (st.size !== size || st.mtimeMs !== mtimeMs) return null;
    }
    return new URL('dist-cli/main.mjs', root).href;
  } catch {
    return null;
  }
}

const { runCli } = await import(freshBundle() ?? './main.ts');
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
