import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.ts';
import { runProcess, type ProcessRun } from '../helpers/cli.ts';
import { startWebitelSimulator, type WebitelSim } from '../vendors/webitel/simulator.ts';

/**
 * keyfleet under cron on Linux, run the way the command guide's "Cron and headless use" section says,
 * with the lines taken from the guide (docs/cli.md) itself: a cron-like environment (HOME, LOGNAME, SHELL,
 * PATH=/usr/bin:/bin and nothing else, so no D-Bus session), the launcher `npm run link-cli`
 * wrote, and a fleet whose Webitel token lives in a gnome-keyring of the test's own. The tests
 * run in order on one HOME: the first creates the keyring and the instance the others use.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');
const TOKEN = 'wt-headless-token-0123456789';
const PASSWORD = 'keyring password for cron';

/** The shell lines of the guide's cron section: crontab entries without their schedule, and the rest. */
function cronSection(): { jobs: string[]; setup: string[] } {
  const start = GUIDE.indexOf('\n## Cron and headless use');
  expect(start, 'docs/cli.md has a "Cron and headless use" section').toBeGreaterThan(0);
  const end = GUIDE.indexOf('\n## ', start + 1);
  const section = GUIDE.slice(start, end < 0 ? undefined : end);
  const lines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter((l) => l.trim() && !l.startsWith('#'));
  const schedule = /^[\d*,/-]+\s+[\d*,/-]+\s+[\d*,/-]+\s+[\d*,/-]+\s+[\d*,/-]+\s+/;
  return {
    jobs: lines.filter((l) => schedule.test(l)).map((l) => l.replace(schedule, '').replace(/\s+#.*$/, '')),
    setup: lines.filter((l) => !schedule.test(l)),
  };
}

let home: string;
let sim: WebitelSim;
const children: ChildProcess[] = [];

function cronEnv(): Record<string, string> {
  return { HOME: home, LOGNAME: 'kf', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
}

/**
 * A command line as cron runs it: /bin/sh -c LINE, in the job's environment. Asynchronous, so the
 * simulator in this process can answer it.
 */
function asCron(line: string, stdin = ''): Promise<ProcessRun> {
  return runProcess('/bin/sh', ['-c', line], { env: cronEnv(), cwd: home, stdin });
}

function tokenRequests(): number {
  return sim.state.requests.filter((r) => r.token === TOKEN).length;
}

beforeAll(async () => {
  home = tempDir('kf-cron-home-');
  sim = await startWebitelSimulator({ token: TOKEN });
  // The launcher, as the guide's "Running it" says: npm run link-cli (default directory ~/.local/bin).
  const link = spawnSync(process.execPath, [path.join(ROOT, 'electron/cli/link-cli.js')], { env: { ...process.env, HOME: home }, encoding: 'utf8' });
  expect(link.status, link.stderr).toBe(0);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await sim?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('keyfleet under cron, as the command guide says', () => {
  it('on a server: dbus-run-session with an unlocked gnome-keyring stores the secret and refresh reads it', async () => {
    const { jobs, setup } = cronSection();
    expect(setup.length, 'the guide shows how to write the keyring password file').toBe(1);
    const once = await asCron(setup[0]!, `${PASSWORD}\n`);
    expect(once.code, once.stderr).toBe(0);
    expect(fs.statSync(path.join(home, '.config/keyfleet-keyring-password')).mode & 0o777).toBe(0o600);

    const headless = jobs.find((j) => j.startsWith('dbus-run-session'));
    expect(headless, 'the guide shows a dbus-run-session crontab line').toMatch(/"\$HOME\/\.local\/bin\/keyfleet" refresh'$/);
    // "Add instances and credentials the same way, with the command after &&".
    const add = await asCron(headless!.replace(/ refresh'$/, ` instance add wt --kind webitel --url ${sim.url} --secret-stdin'`), `${TOKEN}\n`);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    expect(fs.readFileSync(path.join(home, '.config/Keyfleet/keyfleet.json'), 'utf8')).not.toContain(TOKEN);

    // A later run (a new bus, a new keyring daemon) unlocks the same keyring and reads the token.
    const before = tokenRequests();
    const refresh = await asCron(headless!);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    expect(refresh.stdout).toMatch(/checked 1 instance\(s\) in [\d.]+ s: 1 ok, 0 failed/);
    expect(tokenRequests()).toBeGreaterThan(before);
  });

  it('without a session bus, a command needing a secret fails (exit 1) naming the session bus path and dbus-run-session', async () => {
    const uid = process.getuid!();
    const launcher = `"$HOME/.local/bin/keyfleet"`;
    const before = tokenRequests();
    for (const r of [await asCron(`${launcher} refresh`), await asCron(`${launcher} instance check wt`)]) {
      expect(r.code).toBe(1);
      const said = r.stdout + r.stderr;
      expect(said).toContain('DBUS_SESSION_BUS_ADDRESS is not set');
      expect(said).toContain(`DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/${uid}/bus`);
      expect(said).toContain('`dbus-run-session`');
      expect(said).toContain('"Cron and headless use" in docs/cli.md');
    }
    const json = await asCron(`${launcher} instance check wt --json`);
    expect(JSON.parse(json.stdout).error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(tokenRequests(), 'nothing was sent without the token').toBe(before);
    // Commands that need no secret run as they are.
    const reminders = await asCron(cronSection().jobs.find((j) => j.endsWith('keyfleet" reminders'))!);
    expect(reminders.code, reminders.stderr).toBe(0);
  });

  it('on a desktop: the job given the logged-in session\'s bus uses that session\'s keyring', async () => {
    // The user's session: a bus at a path (as /run/user/UID/bus is) with the keyring unlocked at login.
    const runtime = path.join(home, 'run-user');
    fs.mkdirSync(runtime, { mode: 0o700 });
    const bus = path.join(runtime, 'bus');
    const dbus = spawn('dbus-daemon', ['--session', '--nofork', `--address=unix:path=${bus}`], { stdio: 'ignore' });
    children.push(dbus);
    for (let i = 0; !fs.existsSync(bus); i++) {
      expect(i, 'the session bus did not start').toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 50));
    }
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...cronEnv(), DBUS_SESSION_BUS_ADDRESS: `unix:path=${bus}` },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(keyring);
    // Unlocked with the keyring's password as the server jobs read it (the file holds the line typed).
    keyring.stdin!.end(fs.readFileSync(path.join(home, '.config/keyfleet-keyring-password')));

    const job = cronSection().jobs.find((j) => j.startsWith('DBUS_SESSION_BUS_ADDRESS='));
    expect(job, 'the guide shows a crontab line with the session bus').toContain('DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus "$HOME/.local/bin/keyfleet" refresh');
    const before = tokenRequests();
    let refresh = await asCron(job!.replace('/run/user/$(id -u)/bus', bus));
    // The keyring daemon claims its name on the bus shortly after it starts.
    for (let i = 0; refresh.code !== 0 && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100));
      refresh = await asCron(job!.replace('/run/user/$(id -u)/bus', bus));
    }
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    expect(refresh.stdout).toMatch(/1 ok, 0 failed/);
    expect(tokenRequests()).toBeGreaterThan(before);
  });
});
