import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.ts';

const LAUNCHER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../electron/cli/keyfleet.js');

/** A project tree with the real launcher, a stand-in for the sources and one for the bundle. */
function project() {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'electron/cli'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dist-cli'), { recursive: true });
  fs.copyFileSync(LAUNCHER, path.join(root, 'electron/cli/keyfleet.js'));
  fs.copyFileSync(path.join(path.dirname(LAUNCHER), 'node-requirement.js'), path.join(root, 'electron/cli/node-requirement.js'));
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  const runCli = (from: string) => `export async function runCli(args, io) { io.stdout.write('${from} ' + args.join(' ') + '\\n'); return 3; }\n`;
  fs.writeFileSync(path.join(root, 'electron/cli/main.ts'), runCli('sources'));
  fs.writeFileSync(path.join(root, 'dist-cli/main.mjs'), runCli('bundle'));
  const manifest = () => {
    const sources = ['electron/cli/main.ts', 'package.json'].map((file) => {
      const st = fs.statSync(path.join(root, file));
      return { file, size: st.size, mtimeMs: st.mtimeMs };
    });
    fs.writeFileSync(path.join(root, 'dist-cli/sources.json'), JSON.stringify({ sources }));
  };
  manifest();
  const run = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(root, 'electron/cli/keyfleet.js'), 'licenses', '--json'], { env: { ...process.env, KEYFLEET_CLI_SOURCES: '', ...env }, encoding: 'utf8' });
    return { out: r.stdout.trim(), code: r.status, err: r.stderr };
  };
  return { root, run, manifest };
}

describe('the keyfleet launcher', () => {
  it('runs the bundle while it matches the sources it was built from', () => {
    const p = project();
    expect(p.run()).toEqual({ out: 'bundle licenses --json', code: 3, err: '' });
  });

  it('runs the sources once one of them changed since the build, or when asked to', () => {
    const p = project();
    fs.appendFileSync(path.join(p.root, 'electron/cli/main.ts'), '// edited\n');
    expect(p.run().out).toBe('sources licenses --json');
    p.manifest();
    expect(p.run().out).toBe('bundle licenses --json');
    // Same size, another modification time.
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(p.root, 'package.json'), later, later);
    expect(p.run().out).toBe('sources licenses --json');
    p.manifest();
    expect(p.run({ KEYFLEET_CLI_SOURCES: '1' }).out).toBe('sources licenses --json');
  });

  it('runs the sources when there is no bundle, or its manifest is damaged', () => {
    const p = project();
    fs.writeFileSync(path.join(p.root, 'dist-cli/sources.json'), '{"sources": [');
    expect(p.run().out).toBe('sources licenses --json');
    fs.rmSync(path.join(p.root, 'dist-cli'), { recursive: true });
    expect(p.run().out).toBe('sources licenses --json');
  });
  it.runIf(process.platform === 'linux')("keeps the bundle's compiled code beside it between runs: nothing in the user's home, nothing in a shared folder", () => {
    const p = project();
    const home = tempDir();
    const cache = tempDir();
    const tmp = tempDir();
    const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : []);
    const env = { HOME: home, XDG_CACHE_HOME: cache, TMPDIR: tmp };
    expect(p.run(env)).toEqual({ out: 'bundle licenses --json', code: 3, err: '' });
    expect(files(path.join(p.root, 'dist-cli', 'compile-cache')).length).toBeGreaterThan(0);
    // The next run uses the cache it finds and still runs the same code.
    expect(p.run(env)).toEqual({ out: 'bundle licenses --json', code: 3, err: '' });
    // Not the user's folders (a command that only reads creates nothing there), and not Node's
    // default, the temp folder, which other users can write to.
    for (const dir of [home, cache, tmp]) expect(fs.readdirSync(dir)).toEqual([]);
    for (const dir of [home, cache, tmp]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(process.platform === 'linux')('NODE_DISABLE_COMPILE_CACHE=1 turns the cache off', () => {
    const p = project();
    expect(p.run({ NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ out: 'bundle licenses --json', code: 3, err: '' });
    expect(fs.existsSync(path.join(p.root, 'dist-cli', 'compile-cache'))).toBe(false);
  });
});
