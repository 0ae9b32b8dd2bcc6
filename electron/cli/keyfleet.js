#!/usr/bin/env node
// The `keyfleet` command. Node >= 22.18 runs the TypeScript sources directly (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`keyfleet: Node.js 22.18 or newer is required (this is ${process.versions.node})\n`);
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
const { runCli } = await import('./main.ts');
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
