import { describe, expect, it } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.ts';

/**
 * `npm run link-cli` puts a `keyfleet` launcher on PATH that runs this checkout with the Node.js
 * it was made with, so it works from anywhere, including cron's bare environment.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LINK_CLI = path.join(ROOT, 'electron/cli/link-cli.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function linkCli(args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [LINK_CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** What cron gives a job: no PATH beyond /usr/bin:/bin (whose node, if any, may be too old), no session. */
function cronEnv(home: string): Record<string, string> {
  return { HOME: home, LOGNAME: 'kf', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
}

function runAsCron(command: string, home: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', env: cronEnv(home), cwd: '/' });
}

describe('npm run link-cli', () => {
  it('writes ~/.local/bin/keyfleet, which runs this checkout from anywhere under cron\'s environment', () => {
    const home = tempDir('kf-link-home-');
    const r = linkCli([], { HOME: home, PATH: '/usr/bin:/bin' });
    expect(r.status, r.stderr).toBe(0);
    const launcher = path.join(home, '.local/bin/keyfleet');
    expect(fs.statSync(launcher).mode & 0o111).toBe(0o111);
    expect(r.stdout).toContain(`wrote ${launcher}`);
    // The next steps: PATH, and the full path for cron.
    expect(r.stdout).toContain('export PATH="$HOME/.local/bin:$PATH"');
    expect(r.stdout).toContain(`0 7 * * * ${launcher} reminders`);

    const version = runAsCron(launcher, home, ['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(VERSION);
    const data = path.join(home, 'fleet');
    const add = runAsCron(launcher, home, ['--home', data, 'client', 'add', 'Acme', '--json']);
    expect(add.status, add.stderr).toBe(0);
    const list = runAsCron(launcher, home, ['--home', data, 'client', 'list', '--json']);
    expect(JSON.parse(list.stdout).clients.map((c: { name: string }) => c.name)).toEqual(['Acme']);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('is what `npm run link-cli -- --dir DIR` runs', () => {
    const dir = tempDir('kf-link-npm-');
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'link-cli', '--', '--dir', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(runAsCron(path.join(dir, 'keyfleet'), dir, ['--version']).stdout.trim()).toBe(VERSION);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('replaces or removes only a launcher it wrote', () => {
    const dir = tempDir('kf-link-dir-');
    const launcher = path.join(dir, 'keyfleet');
    expect(linkCli(['--dir', dir]).status).toBe(0);
    expect(linkCli(['--dir', dir]).status, 'writing it again').toBe(0);
    expect(linkCli(['--dir', dir, '--remove']).status).toBe(0);
    expect(fs.existsSync(launcher)).toBe(false);

    // Someone else's keyfleet (the desktop app's, another program) stays as it is.
    fs.writeFileSync(launcher, '#!/bin/sh\necho other keyfleet\n', { mode: 0o755 });
    for (const args of [['--dir', dir], ['--dir', dir, '--remove']]) {
      const r = linkCli(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${launcher} exists and was not written by \`npm run link-cli\``);
      expect(r.stderr).toContain('npm run link-cli -- --dir DIR');
      expect(fs.readFileSync(launcher, 'utf8')).toBe('#!/bin/sh\necho other keyfleet\n');
    }
    expect(linkCli(['--dir', dir, '--force']).status).toBe(0);
    expect(runAsCron(launcher, dir, ['--version']).stdout.trim()).toBe(VERSION);
    expect(fs.readdirSync(dir), 'no temp file left beside it').toEqual(['keyfleet']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a Node.js older than 22.18, writing nothing, and says what to install', () => {
    const dir = tempDir('kf-link-old-');
    // A program that answers like Node.js 20 does.
    const oldNode = path.join(dir, 'node20');
    fs.writeFileSync(oldNode, '#!/bin/sh\necho 20.11.1\n', { mode: 0o755 });
    const r = linkCli(['--dir', path.join(dir, 'bin'), '--node', oldNode]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Node.js 22.18 or newer is required; this is Node.js 20.11.1 (${oldNode})`);
    expect(r.stderr).toContain('https://nodejs.org/en/download');
    expect(fs.existsSync(path.join(dir, 'bin'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a launcher whose Node.js is gone says to run npm run link-cli again', () => {
    const dir = tempDir('kf-link-gone-');
    const node = path.join(dir, 'node');
    fs.symlinkSync(process.execPath, node);
    expect(linkCli(['--dir', dir, '--node', node]).status).toBe(0);
    expect(runAsCron(path.join(dir, 'keyfleet'), dir, ['--version']).stdout.trim()).toBe(VERSION);
    fs.rmSync(node);
    const r = runAsCron(path.join(dir, 'keyfleet'), dir, ['--version']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`runs ${path.join(ROOT, 'electron/cli/keyfleet.js')} with ${node}, and one of them is gone; run \`npm run link-cli\` in the Keyfleet checkout again`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
