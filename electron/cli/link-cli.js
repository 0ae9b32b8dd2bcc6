#!/usr/bin/env node
// `npm run link-cli [-- --dir DIR] [--node PATH] [--force] [--remove]`: puts a `keyfleet` command
// on PATH that runs this checkout. The launcher names the Node.js it runs with by its absolute
// path: cron and system services run with PATH=/usr/bin:/bin, where `node` is often an older one
// (or none), and `npm link`'s `#!/usr/bin/env node` would pick that up. It never goes through npx,
// which outside this checkout would fetch whatever the registry holds under the name `keyfleet`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { nodeTooOld, oldNodeMessage } from './node-requirement.js';

const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(CHECKOUT, 'electron', 'cli', 'keyfleet.js');
/** Marks a file as a launcher this script wrote, so it may replace or remove it. */
export const LAUNCHER_MARK = 'keyfleet launcher written by `npm run link-cli`';

export const USAGE = 'usage: npm run link-cli [-- --dir DIR] [--node PATH] [--force] [--remove]';

/** Where the launcher goes unless --dir says otherwise: a per-user directory, no root needed. */
export function defaultLauncherDir(platform = process.platform, env = process.env, home = os.homedir()) {
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'Keyfleet', 'bin');
  return path.join(home, '.local', 'bin');
}

export function launcherName(platform = process.platform) {
  return platform === 'win32' ? 'keyfleet.cmd' : 'keyfleet';
}

function shQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The launcher's text: runs `entry` (keyfleet.js) with `node`, both absolute paths. */
export function launcherText({ platform = process.platform, node, entry, checkout }) {
  if (platform === 'win32') {
    for (const p of [node, entry]) {
      if (/["%\r\n]/.test(p)) throw new Error(`cannot write a .cmd launcher for a path containing " or %: ${p}`);
    }
    return [
      '@echo off',
      `rem ${LAUNCHER_MARK} in ${checkout}.`,
      'rem It runs that checkout with the Node.js named here; run `npm run link-cli` there again after',
      'rem moving the checkout or changing Node.js.',
      `if not exist "${node}" goto gone`,
      `if not exist "${entry}" goto gone`,
      `"${node}" "${entry}" %*`,
      'exit /b %ERRORLEVEL%',
      ':gone',
      `echo keyfleet: this launcher runs ${entry} with ${node}, and one of them is gone; run \`npm run link-cli\` in the Keyfleet checkout again 1>&2`,
      'exit /b 2',
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARK} in ${checkout}.`,
    '# It runs that checkout with the Node.js named here, so it also works under cron\'s minimal PATH;',
    '# run `npm run link-cli` there again after moving the checkout or changing Node.js.',
    `node=${shQuote(node)}`,
    `cli=${shQuote(entry)}`,
    'if [ ! -x "$node" ] || [ ! -f "$cli" ]; then',
    '  echo "keyfleet: this launcher ($0) runs $cli with $node, and one of them is gone; run \\`npm run link-cli\\` in the Keyfleet checkout again" >&2',
    '  exit 2',
    'fi',
    'exec "$node" "$cli" "$@"',
    '',
  ].join('\n');
}

function fail(message) {
  process.stderr.write(`link-cli: ${message}\n`);
  process.exit(2);
}

/** The version of the Node.js at `node`, asked of that binary. */
function versionOf(node) {
  try {
    return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (e) {
    return fail(`${node} does not run as Node.js (${e.message.split('\n')[0]}); name a Node.js 22.18 or newer with --node PATH`);
  }
}

/** True when `file` is missing or is a launcher this script wrote. */
function ours(file) {
  try {
    return fs.readFileSync(file, 'utf8').includes(LAUNCHER_MARK);
  } catch (e) {
    if (e.code === 'ENOENT') return true;
    throw e;
  }
}

function onPath(dir, env = process.env) {
  return (env.PATH ?? '').split(path.delimiter).some((p) => p && path.resolve(p) === path.resolve(dir));
}

function main(argv) {
  let args;
  try {
    args = parseArgs({ args: argv, options: { dir: { type: 'string' }, node: { type: 'string' }, force: { type: 'boolean' }, remove: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  } catch (e) {
    return fail(`${e.message}\n${USAGE}`);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n\nWrites a \`keyfleet\` launcher into DIR (default ${defaultLauncherDir()}) that runs this checkout (${CHECKOUT}) with the Node.js running this script, or --node PATH. --force replaces a \`keyfleet\` there that this script did not write; --remove deletes the launcher.\n`);
    return;
  }
  const dir = path.resolve(args.values.dir ?? defaultLauncherDir());
  const file = path.join(dir, launcherName());
  if (!ours(file) && !args.values.force) {
    fail(`${file} exists and was not written by \`npm run link-cli\` (another keyfleet, or another program); remove it, choose another directory with \`npm run link-cli -- --dir DIR\`, or replace it with \`npm run link-cli -- --force\``);
  }
  if (args.values.remove) {
    if (!fs.existsSync(file)) return void process.stdout.write(`no launcher at ${file}; nothing removed\n`);
    fs.rmSync(file);
    return void process.stdout.write(`removed ${file}\n`);
  }

  const node = path.resolve(args.values.node ?? process.execPath);
  const version = args.values.node ? versionOf(node) : process.versions.node;
  if (nodeTooOld(version)) fail(oldNodeMessage(CHECKOUT, version, node));

  fs.mkdirSync(dir, { recursive: true });
  // Written beside the target and renamed over it: a launcher is there whole or not at all.
  const tmp = path.join(dir, `.${launcherName()}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, launcherText({ node, entry: ENTRY, checkout: CHECKOUT }), { mode: 0o755 });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    return fail(`cannot write ${file}: ${e.message}`);
  }

  const lines = [`wrote ${file}: runs ${ENTRY} with Node.js ${version} (${node})`];
  if (process.platform === 'win32') {
    if (!onPath(dir)) lines.push(`${dir} is not on PATH: add it (Settings › System › About › Advanced system settings › Environment Variables › Path), then open a new terminal`);
  } else {
    if (!onPath(dir)) {
      const shown = dir.startsWith(`${os.homedir()}${path.sep}`) ? `$HOME${dir.slice(os.homedir().length)}` : dir;
      lines.push(`${dir} is not on your PATH: add the line  export PATH="${shown}:$PATH"  to ~/.profile and log in again, or call ${file} by its full path`);
    }
    lines.push(`in a crontab, call it by its full path (cron's PATH is /usr/bin:/bin), e.g.  0 7 * * * ${file} reminders`);
  }
  lines.push(`try: ${onPath(dir) ? 'keyfleet' : file} --help`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
