#!/usr/bin/env node
// The `keyfleet` command. Node >= 22.18 runs the TypeScript sources directly (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`keyfleet: Node.js 22.18 or newer is required (this is ${process.versions.node})\n`);
  process.exit(2);
}
const { runCli } = await import('./main.ts');
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
