import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { cliSession, runCli } from '../../helpers/cli.ts';
import { readTree, tempDir } from '../../helpers/tmp.ts';
import { startLowaySimulator, type LowaySimulator } from './loway-simulator.ts';
import { startQmSimulator, type QmSimulator } from './simulator.ts';

/**
 * The headline workflow, through the real `keyfleet` command: PPKs into stock, one converted
 * on a Loway key-server simulator and installed with QM.setActivationKey on a real XML-RPC
 * peer that restarts, read back, drift, resume after a failed install, and a crash between
 * conversion and install.
 */
const OLD_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';

describe('QueueMetrics through the CLI', () => {
  let loway: LowaySimulator;
  let qm: QmSimulator;
  const home = tempDir();
  const { run } = cliSession(home);

  beforeAll(async () => {
    loway = await startLowaySimulator();
    qm = await startQmSimulator({ key: OLD_KEY, restartMs: 600 });
    expect((await run(['client', 'add', 'Acme', '--email', 'ops@acme.test'])).code).toBe(0);
    expect((await run(['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', loway.url, '--email', 'keys@reseller.test'])).code).toBe(0);
    const add = await run(['instance', 'add', 'qm-acme', '--kind', 'queuemetrics', '--url', qm.baseUrl, '--client', 'Acme', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n');
    expect(add.code, add.stderr).toBe(0);
  });
  afterAll(async () => {
    await loway.close();
    await qm.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('adds PPKs, skipping duplicates and rejecting malformed ones with the reason', async () => {
    const file = `${home}/ppks.txt`;
    fs.writeFileSync(file, ['XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90', '  XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365  ', '', 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90', 'XQI-LOWAY-BBBB:QM-ten/1/90', 'XQI-LOWAY-CCCCCCCCCCCC3:QM-10/1/30'].join('\n'));
    const r = await run(['ppk', 'add', '--file', file]);
    expect(r.code).toBe(0);
    expect(r.json.added).toBe(3);
    expect(r.json.skipped).toBe(1);
    expect(r.json.rejected).toEqual([{ ppk: 'XQI-LOWAY-BBBB:QM-ten/1/90', reason: expect.stringMatching(/agents/) }]);
    const again = await run(['ppk', 'add', 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90']);
    expect(again.json).toMatchObject({ added: 0, skipped: 1 });
    const list = await run(['ppk', 'list']);
    expect(list.json.ppks).toContainEqual(expect.objectContaining({ ppk: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90', product: 'QM', agents: 50, servers: 1, days: 90, state: 'in-stock' }));
  });

  it('groups the stock by product, size and duration, with a low-stock threshold per group', async () => {
    const stock = await run(['ppk', 'list', '--stock']);
    expect(stock.json.groups.map((g: { key: string; inStock: number; low: boolean }) => [g.key, g.inStock, g.low])).toEqual([
      ['QM-10/1/30', 1, true],
      ['QM-50/1/90', 1, true],
      ['QM-50/1/365', 1, true],
    ]);
    const set = await run(['ppk', 'threshold', 'QM-50/1/365', '0']);
    expect(set.json.group).toMatchObject({ key: 'QM-50/1/365', threshold: 0, low: false });
    const unknown = await run(['ppk', 'threshold', 'QM-9/9/9', '1']);
    expect(unknown.code).toBe(2);
    const reminders = await run(['reminders', '--dry-run']);
    expect(reminders.json.lowStock.map((l: { group: string }) => l.group).sort()).toEqual(['QM-10/1/30', 'QM-50/1/90']);
  });

  it('activates a PPK on the instance: converts, installs, waits for the restart, verifies', async () => {
    const r = await run(['ppk', 'activate', 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90', '--instance', 'qm-acme']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ installed: true, verified: true });
    const key = loway.conversions.get('XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90')!.key;
    expect(r.json.license).toMatchObject({ key, instance: 'qm-acme', client: 'Acme', vendor: 'queuemetrics', status: 'active', daysLeft: expect.any(Number) });
    expect(r.json.license.expiresAt).toBe(loway.conversions.get('XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90')!.expires);
    // The end-user defaulted to the client name, the e-mail to the key source's default.
    expect(loway.requests.at(-1)).toEqual({ enduser: 'Acme', email: 'keys@reseller.test', id: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90' });
    await qm.sync();
    expect(qm.events.some((e) => e.type === 'restarting')).toBe(true);
    expect(qm.events.filter((e) => e.outcome === 'set').map((e) => e.newKey)).toEqual([key]);

    const check = await run(['instance', 'check', 'qm-acme']);
    expect(check.code).toBe(0);
    // The same words as instance list: null when the instance runs the recorded key.
    expect(check.json.instance.drift).toBeNull();
    expect(check.json.license).toMatchObject({ key, expiresAt: r.json.license.expiresAt });

    const ppks = await run(['ppk', 'list']);
    expect(ppks.json.ppks.find((p: { ppk: string }) => p.ppk === 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90')).toMatchObject({ state: 'installed', instance: 'qm-acme' });
    const history = await run(['history', '--instance', 'qm-acme']);
    expect(history.json.events.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['qm.install:started', 'qm.install:ok', 'instance.check:ok']),
    );
  });

  it('refuses to spend a PPK whose key would expire earlier than the installed one, unless confirmed', async () => {
    const requestsBefore = loway.requests.length;
    const r = await run(['ppk', 'activate', 'XQI-LOWAY-CCCCCCCCCCCC3:QM-10/1/30', '--instance', 'qm-acme']);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('NEEDS_CONFIRMATION');
    expect(r.json.error.message).toMatch(/expires on .* earlier than the installed one/);
    expect(r.json.error.message).toMatch(/10 agents, fewer than the installed one \(50\)/);
    expect(loway.requests.length).toBe(requestsBefore);
    const ppks = await run(['ppk', 'list']);
    expect(ppks.json.ppks.find((p: { ppk: string }) => p.ppk === 'XQI-LOWAY-CCCCCCCCCCCC3:QM-10/1/30').state).toBe('in-stock');
  });

  it('flags drift when the instance runs a key Keyfleet did not install', async () => {
    await qm.setKey(OLD_KEY);
    const check = await run(['instance', 'check', 'qm-acme']);
    expect(check.json.instance.drift).toBe('differs');
    const list = await run(['instance', 'list']);
    expect(list.json.instances[0].drift).toBe('differs');
  });

  it('keeps the converted key when the install fails, and installs it later without spending another PPK', async () => {
    await qm.setMode('http401');
    const r = await run(['ppk', 'activate', 'XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365', '--instance', 'qm-acme']);
    // The reachability check runs first: nothing is spent on an instance that refuses us.
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('AUTH');
    expect(r.json.error.message).toMatch(/qm-acme.*nothing was spent/);
    expect(loway.conversions.has('XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365')).toBe(false);

    // Now the instance answers the check but never comes back after the restart.
    await qm.setMode('ok');
    await qm.setRestartMs(-1);
    const failed = await run(['ppk', 'activate', 'XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365', '--instance', 'qm-acme', '--timeout-s', '5']);
    expect(failed.code).toBe(1);
    expect(failed.json.error.code).toBe('TIMEOUT');
    const key = loway.conversions.get('XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365')!.key;
    const licenses = await run(['licenses']);
    const stored = licenses.json.licenses.find((l: { key: string }) => l.key === key);
    expect(stored).toBeTruthy();
    // A CLI user is told the command that resumes, not the app's button.
    expect(failed.json.error.message).toContain(`keyfleet ppk install ${stored.id} --instance qm-acme`);
    expect(failed.json.error.message).not.toMatch(/Install stored key/);
    const ppks = await run(['ppk', 'list']);
    expect(ppks.json.ppks.find((p: { ppk: string }) => p.ppk === 'XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365').state).toBe('converted');

    // An operator starts the instance again; the key it was sent did not take.
    await qm.setRestartMs(300);
    await qm.bringUp(false);
    await qm.waitForEvent('up', qm.events.length, 10_000).catch(() => undefined);
    const conversionsBefore = loway.requests.length;
    const resumed = await run(['ppk', 'install', 'XQI-LOWAY-AAAAAAAAAAAA2:QM-50/1/365', '--instance', 'qm-acme']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json).toMatchObject({ installed: true, verified: true, license: { key } });
    expect(loway.requests.length).toBe(conversionsBefore);
  });

  it('never writes the instance password into the data directory', () => {
    for (const f of readTree(home)) expect(f.text, f.file).not.toContain('ku-secret');
  });
});

describe('QueueMetrics: a crash between conversion and install', () => {
  it('keeps the key: after a SIGKILL during the install the key is stored and the PPK is not offered again', async () => {
    const home = tempDir();
    const loway = await startLowaySimulator();
    const qm = await startQmSimulator({ key: OLD_KEY, restartMs: -1 });
    try {
      const run = (args: string[], stdin?: string, onSpawn?: (pid: number) => void) => runCli([...args, '--json'], { home, ...(stdin ? { stdin } : {}), ...(onSpawn ? { onSpawn } : {}) });
      await run(['client', 'add', 'Beta']);
      await run(['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', loway.url, '--email', 'k@r.test']);
      await run(['instance', 'add', 'qm-beta', '--kind', 'queuemetrics', '--url', qm.baseUrl, '--client', 'Beta', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n');
      await run(['ppk', 'add', 'XQI-LOWAY-CRASH0000001:QM-20/1/30', 'XQI-LOWAY-SPARE0000002:QM-20/1/30']);

      let pid = 0;
      const pending = run(['ppk', 'activate', 'XQI-LOWAY-CRASH0000001:QM-20/1/30', '--instance', 'qm-beta'], undefined, (p) => (pid = p));
      // The instance goes down as soon as the key is set: the CLI is now waiting for it.
      await qm.waitForEvent('restarting', 0, 20_000);
      process.kill(pid, 'SIGKILL');
      const killed = await pending;
      expect(killed.signal).toBe('SIGKILL');

      const key = loway.conversions.get('XQI-LOWAY-CRASH0000001:QM-20/1/30')!.key;
      const licenses = await run(['licenses']);
      expect(licenses.code).toBe(0);
      expect(licenses.json.licenses.map((l: { key: string }) => l.key)).toContain(key);
      const ppks = await run(['ppk', 'list']);
      const crashed = ppks.json.ppks.find((p: { ppk: string }) => p.ppk === 'XQI-LOWAY-CRASH0000001:QM-20/1/30');
      expect(crashed.state).toBe('converted');
      // A new activation with no PPK named takes the spare one, not the converted one.
      await qm.setRestartMs(200);
      await qm.bringUp(false);
      const next = await run(['ppk', 'activate', '--instance', 'qm-beta', '--yes']);
      expect(next.code, next.stderr).toBe(0);
      expect(next.json.ppk).toBe('XQI-LOWAY-SPARE0000002:QM-20/1/30');
    } finally {
      await loway.close();
      await qm.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('QueueMetrics: bulk activation', () => {
  it('activates PPKs on several instances in one action, one distinct PPK each, every key stored and verified', async () => {
    const home = tempDir();
    const loway = await startLowaySimulator();
    const sims = await Promise.all([0, 1, 2].map(() => startQmSimulator({ key: OLD_KEY, restartMs: 300 })));
    try {
      const { run } = cliSession(home);
      await run(['client', 'add', 'Gamma', '--email', 'g@gamma.test']);
      await run(['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', loway.url]);
      await run(['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n');
      for (const [i, sim] of sims.entries()) {
        const r = await run(['instance', 'add', `qm-${i}`, '--kind', 'queuemetrics', '--url', sim.baseUrl, '--client', 'Gamma', '--credential', 'ku']);
        expect(r.code, r.stderr).toBe(0);
      }
      const creds = await run(['credential', 'list']);
      expect(creds.json.credentials).toEqual([expect.objectContaining({ name: 'ku', user: 'keyupdater', instances: 3 })]);
      expect((await runCli(['credential', 'list'], { home })).stdout).toMatch(/^ku\s+keyupdater\s+3\s+cr_/m);
      await run(['ppk', 'add', 'XQI-LOWAY-BULK00000001:QM-10/1/30', 'XQI-LOWAY-BULK00000002:QM-10/1/30', 'XQI-LOWAY-BULK00000003:QM-10/1/30', 'XQI-LOWAY-BULK00000004:QM-10/1/30']);
      const r = await run(['ppk', 'activate-many', '--instance', 'qm-0', '--instance', 'qm-1', '--instance', 'qm-2=XQI-LOWAY-BULK00000004:QM-10/1/30']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ ok: 3, failed: 0, cancelled: false });
      const used = r.json.results.map((x: { ppk: string }) => x.ppk);
      expect(new Set(used).size).toBe(3);
      expect(used[2]).toBe('XQI-LOWAY-BULK00000004:QM-10/1/30');
      for (const x of r.json.results) expect(x).toMatchObject({ ok: true, verified: true });
      for (const [i, sim] of sims.entries()) {
        await sim.sync();
        const set = sim.events.filter((e) => e.outcome === 'set').map((e) => e.newKey);
        expect(set, `qm-${i}`).toEqual([loway.conversions.get(used[i])!.key]);
      }
      const stock = await run(['ppk', 'list']);
      expect(stock.json.ppks.filter((p: { state: string }) => p.state === 'in-stock').map((p: { ppk: string }) => p.ppk)).toEqual(['XQI-LOWAY-BULK00000003:QM-10/1/30']);
    } finally {
      await loway.close();
      await Promise.all(sims.map((s) => s.close()));
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
