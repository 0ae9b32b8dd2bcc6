// Long by design: one CLI session in order (then the same over HTTPS), each command working on the fleet and the simulator state the previous ones left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { runCli, type CliRun } from '../../helpers/cli.ts';
import { makeSelfSignedCert } from '../../helpers/servers.ts';
import { readTree, tempDir } from '../../helpers/tmp.ts';
import { ISYMPHONY_REST_ROOT, startISymphonySimulator, type ISymphonySimulator } from './simulator.ts';

/**
 * iSymphony through the real `keyfleet` command against a core-server simulator: core servers,
 * reading licenses (perpetual, unlimited, several core servers on one host), activation with
 * and without the bind step, refusals, and TLS pinning of a self-signed certificate.
 */
const PASSWORD = 'manag3rpa55word';
const WRONG_PASSWORD = 'not-the-manag3r-pw';
const DENIED_TEXT = 'License activation denied: serial DENY-0000-0003 is blocked by i9';
const DEFAULT_LICENSE_PATH = `${ISYMPHONY_REST_ROOT}/getByName/default/license`;

type LicenseRow = { key: string; instance: string; vendor: string; expiresAt: string | null; limits: Record<string, unknown>; maintenanceExpiresAt: string | null; daysLeft: number | null; status: string; client: string | null };
type EventRow = { action: string; outcome: string; target: string; summary?: string; error?: { code: string; message: string } };

