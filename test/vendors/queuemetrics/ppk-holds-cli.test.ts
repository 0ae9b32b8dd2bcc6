import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { cliSession, runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { Journal, PPK_REQUESTS_FILE } from '../../../electron/core/store/journal.ts';
import { startLowaySimulator } from './loway-simulator.ts';
import { startQmSimulator } from './simulator.ts';
import { serversForBlock } from '../../helpers/block-servers.ts';
import { closedPort } from '../../helpers/closed-port.ts';

/**
 * What a PPK's state says, through the real `keyfleet` command against a Loway key-server
 * simulator and real QueueMetrics XML-RPC peers: a request that never left holds nothing, one
 * that may have reached the server holds the PPK (and can be released), a PPK the server refuses
 * is marked refused, and a PPK chosen from stock is named with the reason before it is spent.
 */
const OLD_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
const ZURICH = 'Zürich Contact AG';
const P1 = 'XQI-LOWAY-HOLD00000001:QM-10/1/30';
const P2 = 'XQI-LOWAY-HOLD00000002:QM-10/1/30';
const REFUSED = 'XQI-LOWAY-REFUSED00003:QM-10/1/30';
const SPARE = 'XQI-LOWAY-SPARE0000004:QM-20/1/30';

describe('PPK holds, refusals and choices', () => {
  const sims = serversForBlock({
    loway: () => startLowaySimulator(),
    refusing: () => startLowaySimulator({ unknownPpks: [REFUSED] }),
    zurich: () => startQmSimulator({ key: OLD_KEY, restartMs: 150 }),
    other: () => startQmSimulator({ key: OLD_KEY, restartMs: 150 }),
  });
  const home = tempDir();
  const { run, text, setUp } = cliSession(home);

  beforeAll(async () => {
    const down = `http://127.0.0.1:${await closedPort()}/llm/licence_wsvc_gen.do`;
    await setUp([
      [['client', 'add', ZURICH, '--email', 'it@zurich.test']],
      [['client', 'add', 'Other AG', '--email', 'it@other.test']],
      [['source', 'add', 'loway-down', '--kind', 'loway-keyserver', '--url', down, '--email', 'keys@reseller.test']],
      [['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', sims.loway.url, '--email', 'keys@reseller.test']],
      [['source', 'add', 'loway-ko', '--kind', 'loway-keyserver', '--url', sims.refusing.url, '--email', 'keys@reseller.test']],
      [['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n'],
      [['instance', 'add', 'qm-zurich', '--kind', 'queuemetrics', '--url', sims.zurich.baseUrl, '--client', ZURICH, '--credential', 'ku']],
      [['instance', 'add', 'qm-other', '--kind', 'queuemetrics', '--url', sims.other.baseUrl, '--client', 'Other AG', '--credential', 'ku']],
      [['ppk', 'add', P1, P2, REFUSED, SPARE]],
    ]);
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  const ppk = async (id: string) => (await run(['ppk', 'list'])).json.ppks.find((p: { ppk: string }) => p.ppk === id);

  it('a key server refusing connections holds nothing: the PPK stays free for anyone', async () => {
    const r = await run(['ppk', 'activate', P1, '--instance', 'qm-zurich', '--source', 'loway-down']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('NETWORK');
    expect(r.json.error.message).toMatch(/connection refused.*gave up after 3 attempts/);
    expect(await ppk(P1)).toMatchObject({ state: 'in-stock', heldFor: null });
    const log = new Journal(home, { file: PPK_REQUESTS_FILE }).read().events.map((e) => e.action);
    expect(log).toEqual(['ppk.requested', 'ppk.released']);

    // Another client's activation may spend it: no "the answer never arrived" for a request never sent.
    const elsewhere = await run(['ppk', 'activate', P1, '--instance', 'qm-other', '--source', 'loway']);
    expect(elsewhere.code, elsewhere.stdout).toBe(0);
    expect(sims.loway.conversions.get(P1)?.enduser).toBe('Other AG');
  });

  it('a request that may have reached the server holds the PPK for its end-user, says how to release it, and releases', async () => {
    sims.loway.setMode('reset');
    const lost = await run(['ppk', 'convert', P2, '--enduser', ZURICH, '--email', 'it@zurich.test', '--source', 'loway']);
    sims.loway.setMode('ok');
    expect(lost.code).toBe(1);
    expect(await ppk(P2)).toMatchObject({ state: 'in-stock', heldFor: ZURICH });
    expect((await text(['ppk', 'list'])).stdout).toContain(`held for ${ZURICH}`);

    const requests = sims.loway.requests.length;
    const wrong = await run(['ppk', 'convert', P2, '--enduser', 'Other AG', '--email', 'it@other.test', '--source', 'loway']);
    expect(wrong.code).toBe(2);
    expect(wrong.json.error.code).toBe('CONFLICT');
    expect(wrong.json.error.message).toContain(`keyfleet ppk convert ${P2} --enduser 'Zürich Contact AG' --email ADDRESS`);
    expect(wrong.json.error.message).toContain(`keyfleet ppk release ${P2}`);
    expect(sims.loway.requests.length).toBe(requests);

    const released = await run(['ppk', 'release', P2]);
    expect(released.code, released.stdout).toBe(0);
    expect(released.json.released.enduser).toBe(ZURICH);
    expect(await ppk(P2)).toMatchObject({ state: 'in-stock', heldFor: null });
    const again = await run(['ppk', 'release', P2]);
    expect(again.code).toBe(2);
    expect(again.json.error.message).toContain('is not held');
    const history = await run(['history', '--action', 'ppk.release']);
    expect(history.json.events).toEqual([expect.objectContaining({ action: 'ppk.release', target: P2, outcome: 'ok' })]);
  });

  it("a PPK the key server refuses is marked refused with the server's words and is not picked again", async () => {
    const r = await run(['ppk', 'activate', REFUSED, '--instance', 'qm-zurich', '--source', 'loway-ko']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('VENDOR_REFUSED');
    expect(r.json.error.message).toContain('Key not found U:1234');
    expect(r.json.error.message.match(/key server/g)).toHaveLength(1);
    expect(await ppk(REFUSED)).toMatchObject({ state: 'refused', refusal: { message: 'Key not found U:1234' } });
    expect((await text(['ppk', 'list'])).stdout).toMatch(/refused: Key not found U:1234/);
    const stock = await run(['ppk', 'list', '--stock']);
    expect(stock.json.groups.find((g: { key: string }) => g.key === 'QM-10/1/30')).toMatchObject({ refused: 1 });
  });

  it('ppk activate without a PPK names the one it chose and why before spending it', async () => {
    // In stock for qm-zurich: P2 (10 agents) and SPARE (20 agents); the refused one is never offered.
    const r = await text(['ppk', 'activate', '--instance', 'qm-zurich', '--source', 'loway', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stderr.split('\n');
    const chose = steps.findIndex((l) => l.startsWith(`choosing: chose ${P2} (QueueMetrics, 10 agents, 1 server, 30 days): the instance has no known license; smallest PPK in stock`));
    const converting = steps.findIndex((l) => l.startsWith('converting:'));
    expect(chose, r.stderr).toBeGreaterThanOrEqual(0);
    expect(chose).toBeLessThan(converting);
    expect(r.stdout).toContain(`PPK ${P2} (chosen: the instance has no known license; smallest PPK in stock)`);
    expect(sims.loway.conversions.has(REFUSED)).toBe(false);

    const json = await run(['ppk', 'activate', '--instance', 'qm-zurich', '--source', 'loway', '--yes']);
    expect(json.code, json.stdout).toBe(0);
    expect(json.json.chosen).toEqual({ ppk: SPARE, reason: 'smallest PPK at least as large as the current license (10 agents, 1 servers)' });
  });

  it('ppk list --stock prints the group name ppk threshold takes beside its description', async () => {
    const r = await text(['ppk', 'list', '--stock']);
    expect(r.stdout).toMatch(/^GROUP\s+DESCRIPTION\s+IN STOCK/m);
    expect(r.stdout).toMatch(/^QM-10\/1\/30\s+QueueMetrics · 10 agents · 1 server · 1 month\s+0\s+0\s+2\s+1\s+2\s+LOW$/m);
    const set = await text(['ppk', 'threshold', 'QM-10/1/30', '0']);
    expect(set.stdout).toContain('QM-10/1/30 (QueueMetrics · 10 agents · 1 server · 1 month): warn at 0 or fewer');
  });
});

describe('history: the key server clock', () => {
  it('says how far the server clock is ahead or behind, never "-N s behind"', async () => {
    const home = tempDir();
    const behind = await startLowaySimulator({ now: () => new Date(Date.now() - 5_000) });
    const ahead = await startLowaySimulator({ now: () => new Date(Date.now() + 5_000) });
    try {
      const run = (args: string[]) => runCli([...args, '--json'], { home });
      await run(['source', 'add', 'behind', '--kind', 'loway-keyserver', '--url', behind.url]);
      await run(['source', 'add', 'ahead', '--kind', 'loway-keyserver', '--url', ahead.url]);
      await run(['ppk', 'add', 'XQI-LOWAY-CLOCK0000001:QM-10/1/30', 'XQI-LOWAY-CLOCK0000002:QM-10/1/30']);
      expect((await run(['ppk', 'convert', 'XQI-LOWAY-CLOCK0000001:QM-10/1/30', '--enduser', 'Acme', '--email', 'a@a.test', '--source', 'behind'])).code).toBe(0);
      expect((await run(['ppk', 'convert', 'XQI-LOWAY-CLOCK0000002:QM-10/1/30', '--enduser', 'Acme', '--email', 'a@a.test', '--source', 'ahead'])).code).toBe(0);
      const summaries = (await run(['history', '--action', 'ppk.convert'])).json.events.map((e: { target: string; summary: string }) => [e.target, e.summary]);
      const of = (ppk: string) => summaries.find(([t]: [string]) => t === ppk)[1] as string;
      expect(of('XQI-LOWAY-CLOCK0000001:QM-10/1/30')).toMatch(/server clock [56] s behind$/);
      expect(of('XQI-LOWAY-CLOCK0000002:QM-10/1/30')).toMatch(/server clock [45] s ahead$/);
      expect(summaries.map(([, s]: [string, string]) => s).join(' ')).not.toMatch(/-\d+ s/);
    } finally {
      await Promise.all([behind.close(), ahead.close()]);
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('--help of the QueueMetrics commands says what the command guide says', () => {
  it('names the PPK format, the group names and default threshold, the URL rule and the security keys', async () => {
    const home = tempDir();
    try {
      const help = async (...words: string[]) => (await runCli([...words, '--help'], { home })).stdout;
      expect(await help('ppk', 'add')).toContain('ID:PRODUCT-AGENTS/SERVERS/DAYS');
      const threshold = await help('ppk', 'threshold');
      expect(threshold).toContain('keyfleet ppk list --stock');
      expect(threshold).toContain('2 unless changed');
      const add = await help('instance', 'add');
      expect(add).toContain('host:port or dotted host (no http://) means http://host:port/queuemetrics, port 8080 when none is given');
      expect(add).toContain('ROBOT and KEYUPDATE');
      expect(await help('ppk', 'release')).toContain('no key from it');
      expect(await help('refresh')).toContain('"drift":[{"instance","state","next"}]');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
