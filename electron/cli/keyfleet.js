#!/usr/bin/env node
// The `keyfleet` command. It runs the bundle `npm install` builds (dist-cli/, vite.cli.config.ts)
// when that bundle was built from the sources as they are now; otherwise, or with
// KEYFLEET_CLI_SOURCES=1, it runs the TypeScript sources directly (Node >= 22.18 strips types).
import fs from 'node:fs';
import module from 'node:module';
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

/** The bundle, if every source file it was built from is unchanged (same size and time). */
function freshBundle() {
  if (process.env.KEYFLEET_CLI_SOURCES === '1') return null;
  try {
    const { sources } = JSON.parse(fs.readFileSync(new URL('dist-cli/sources.json', root), 'utf8'));
    // Paths joined as text (the files are named with /, which every platform's fs accepts): a
    // URL per file made URL parsing and path conversion hot code on every start.
    const base = fileURLToPath(root);
    for (const { file, size, mtimeMs } of sources) {
      const st = fs.statSync(base + file);
      if (st.size !== size || st.mtimeMs !== mtimeMs) return null;
    }
    return new URL('dist-cli/main.mjs', root).href;
  } catch {
    return null;
  }
}

const bundle = freshBundle();
// The bundle's compiled code is kept between runs beside the bundle (dist-cli/compile-cache/,
// removed with it): compiling its modules is ~30 ms of every start and the first run of their
// functions as much again. Not in the user's home (a command that only reads creates nothing
// there) and not in Node's default, the shared temp folder, where another local user could plant
// code. A folder that cannot be written (an install owned by another user) only costs the
// compile, so any failure is ignored; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
if (bundle) {
  try {
    module.enableCompileCache?.(fileURLToPath(new URL('dist-cli/compile-cache/', root)));
  } catch {
    // No cache: the modules are compiled as usual.
  }
}
const { runCli } = await import(bundle ?? './main.ts');
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
