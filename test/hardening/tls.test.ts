import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHttpTransport, withPin } from '../../electron/core/net/http.ts';
import { LowayKeyServer } from '../../electron/core/vendors/queuemetrics/loway.ts';
import { QueueMetricsClient } from '../../electron/core/vendors/queuemetrics/client.ts';
import { ISymphonyClient } from '../../electron/core/vendors/isymphony/client.ts';
import { QlmClient } from '../../electron/core/vendors/qlm/client.ts';
import { WebitelClient } from '../../electron/core/vendors/webitel/client.ts';
import { makeSelfSignedCert, type SelfSignedCert } from '../helpers/servers.ts';
import { startTlsProxy, type TlsProxy } from '../helpers/tls-proxy.ts';
import { startLowaySimulator, type LowaySimulator } from '../vendors/queuemetrics/loway-simulator.ts';
import { startQmSimulator, type QmSimulator } from '../vendors/queuemetrics/simulator.ts';
import { startISymphonySimulator, type ISymphonySimulator } from '../vendors/isymphony/simulator.ts';
import { startQlmSimulator, type QlmSimulator } from '../vendors/qlm/simulator.ts';
import { startWebitelSimulator, type WebitelSim } from '../vendors/webitel/simulator.ts';

/**
 * Certificate pinning for every vendor client, each behind HTTPS with a self-signed
 * certificate: unpinned is refused with a message that offers pinning (and no request is
 * made), the pinned certificate is accepted, a changed certificate is refused.
 */
const http = new NodeHttpTransport();

interface Vendor {
  name: string;
  target: () => string;
  /** One read call through the client, given the proxy's base URL and the pin. */
  call: (base: string, pin: string | null) => Promise<unknown>;
}

describe('TLS pinning, every vendor client', () => {
  let loway: LowaySimulator;
  let qm: QmSimulator;
  let isym: ISymphonySimulator;
  let qlm: QlmSimulator;
  let webitel: WebitelSim;
  const first = makeSelfSignedCert();
  const second = makeSelfSignedCert();

  beforeAll(async () => {
    [loway, qm, isym, qlm, webitel] = await Promise.all([
      startLowaySimulator(),
      startQmSimulator({ key: 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555' }),
      startISymphonySimulator({ password: 'pw' }),
      startQlmSimulator({ flavor: 'v20', vendor: 'v', user: 'u', password: 'p' }),
      startWebitelSimulator({ token: 'tok-123' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([loway.close(), qm.close(), isym.close(), qlm.close(), webitel.close()]);
  });

  const vendors: Vendor[] = [
    {
      name: 'Loway key server',
      target: () => new URL(loway.url).origin,
      call: (base, pin) =>
        // The Loway client takes no pin of its own: it goes through a transport bound to one.
        new LowayKeyServer({ http: withPin(http, pin), activationUrl: `${base}${new URL(loway.url).pathname}`, retries: 0 }).convert({
          ppk: 'XQI-LOWAY-TLS000000001:QM-10/1/30',
          enduser: 'Acme',
          email: 'a@b.test',
        }),
    },
    { name: 'QueueMetrics', target: () => new URL(qm.baseUrl).origin, call: (base, pin) => new QueueMetricsClient({ http, baseUrl: `${base}/queuemetrics`, user: 'keyupdater', secret: 'ku-secret', pinSha256: pin }).readKey() },
    { name: 'iSymphony', target: () => isym.url, call: (base, pin) => new ISymphonyClient({ http, baseUrl: base, user: 'manager', secret: 'pw', pinSha256: pin }).listCoreServers() },
    {
      name: 'QLM License Server',
      target: () => new URL(qlm.baseUrl).origin,
      call: (base, pin) => new QlmClient({ http, baseUrl: `${base}${new URL(qlm.baseUrl).pathname}`, vendor: 'v', user: 'u', secret: 'p', pinSha256: pin }).ping(),
    },
    { name: 'Webitel', target: () => new URL(webitel.url).origin, call: (base, pin) => new WebitelClient({ http, baseUrl: `${base}/api`, secret: 'tok-123', pinSha256: pin }).listLicenses() },
  ];

  for (const v of vendors) {
    it(`${v.name}: unpinned refused (pinning offered), pinned accepted, changed certificate refused`, async () => {
      let proxy: TlsProxy = await startTlsProxy(v.target(), first);
      try {
        const unpinned = await v.call(proxy.url, null).catch((e: unknown) => e);
        expect(unpinned).toMatchObject({ code: 'TLS_UNTRUSTED', details: { fingerprint: first.fingerprint } });
        expect((unpinned as Error).message).toMatch(/Pin this fingerprint/);
        expect((unpinned as Error).message).toContain(first.fingerprint);
        expect(proxy.requests).toBe(0);

        await expect(v.call(proxy.url, first.fingerprint)).resolves.toBeDefined();
        expect(proxy.requests).toBeGreaterThan(0);

        // The server comes back on the same port with another certificate.
        const port = proxy.port;
        await proxy.close();
        proxy = await startTlsProxy(v.target(), second as SelfSignedCert, port);
        const changed = await v.call(proxy.url, first.fingerprint).catch((e: unknown) => e);
        expect(changed).toMatchObject({ code: 'TLS_PIN_MISMATCH', details: { fingerprint: second.fingerprint, pinned: first.fingerprint } });
        expect((changed as Error).message).toMatch(/changed/);
        expect(proxy.requests).toBe(0);
      } finally {
        await proxy.close();
      }
    });
  }
});