function cliOn(home: string, outputs: string[]) {
  return async (args: string[], stdin?: string): Promise<CliRun> => {
    const r = await runCli([...args, '--json'], { home, ...(stdin !== undefined ? { stdin } : {}) });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
}

describe('iSymphony through the CLI (HTTP)', () => {
  let sim: ISymphonySimulator;
  const home = tempDir();
  const outputs: string[] = [];
  const run = cliOn(home, outputs);
  const licensesOf = async (instance: string): Promise<LicenseRow[]> => {
    const r = await run(['licenses']);
    expect(r.code, r.stdout).toBe(0);
    return (r.json.licenses as LicenseRow[]).filter((l) => l.instance === instance);
  };
  const bindRequests = () => sim.state.requests.filter((q) => q.method === 'POST' && q.path.includes('/license/bind/'));

  beforeAll(async () => {
    sim = await startISymphonySimulator({ password: PASSWORD, deniedText: DENIED_TEXT });
    expect((await run(['client', 'add', 'Acme Telecom', '--email', 'ops@acme.test'])).code).toBe(0);
    const add = await run(['instance', 'add', 'isym-acme', '--kind', 'isymphony', '--url', sim.url, '--client', 'Acme Telecom', '--user', 'manager', '--secret-stdin', '--core-server', 'default'], `${PASSWORD}\n`);
    expect(add.code, add.stdout + add.stderr).toBe(0);
    expect(add.json.instance).toMatchObject({ name: 'isym-acme', kind: 'isymphony', id: expect.any(String) });
    const all = await run(['instance', 'add', 'isym-host', '--kind', 'isymphony', '--url', sim.url, '--client', 'Acme Telecom', '--user', 'manager', '--secret-stdin'], `${PASSWORD}\n`);
    expect(all.code, all.stdout + all.stderr).toBe(0);
    const bad = await run(['instance', 'add', 'isym-badpw', '--kind', 'isymphony', '--url', sim.url, '--user', 'manager', '--secret-stdin', '--core-server', 'default'], `${WRONG_PASSWORD}\n`);
    expect(bad.code, bad.stdout + bad.stderr).toBe(0);
    const bare = await run(['instance', 'add', 'isym-noclient', '--kind', 'isymphony', '--url', sim.url, '--user', 'manager', '--secret-stdin', '--core-server', 'acme'], `${PASSWORD}\n`);
    expect(bare.code, bare.stdout + bare.stderr).toBe(0);
  });
  afterAll(async () => {
    await sim.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists the core servers of the host with their stable slugs', async () => {
    const r = await run(['isymphony', 'servers', 'isym-acme']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.coreServers).toEqual([
      { id: '0a57b3e4-51e8-4b0c-9a43-2d5c1f0e7a11', slug: 'default', name: 'default' },
      { id: 'b7f1c2d3-0000-4aaa-8bbb-123456789abc', slug: 'acme', name: 'ACME call centre' },
    ]);
    const last = sim.state.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: ISYMPHONY_REST_ROOT, authOk: true });
  });

  it('stores the chosen core server license: perpetual as expiresAt null, -1 limits as null (unlimited)', async () => {
    const r = await run(['instance', 'check', 'isym-acme']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.license).toMatchObject({ key: 'PERP-0000-1111', expiresAt: null, daysLeft: null });
    // Only the configured core server was read.
    expect(sim.state.requests.some((q) => q.path === `${ISYMPHONY_REST_ROOT}/getByName/acme/license`)).toBe(false);

    const stored = await licensesOf('isym-acme');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      vendor: 'isymphony',
      key: 'PERP-0000-1111',
      client: 'Acme Telecom',
      expiresAt: null,
      daysLeft: null,
      status: 'active',
      maintenanceExpiresAt: '2016-04-04',
      limits: { connections: null, users: null },
    });
  });

  it('keys the instance by the core server slug, so a new configuration id after a restart changes nothing', async () => {
    sim.state.coreServers[0]!.id = '11111111-2222-4333-8444-555555555555';
    const r = await run(['instance', 'check', 'isym-acme']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.license).toMatchObject({ key: 'PERP-0000-1111', expiresAt: null });
    const stored = await licensesOf('isym-acme');
    expect(stored.map((l) => l.key)).toEqual(['PERP-0000-1111']);
  });

  it('with no core server chosen, stores every core server license of the host under the one instance', async () => {
    const r = await run(['instance', 'check', 'isym-host']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.licenses).toHaveLength(2);
    const stored = await licensesOf('isym-host');
    expect(stored.map((l) => l.key).sort()).toEqual(['PERP-0000-1111', 'SUBS-2222-3333']);
    expect(stored.find((l) => l.key === 'SUBS-2222-3333')).toMatchObject({ expiresAt: '2031-06-30', limits: { connections: 25, users: 40 }, status: 'active' });
    expect(stored.find((l) => l.key === 'PERP-0000-1111')).toMatchObject({ expiresAt: null, limits: { connections: null, users: null } });
    const list = await run(['instance', 'list']);
    expect(list.json.instances.filter((i: { name: string }) => i.name === 'isym-host')).toHaveLength(1);
  });

  it('lists module licenses with their properties (a missing properties resource is empty)', async () => {
    const r = await run(['isymphony', 'modules', 'isym-acme']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.modules).toEqual([
      { id: 'ml-core', moduleId: 'core', properties: { maxQueues: 10, recording: true } },
      { id: 'ml-crm', moduleId: 'crm', properties: {} },
    ]);
    // Two core servers and none chosen: the user must pick one.
    const ambiguous = await run(['isymphony', 'modules', 'isym-host']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.json.error.code).toBe('BAD_INPUT');
    expect(ambiguous.json.error.message).toMatch(/2 core servers \(default, acme\).*--core-server/);
  });

  it('activates a serial (204), sending the bare serial, then reads the license back and stores it', async () => {
    const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'PLAIN-1234-5678']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.outcome).toBe('activated');
    expect(r.json.license).toMatchObject({ key: 'PLAIN-1234-5678', vendor: 'isymphony', instance: 'isym-acme', expiresAt: null, limits: { connections: null, users: null } });
    const post = sim.state.requests.find((q) => q.method === 'POST' && q.path === `${DEFAULT_LICENSE_PATH}/activate`)!;
    expect(post).toMatchObject({ body: 'PLAIN-1234-5678', authOk: true });
    expect(sim.state.activations.at(-1)).toMatchObject({ serial: 'PLAIN-1234-5678', via: 'activate' });
    expect(bindRequests()).toHaveLength(0);
    // The license was read back after activating.
    const afterPost = sim.state.requests.slice(sim.state.requests.indexOf(post) + 1);
    expect(afterPost.some((q) => q.method === 'GET' && q.path === DEFAULT_LICENSE_PATH)).toBe(true);
    // The serial it replaced on that core server is no longer listed as a live license.
    expect((await licensesOf('isym-acme')).map((l) => l.key)).toEqual(['PLAIN-1234-5678']);
  });

  it('completes the bind (307) within the window, licensed-to and e-mail defaulting to the client', async () => {
    const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'BIND-AAAA-0001']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.outcome).toBe('bound');
    expect(r.json.license).toMatchObject({ key: 'BIND-AAAA-0001', instance: 'isym-acme', expiresAt: null });
    const binds = bindRequests();
    expect(binds).toHaveLength(1);
    expect(binds[0]!.path).toBe(`${DEFAULT_LICENSE_PATH}/bind/BIND-AAAA-0001`);
    expect(binds[0]!.authOk).toBe(true);
    expect(binds[0]!.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(binds[0]!.body)).toEqual({ cancel: false, licensedTo: 'Acme Telecom', email: 'ops@acme.test' });
    expect(sim.state.activations.at(-1)).toEqual({ coreServerId: sim.state.coreServers[0]!.id, serial: 'BIND-AAAA-0001', via: 'bind', licensedTo: 'Acme Telecom', email: 'ops@acme.test' });
    expect(sim.state.coreServers[0]!.license.serial).toBe('BIND-AAAA-0001');
    expect((await licensesOf('isym-acme')).map((l) => l.key)).toEqual(['BIND-AAAA-0001']);
  });

  it('sends the given licensed-to and e-mail instead of the defaults', async () => {
    const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'BIND-BBBB-0002', '--licensed-to', 'Acme Branch Office', '--email', 'branch@acme.test']);
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(bindRequests().at(-1)!.body)).toEqual({ cancel: false, licensedTo: 'Acme Branch Office', email: 'branch@acme.test' });
    expect(r.json.license.key).toBe('BIND-BBBB-0002');
    expect((await licensesOf('isym-acme')).map((l) => l.key)).toEqual(['BIND-BBBB-0002']);
  });

  it('cancels the bind when asked (cancel: true) and leaves the license as it was', async () => {
    const activationsBefore = sim.state.activations.length;
    const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'BIND-CANC-0003', '--cancel-bind']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.outcome).toBe('bind-cancelled');
    const bind = bindRequests().at(-1)!;
    expect(bind.path).toBe(`${DEFAULT_LICENSE_PATH}/bind/BIND-CANC-0003`);
    expect(JSON.parse(bind.body)).toMatchObject({ cancel: true });
    expect(sim.state.activations.length).toBe(activationsBefore);
    expect(sim.state.pendingBinds.has('BIND-CANC-0003')).toBe(false);
    expect(sim.state.coreServers[0]!.license.serial).toBe('BIND-BBBB-0002');
    expect(r.json.license.key).toBe('BIND-BBBB-0002');
    expect((await licensesOf('isym-acme')).map((l) => l.key)).toEqual(['BIND-BBBB-0002']);
  });

  it('with no client to default to and no --licensed-to/--email, releases the pending bind and changes nothing (exit 2)', async () => {
    const activationsBefore = sim.state.activations.length;
    const r = await run(['isymphony', 'activate', 'isym-noclient', '--serial', 'BIND-NOCL-0006']);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('BAD_INPUT');
    expect(r.json.error.message).toMatch(/needs a bind authorization.*licensedTo and email.*nothing was activated/);
    const bind = bindRequests().at(-1)!;
    expect(bind.path).toBe(`${ISYMPHONY_REST_ROOT}/getByName/acme/license/bind/BIND-NOCL-0006`);
    expect(JSON.parse(bind.body)).toMatchObject({ cancel: true });
    expect(sim.state.activations.length).toBe(activationsBefore);
    expect(sim.state.coreServers[1]!.license.serial).toBe('SUBS-2222-3333');
  });

  it('reports a bind the server no longer accepts (its 5 s window passed) as DENIED, saying so', async () => {
    sim.setMode({ bindWindowMs: -1 });
    try {
      const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'BIND-LATE-0005']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('DENIED');
      expect(r.json.error.message).toContain('Bind request timed out');
      expect(r.json.error.message).toMatch(/bind window of 5 s passed/);
      expect(bindRequests().at(-1)!.path).toBe(`${DEFAULT_LICENSE_PATH}/bind/BIND-LATE-0005`);
      expect(sim.state.coreServers[0]!.license.serial).toBe('BIND-BBBB-0002');
    } finally {
      sim.setMode({ bindWindowMs: null });
    }
  });

  it('reports a 403 as activation denied with the server text (exit 1, DENIED)', async () => {
    const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'DENY-0000-0003']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('DENIED');
    expect(r.json.error.message).toMatch(/activation denied/);
    expect(r.json.error.message).toContain(DENIED_TEXT);
    expect(r.json.error.message).toContain('isym-acme');
    expect(sim.state.coreServers[0]!.license.serial).toBe('BIND-BBBB-0002');
    expect((await licensesOf('isym-acme')).map((l) => l.key)).not.toContain('DENY-0000-0003');
  });

  it('reports a refused manager password as AUTH (exit 1) without echoing it', async () => {
    const before = sim.state.activations.length;
    const r = await run(['isymphony', 'activate', 'isym-badpw', '--serial', 'PLAIN-9999-0000']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('AUTH');
    expect(r.json.error.message).toMatch(/isym-badpw/);
    expect(r.json.error.message).toMatch(/manager/);
    expect(r.stdout + r.stderr).not.toContain(WRONG_PASSWORD);
    expect(sim.state.activations.length).toBe(before);
    const check = await run(['instance', 'check', 'isym-badpw']);
    expect(check.code).toBe(1);
    expect(check.json.error.code).toBe('AUTH');
  });

  it('refuses a bind Location on another host and sends nothing there', async () => {
    sim.setMode({ activation: 'foreign-bind' });
    try {
      const requestsBefore = sim.state.requests.length;
      const r = await run(['isymphony', 'activate', 'isym-acme', '--serial', 'BIND-FRGN-0004']);
      expect(r.code).toBe(1);
      expect(r.json.error.code).toBe('DENIED');
      expect(r.json.error.message).toContain(new URL(sim.foreignUrl).origin);
      expect(r.json.error.message).toMatch(/not the configured server.*nothing was sent/);
      expect(sim.state.foreignRequests).toEqual([]);
      // Only the activation itself reached the configured server: no bind, no read-back.
      expect(sim.state.requests.slice(requestsBefore).map((q) => `${q.method} ${q.path}`)).toEqual([`POST ${DEFAULT_LICENSE_PATH}/activate`]);
      expect(sim.state.coreServers[0]!.license.serial).toBe('BIND-BBBB-0002');
    } finally {
      sim.setMode({ activation: null });
    }
  });

  it('a later check of the whole host replaces the old serial, and choosing one core server retires the others', async () => {
    const r = await run(['instance', 'check', 'isym-host']);
    expect(r.code, r.stdout).toBe(0);
    expect((await licensesOf('isym-host')).map((l) => l.key).sort()).toEqual(['BIND-BBBB-0002', 'SUBS-2222-3333']);
    const update = await run(['instance', 'update', 'isym-host', '--core-server', 'acme']);
    expect(update.code, update.stdout).toBe(0);
    const narrowed = await run(['instance', 'check', 'isym-host']);
    expect(narrowed.code, narrowed.stdout).toBe(0);
    expect((await licensesOf('isym-host')).map((l) => l.key)).toEqual(['SUBS-2222-3333']);
  });

  it('records the activations in the event history of the instance', async () => {
    const r = await run(['history', '--instance', 'isym-acme']);
    expect(r.code, r.stdout).toBe(0);
    const events = (r.json.events as EventRow[]).filter((e) => e.action === 'isymphony.activate');
    expect(events.every((e) => e.target === 'isym-acme')).toBe(true);
    const outcomes = events.map((e) => e.outcome);
    expect(outcomes.filter((o) => o === 'started')).toHaveLength(7);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(3);
    expect(events.find((e) => e.outcome === 'ok' && e.summary?.startsWith('bound'))?.summary).toMatch(/perpetual/);
    const failures = events.filter((e) => e.outcome === 'failed').map((e) => e.error?.code);
    expect(failures).toEqual(['DENIED', 'DENIED', 'DENIED']);
    expect(events.find((e) => e.error?.message.includes(DENIED_TEXT))).toBeTruthy();
    expect((await run(['history', '--instance', 'isym-acme'])).json.events.some((e: EventRow) => e.action === 'instance.check' && e.outcome === 'ok')).toBe(true);
  });

  it('never writes the manager password into the data directory or the output', () => {
    for (const f of readTree(home)) {
      expect(f.text, f.file).not.toContain(PASSWORD);
      expect(f.text, f.file).not.toContain(WRONG_PASSWORD);
    }
    for (const out of outputs) {
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(WRONG_PASSWORD);
      expect(out).not.toContain(Buffer.from(`manager:${PASSWORD}`).toString('base64'));
    }
  });
});

