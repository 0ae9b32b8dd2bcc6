import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { readTree, tempDir } from '../helpers/tmp.ts';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator, type QmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { startISymphonySimulator, type ISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startQlmSimulator, type QlmSimulator } from '../vendors/qlm/simulator.ts';
import { startWebitelSimulator, SIM_GOOD_CERTIFICATE, type WebitelSim } from '../vendors/webitel/simulator.ts';
import { handlersLoggingTo } from './logged-handlers.ts';

/**
 * A full workflow across every vendor through the real IPC handlers, then a search for every
 * stored secret in: every IPC result and error, the data directory (store, event log, key
 * receipts, calendar feed), everything logged, and every export.
 */
const suffix = Math.random().toString(36).slice(2, 8);
const SECRETS = {
  qm: `ku-secret`, // the QueueMetrics simulator's keyupdater password
  isym: `isym-Pw-${suffix}`,
  webitel: `wt-Token-${suffix}`,
  qlm: `qlm-Pwd-${suffix}`,
};

describe('secrets never leave the keychain (full workflow)', () => {
  let loway: LowaySimulator;
  let qm: QmSimulator;
  let isym: ISymphonySimulator;
  let qlm: QlmSimulator;
  let webitel: WebitelSim;
  const dir = tempDir('kf-secrets-');
  const logged: string[] = [];
  const outputs: unknown[] = [];

  beforeAll(async () => {
    [loway, qm, isym, qlm, webitel] = await Promise.all([
      startLowaySimulator(),
      startQmSimulator({ key: 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555', restartMs: 200 }),
      startISymphonySimulator({ password: SECRETS.isym }),
      startQlmSimulator({ flavor: 'asmx', vendor: 'acme', user: 'reseller', password: SECRETS.qlm }),
      startWebitelSimulator({ token: SECRETS.webitel, operatorDomainId: 1 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([loway.close(), qm.close(), isym.close(), qlm.close(), webitel.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs every workflow and finds no secret anywhere', async () => {
    const handlers = handlersLoggingTo(dir, logged);
    const events: unknown[] = [];
    const call = async (method: string, input: unknown, expectOk = true) => {
      const r = await dispatch(handlers, method, input, { emit: (name, payload) => events.push({ name, payload }) });
      outputs.push(r);
      if (expectOk) expect(r.ok, `${method}: ${JSON.stringify(r)}`).toBe(true);
      return r as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    };

    await call('addClient', { name: 'Acme', email: 'ops@acme.test' });
    await call('addCredential', { name: 'keyupdater', user: 'keyupdater', secret: SECRETS.qm });
    await call('addInstance', { name: 'qm', kind: 'queuemetrics', url: qm.baseUrl, client: 'Acme', credential: 'keyupdater' });
    await call('addInstance', { name: 'isym', kind: 'isymphony', url: isym.url, client: 'Acme', user: 'manager', secret: SECRETS.isym, coreServer: 'default' });
    await call('addInstance', { name: 'wt', kind: 'webitel', url: `${webitel.url}/api`, client: 'Acme', secret: SECRETS.webitel, domainId: '1' });
    await call('addSource', { name: 'loway', kind: 'loway-keyserver', url: loway.url, email: 'keys@reseller.test' });
    await call('addSource', { name: 'qlm', kind: 'qlm', url: qlm.baseUrl, vendor: 'acme', user: 'reseller', secret: SECRETS.qlm, productDefaults: { productId: 1, major: 1, minor: 0 } });

    // Connection tests, a good and a bad one each (errors must not echo what was typed).
    await call('testInstance', { ref: 'qm' });
    await call('testInstance', { draft: { kind: 'isymphony', url: isym.url, user: 'manager', secret: `${SECRETS.isym}-typo` } }, false);
    await call('testInstance', { draft: { kind: 'webitel', url: `${webitel.url}/api`, secret: `${SECRETS.webitel}-typo` } }, false);
    await call('qlmPing', { source: 'qlm' });

    await call('addPpks', { text: 'XQI-LOWAY-SECRET000001:QM-10/1/30\nXQI-LOWAY-SECRET000002:QM-10/1/90' });
    await call('activatePpk', { instance: 'qm', ppk: 'XQI-LOWAY-SECRET000001:QM-10/1/30', jobId: 'job-1' });
    await call('isymphonyActivate', { instance: 'isym', serial: 'BIND-SERIAL-0001' });
    await call('isymphonyModules', { instance: 'isym' }, false);
    const created = (await call('qlmCreate', { source: 'qlm', expiry: { days: 30 }, quantity: 2, client: 'Acme' })).value as { licenses: Array<{ key: string }> };
    await call('qlmUpdate', { key: created.licenses[0]!.key, productProperties: [{ category: 'calls', name: 'agents', value: { relative: 2 } }] });
    await call('qlmValidate', { key: created.licenses[0]!.key });
    await call('webitelImport', { instance: 'wt', certificate: SIM_GOOD_CERTIFICATE });
    const licenses = (await call('listLicenses', {})).value as Array<{ vendor: string; key: string }>;
    const wtLicense = licenses.find((l) => l.vendor === 'webitel')!;
    await call('webitelUsers', { instance: 'wt', licenseId: wtLicense.key });
    await call('webitelCapacity', { instance: 'wt' });
    await call('refreshInstances', { jobId: 'job-2' });
    for (const ref of ['qm', 'isym', 'wt']) await call('checkInstance', { ref });

    // Failures: a wrong stored secret must not be echoed either.
    await call('updateInstance', { ref: 'isym', patch: { secret: `${SECRETS.isym}-rotated` } });
    await call('checkInstance', { ref: 'isym' }, false);

    for (const m of ['listClients', 'listInstances', 'listCredentials', 'listSources', 'listPpks', 'ppkStock', 'getDashboard', 'getSettings', 'getAppInfo', 'exportCalendar']) await call(m, {});
    await call('listHistory', {});
    await call('dueReminders', { dryRun: true });
    for (const format of ['csv', 'json']) {
      await call('exportLicenses', { format });
      await call('exportHistory', { format });
    }
    outputs.push(events);

    const haystacks: Array<{ where: string; text: string }> = [
      { where: 'IPC results and events', text: JSON.stringify(outputs) },
      { where: 'logs', text: logged.join('\n') },
      ...readTree(dir).map((f) => ({ where: f.file, text: f.text })),
    ];
    expect(haystacks.find((h) => h.where.endsWith('keys.jsonl'))).toBeTruthy();
    expect(haystacks.find((h) => h.where.endsWith('events.jsonl'))).toBeTruthy();
    for (const [name, secret] of Object.entries(SECRETS)) {
      const variants = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`manager:${secret}`).toString('base64')];
      for (const h of haystacks) for (const v of variants) expect(h.text.includes(v), `${name} secret found in ${h.where}`).toBe(false);
    }
    // The workflows did run: keys from every vendor are stored.
    expect(new Set(licenses.map((l) => l.vendor))).toEqual(new Set(['queuemetrics', 'isymphony', 'qlm', 'webitel']));
  }, 120_000);
});
