import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/tmp.ts';
import { KEYFLEET_BIN, runProcess, type ProcessRun } from '../helpers/cli.ts';

/**
 * Without --home, keyfleet uses the desktop app's data directory ($XDG_CONFIG_HOME/Keyfleet,
 * else ~/.config/Keyfleet). Reading must not create it: a `client list` on a machine where the
 * app never ran leaves nothing behind. The first change creates it, private to the user.
 */

/** keyfleet as a user runs it: no --home, no KEYFLEET_HOME. */
function keyfleet(args: string[], env: Record<string, string>): Promise<ProcessRun> {
  const { KEYFLEET_HOME: _unused, XDG_CONFIG_HOME: _alsoUnused, ...inherited } = process.env;
  return runProcess(process.execPath, [KEYFLEET_BIN, ...args], { env: { ...inherited, ...env } });
}

const READS = [
  ['client', 'list'],
  ['instance', 'list'],
  ['credential', 'list'],
  ['source', 'list'],
  ['licenses'],
  ['history'],
  ['ppk', 'list', '--stock'],
  ['reminders', '--dry-run'],
  ['reminders'],
  ['export', 'clients'],
  ['export', 'history'],
];

describe('the default data directory', () => {
  it('is not created by commands that only read, and is created (mode 700) by the first change', async () => {
    const home = tempDir('kf-home-');
    const config = path.join(home, 'xdg-config');
    const env = { HOME: home, XDG_CONFIG_HOME: config };
    for (const args of READS) {
      const r = await keyfleet([...args, '--json'], env);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(fs.readdirSync(home), `keyfleet ${args.join(' ')} created a directory`).toEqual([]);
    }
    const add = await keyfleet(['client', 'add', 'Acme', '--json'], env);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    const dataDir = path.join(config, 'Keyfleet');
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(dataDir, 'keyfleet.json'))).toBe(true);
    const list = await keyfleet(['client', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).clients.map((c: { name: string }) => c.name)).toEqual(['Acme']);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('is ~/.config/Keyfleet when XDG_CONFIG_HOME is not set, and still not created by a read', async () => {
    const home = tempDir('kf-home-');
    const r = await keyfleet(['client', 'list'], { HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(home)).toEqual([]);
    expect((await keyfleet(['client', 'add', 'Acme'], { HOME: home })).code).toBe(0);
    expect(fs.existsSync(path.join(home, '.config', 'Keyfleet', 'keyfleet.json'))).toBe(true);
    fs.rmSync(home, { recursive: true, force: true });
  });
});