describe('iSymphony through the CLI (HTTPS, self-signed)', () => {
  const home = tempDir();
  const outputs: string[] = [];
  const run = cliOn(home, outputs);
  const firstCert = makeSelfSignedCert();
  const secondCert = makeSelfSignedCert();
  let sim: ISymphonySimulator;

  beforeAll(async () => {
    sim = await startISymphonySimulator({ https: firstCert, password: PASSWORD });
    const add = await run(['instance', 'add', 'isym-tls', '--kind', 'isymphony', '--url', sim.url, '--user', 'manager', '--secret-stdin', '--core-server', 'acme'], `${PASSWORD}\n`);
    expect(add.code, add.stdout + add.stderr).toBe(0);
  });
  afterAll(async () => {
    await sim.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('refuses an unpinned self-signed certificate, showing its fingerprint, before sending credentials', async () => {
    expect(sim.url.startsWith('https://')).toBe(true);
    const r = await run(['instance', 'check', 'isym-tls']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('TLS_UNTRUSTED');
    expect(r.json.error.message).toContain(firstCert.fingerprint);
    expect(r.json.error.message).toContain('isym-tls');
    const servers = await run(['isymphony', 'servers', 'isym-tls']);
    expect(servers.json.error.code).toBe('TLS_UNTRUSTED');
    expect(sim.state.requests).toEqual([]);
    expect((await run(['licenses'])).json.licenses).toEqual([]);
  });

  it('works once the fingerprint is pinned', async () => {
    const pin = await run(['instance', 'update', 'isym-tls', '--pin', firstCert.fingerprint]);
    expect(pin.code, pin.stdout).toBe(0);
    const r = await run(['instance', 'check', 'isym-tls']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.license).toMatchObject({ key: 'SUBS-2222-3333', expiresAt: '2031-06-30', limits: { connections: 25, users: 40 } });
    expect(sim.state.requests.every((q) => q.authOk)).toBe(true);
    const activate = await run(['isymphony', 'activate', 'isym-tls', '--serial', 'BIND-TLS0-0001', '--licensed-to', 'TLS Customer', '--email', 'tls@customer.test']);
    expect(activate.code, activate.stdout).toBe(0);
    expect(activate.json.outcome).toBe('bound');
    expect(sim.state.activations.at(-1)).toMatchObject({ serial: 'BIND-TLS0-0001', via: 'bind', licensedTo: 'TLS Customer', email: 'tls@customer.test' });
  });

  it('refuses a changed certificate on the same address (TLS_PIN_MISMATCH) and sends nothing', async () => {
    const port = sim.port;
    await sim.close();
    sim = await startISymphonySimulator({ https: secondCert, password: PASSWORD, port });
    expect(sim.port).toBe(port);
    const r = await run(['instance', 'check', 'isym-tls']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('TLS_PIN_MISMATCH');
    expect(r.json.error.message).toContain('isym-tls');
    expect(r.json.error.message).toContain(secondCert.fingerprint);
    const activate = await run(['isymphony', 'activate', 'isym-tls', '--serial', 'PLAIN-TLS0-0002']);
    expect(activate.json.error.code).toBe('TLS_PIN_MISMATCH');
    expect(sim.state.requests).toEqual([]);
    // The license read through the trusted certificate stays stored and current.
    const stored = (await run(['licenses'])).json.licenses as LicenseRow[];
    expect(stored.map((l) => `${l.key}:${l.status}`)).toEqual(['BIND-TLS0-0001:active']);
  });

  it('never writes the manager password into the data directory or the output', () => {
    for (const f of readTree(home)) expect(f.text, f.file).not.toContain(PASSWORD);
    for (const out of outputs) expect(out).not.toContain(PASSWORD);
  });
});
