import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../electron/core/open.ts';
import { IPC_EVENT_CHANNEL } from '../../electron/core/api/contract.ts';
import { isoDay, seed, seedClient, seedLicense } from '../e2e/seed.ts';
import { bootMain, PROJECT, type BootedMain } from './standin/boot.ts';
import { installedApp } from './standin/installed-app.ts';

/**
 * The installed app's life outside the happy path: start-up failures end the process with a
 * dialog and leave the data as it was; the single-instance lock is freed; a notification
 * clicked long after it was shown still opens its license.
 */
interface Launch {
  code: number | null;
  lines: Array<Record<string, unknown>>;
  ms: number;
}

let app: Awaited<ReturnType<typeof installedApp>>;

beforeAll(async () => {
  app = installedApp({ installDir: 'Program Files/Keyfleet ñ', userDataDir: 'Keyfleet data' });
  await app.ready;
});
afterAll(() => app?.remove());

function launch(userData: string, env: Record<string, string> = {}): Promise<Launch> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT, 'test/shell/standin/child.ts')], {
      env: {
        ...process.env,
        ...env,
        KEYFLEET_STANDIN: JSON.stringify({ userData, appPath: app.appPath, isPackaged: true, resourcesPath: app.resourcesPath, fuses: app.fuses }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', () => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - t0, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
}

describe('start-up failures', () => {
  it('a damaged store: a dialog says what is wrong and where the data is, the process ends, the file is untouched', async () => {
    const dir = path.join(path.dirname(app.userData), 'damaged store');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'keyfleet.json');
    fs.writeFileSync(file, '{"version": 3, "clients": [');
    const before = fs.readFileSync(file);
    const run = await launch(dir);
    const box = run.lines.find((l) => l.errorBox)?.errorBox as { title: string; content: string } | undefined;
    expect(box?.title).toBe('Keyfleet could not start');
    expect(box?.content).toContain('is not valid JSON');
    expect(box?.content).toContain(`Your data directory is ${dir}`);
    expect(run.lines.some((l) => l.window)).toBe(false);
    expect(run.code).toBe(1);
    expect(fs.readFileSync(file)).toEqual(before);
    // Nothing holds the lock after it: the next launch of a good store starts.
    fs.rmSync(file);
    const next = await launch(dir);
    expect(next.lines.find((l) => l.window)?.window).toBe('app://keyfleet/index.html');
    expect(next.code).toBe(0);
  });

  it('a store written by a newer Keyfleet is refused with that message, never overwritten', async () => {
    const dir = path.join(path.dirname(app.userData), 'from the future');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'keyfleet.json');
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 999, clients: [], futureField: { kept: true } }, null, '\t'));
    const before = fs.readFileSync(file);
    const run = await launch(dir);
    const box = run.lines.find((l) => l.errorBox)?.errorBox as { content: string } | undefined;
    expect(box?.content).toMatch(/written by a newer Keyfleet \(store version 999/);
    expect(box?.content).toContain('Install the newer Keyfleet');
    expect(run.code).toBe(1);
    expect(fs.readFileSync(file)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('keyfleet.json.'))).toEqual([]);
  });

  it('a second launch while the first runs hands over and quits, without a window of its own', async () => {
    const dir = path.join(path.dirname(app.userData), 'running');
    const first = spawn(process.execPath, [path.join(PROJECT, 'test/shell/standin/child.ts')], {
      env: { ...process.env, KEYFLEET_STANDIN_STAY: '1', KEYFLEET_STANDIN: JSON.stringify({ userData: dir, appPath: app.appPath, isPackaged: true, resourcesPath: app.resourcesPath, fuses: app.fuses }) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await new Promise<void>((resolve) => first.stdout.on('data', (d: Buffer) => d.toString().includes('"window"') && resolve()));
      const second = await launch(dir);
      expect(second.lines.some((l) => l.window)).toBe(false);
      expect(second.lines.at(-1)).toEqual({ exit: 0 });
    } finally {
      first.kill('SIGTERM');
    }
  });
});

describe('notifications', () => {
  let booted: BootedMain;
  const dir = () => path.join(path.dirname(app.userData), 'reminders due');

  beforeAll(async () => {
    // A license that expires today: the reminder check at start-up notifies.
    const ctx = openContext({ dataDir: dir() });
    seed(ctx, () => ({ clients: [seedClient('cl_1', 'Acme')], licenses: [seedLicense('lic_due', 'qlm', 0, { clientId: 'cl_1', expiresAt: isoDay(0) })] }));
    booted = bootMain({ userData: dir(), appPath: app.appPath, isPackaged: true, resourcesPath: app.resourcesPath, fuses: app.fuses });
    await booted.started;
    for (let waited = 0; booted.state.notificationLog.length === 0 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => booted?.state.app.emit('will-quit'));

  it('is still there to be clicked after a garbage collection, and the click opens its license', async () => {
    expect(booted.state.notificationLog.map((n) => n.title)).toEqual([expect.stringContaining('expires today')]);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(booted.state.notifications.filter((r) => r.deref() !== undefined).length).toBe(booted.state.notificationLog.length);
    const win = booted.state.windows[0]!;
    win.hide();
    booted.state.notifications[0]!.deref()!.emit('click');
    expect(win.shown).toBe(true);
    expect(win.webContents.queued).toContainEqual({ channel: IPC_EVENT_CHANNEL, payload: { name: 'openLicense', payload: { licenseId: 'lic_due' } } });
    // Once clicked it is let go.
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(booted.state.notifications[0]!.deref()).toBeUndefined();
  });
});
