import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { serversForBlock } from '../helpers/block-servers.ts';
import { startQmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { startISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startWebitelSimulator } from '../vendors/webitel/simulator.ts';

/** `keyfleet onboard` as a user runs it, against the simulators on loopback and the real keychain. */
const SECRET = 'Onb0ard-cli-secret';
const USER = 'onboard';
const KEY = 'ONBC0001-ONBC0002-ONBC0003-ONBC0004-ONBC0005-ONBC0006';

describe('keyfleet onboard', () => {
  const sims = serversForBlock({
    qm: () => startQmSimulator({ key: KEY, users: [{ login: USER, password: SECRET, keys: ['ROBOT', 'KEYUPDATE'] }] }),
    isym: () => startISymphonySimulator({ user: USER, password: SECRET }),
    webitel: () => startWebitelSimulator({ token: SECRET }),
  });
  const homes: string[] = [];
  const home = () => {
    const h = tempDir();
    homes.push(h);
    return h;
  };

  afterAll(() => {
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('brings an iSymphony host and a Webitel server in with nothing left unknown: exit 0, progress on stderr', async () => {
    const h = home();
    const stdin = `${SECRET}\n${sims.isym.url}/communication_manager\nwebitel ${sims.webitel.url}\n`;
    const r = await runCli(['onboard', '--urls', '-', '--client', 'Acme', '--user', USER, '--secret-stdin'], { home: h, stdin });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('Test connections: 2/2');
    expect(r.stderr).toContain('Read licenses: 2/2');
    expect(r.stdout).toContain('nothing is unknown');
    expect(r.stdout + r.stderr).not.toContain(SECRET);

    const status = await runCli(['onboard', 'status', '--json'], { home: h });
    expect(status.code, status.stdout).toBe(0);
    expect(status.json).toMatchObject({ finished: true, unknowns: [], adoptPending: null });
    expect(status.json.steps.every((s: { done: boolean }) => s.done)).toBe(true);

    const list = await runCli(['instance', 'list', '--json'], { home: h });
    const names = list.json.instances.map((i: { name: string }) => i.name).sort();
    // The iSymphony host took the bare host name, then became one instance per core server.
    expect(names).toEqual(['127.0.0.1/acme', '127.0.0.1/default', `127.0.0.1:${new URL(sims.webitel.url).port}`]);
    const licenses = await runCli(['licenses', '--json'], { home: h });
    expect(licenses.json.licenses.length).toBe(12);
    expect(licenses.json.licenses.every((l: { client: string | null }) => l.client === 'Acme')).toBe(true);
  });

  it('lists a QueueMetrics key nobody recorded with the command that adopts it: exit 1, in JSON and in text', async () => {
    const h = home();
    const urls = path.join(h, 'urls.txt');
    fs.mkdirSync(h, { recursive: true });
    fs.writeFileSync(urls, `${sims.qm.baseUrl}\n`);
    const r = await runCli(['onboard', '--urls', urls, '--client', 'Acme', '--user', USER, '--secret-stdin', '--json'], { home: h, stdin: `${SECRET}\n` });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json).toMatchObject({ finished: true, ran: ['instances', 'test', 'read', 'core-servers', 'qlm', 'adopt'] });
    expect(r.json.unknowns).toEqual([
      { kind: 'unknown-key', instance: '127.0.0.1', license: null, reason: expect.stringContaining('ONBC0001…'), command: 'keyfleet instance adopt 127.0.0.1 --expires YYYY-MM-DD --agents N --servers N' },
    ]);
    const text = await runCli(['onboard', 'status'], { home: h });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('keyfleet instance adopt 127.0.0.1 --expires YYYY-MM-DD --agents N --servers N');
  });

  it('a bad line: exit 2, the line named, nothing imported', async () => {
    const h = home();
    const stdin = `${SECRET}\n${sims.qm.baseUrl}\nhttps://pbx.example\n`;
    const r = await runCli(['onboard', '--urls', '-', '--secret-stdin', '--json'], { home: h, stdin });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('BAD_INPUT');
    expect(r.json.error.message).toContain('line 2: cannot tell what runs at https://pbx.example/: write the kind before it, e.g. "queuemetrics https://pbx.example/"');
    const list = await runCli(['instance', 'list', '--json'], { home: h });
    expect(list.json.instances).toEqual([]);
    const status = await runCli(['onboard', 'status', '--json'], { home: h });
    expect(status.json.steps.some((s: { done: boolean }) => s.done)).toBe(false);
  });

  it('the CSV import is an input too; client and user then come from its columns', async () => {
    const h = home();
    fs.mkdirSync(h, { recursive: true });
    const csv = path.join(h, 'fleet.csv');
    fs.writeFileSync(csv, `name,kind,url,client,user\ncc,webitel,${sims.webitel.url},Globex,\n`);
    const refused = await runCli(['onboard', '--csv', csv, '--client', 'Acme', '--secret-stdin'], { home: h, stdin: `${SECRET}\n` });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('in its own columns (client, user)');
    const r = await runCli(['onboard', '--csv', csv, '--secret-stdin', '--json'], { home: h, stdin: `${SECRET}\n` });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const licenses = await runCli(['licenses', '--json'], { home: h });
    expect(new Set(licenses.json.licenses.map((l: { client: string }) => l.client))).toEqual(new Set(['Globex']));
  });
});
