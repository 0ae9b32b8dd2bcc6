// Long by design: one subject, the QueueMetrics client against the Python XML-RPC peer, started once for the whole file.
import { describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../../electron/core/net/http.ts';
import {
  QueueMetricsClient,
  classifyQmFault,
  findKeyInResponse,
  maskKey,
  qmBlocks,
  queueMetricsXmlRpcUrl,
  type QmInstallProgress,
} from '../../../electron/core/vendors/queuemetrics/client.ts';
import { queueMetricsBaseUrl } from '../../../electron/core/vendors/queuemetrics/url.ts';
import { startQmSimulator } from './simulator.ts';
import { closedAfterEach, startHttpServer, sendText } from '../../helpers/servers.ts';
import { rejection } from '../../helpers/errors.ts';
import { closedPort } from '../../helpers/closed-port.ts';

const http = new NodeHttpTransport();
const OLD_KEY = '5231317C-5232476E-11111111-22222222-33333333-44444444-307C';
const NEW_KEY = '7A1B2C3D-4E5F6071-82939A4B-5C6D7E8F-90A1B2C3-D4E5F607-99AA';
const KU = { user: 'keyupdater', secret: 'ku-secret' };

describe('QueueMetrics adapters', () => {
  it('builds the XML-RPC endpoint from what the user typed', () => {
    expect(queueMetricsXmlRpcUrl('http://qm.example:8080/queuemetrics')).toBe('http://qm.example:8080/queuemetrics/xmlrpc.do');
    expect(queueMetricsXmlRpcUrl('http://qm.example:8080/queuemetrics/')).toBe('http://qm.example:8080/queuemetrics/xmlrpc.do');
    expect(queueMetricsXmlRpcUrl('https://qm.example/qm130/xmlrpc.do')).toBe('https://qm.example/qm130/xmlrpc.do');
    expect(queueMetricsXmlRpcUrl('https://qm.example')).toBe('https://qm.example/queuemetrics/xmlrpc.do');
    expect(queueMetricsXmlRpcUrl(' qm.example ')).toBe('http://qm.example:8080/queuemetrics/xmlrpc.do');
    expect(() => queueMetricsXmlRpcUrl('ftp://qm.example')).toThrow(/must start with https:\/\/ or http:\/\//);
  });

  it('writes a bare host or host:port out as the client reads it, and leaves a URL with a scheme as typed', () => {
    expect(queueMetricsBaseUrl('qm.example')).toBe('http://qm.example:8080/queuemetrics');
    expect(queueMetricsBaseUrl(' qm.example:18082 ')).toBe('http://qm.example:18082/queuemetrics');
    expect(queueMetricsBaseUrl('qm.example:18082/qm2/')).toBe('http://qm.example:18082/qm2');
    expect(queueMetricsBaseUrl('https://qm.example')).toBe('https://qm.example');
    for (const typed of ['qm.example:18082', 'http://qm.example:18082', 'HTTP://QM.example:18082/queuemetrics/', 'http://qm.example:18082/queuemetrics/xmlrpc.do']) {
      expect(queueMetricsXmlRpcUrl(queueMetricsBaseUrl(typed)), typed).toBe('http://qm.example:18082/queuemetrics/xmlrpc.do');
    }
  });

  it('finds the key in the result block, tolerating other shapes', () => {
    const blocks = {
      result: [
        ['Status', 'OK'],
        ['Message', 'Current configuration key is installed'],
        ['Licensee', 'ACME_Call_Centre_Srl_Milano'],
        ['Key', OLD_KEY],
      ],
      other: [['Key', `${NEW_KEY}-LONGER-THAN-THE-REAL-ONE`]],
    };
    expect(findKeyInResponse(blocks)).toBe(OLD_KEY);
    expect(findKeyInResponse({ result: [['Status', 'OK'], ['Key', '']] })).toBeNull();
    expect(findKeyInResponse({ result: [['OK', OLD_KEY]] })).toBe(OLD_KEY); // unlabelled: longest key-shaped cell
    expect(findKeyInResponse({ result: ['Key', OLD_KEY] })).toBe(OLD_KEY); // a flat row
    expect(findKeyInResponse({ result: { Key: OLD_KEY } })).toBe(OLD_KEY); // a struct block
    expect(findKeyInResponse({ stuff: [['Key', OLD_KEY]] })).toBe(OLD_KEY); // no result block
    expect(findKeyInResponse(OLD_KEY)).toBe(OLD_KEY); // a bare string
    expect(findKeyInResponse(null)).toBeNull();
    expect(qmBlocks([['a', 1]])).toEqual({ result: [['a', '1']] });
  });

  it('classifies authentication faults and masks keys', () => {
    expect(classifyQmFault("Authentication failed: invalid login or password for user 'x'").code).toBe('AUTH');
    expect(classifyQmFault("User 'robot' does not hold the security key KEYUPDATE").code).toBe('DENIED');
    expect(classifyQmFault('java.lang.NullPointerException').code).toBe('VENDOR_REFUSED');
    expect(maskKey(OLD_KEY)).toBe('5231317C…307C');
    expect(maskKey('short')).toBe('…hort');
  });
});

describe('QueueMetricsClient against the Python QueueMetrics peer', () => {
  const closeLater = closedAfterEach();

  const client = (baseUrl: string, o: Partial<ConstructorParameters<typeof QueueMetricsClient>[0]> = {}) =>
    new QueueMetricsClient({ http, baseUrl, timeoutMs: 3000, ...KU, ...o });

  it('reads the current key', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY }));
    const out = await client(sim.baseUrl).readKey();
    expect(out.key).toBe(OLD_KEY);
    expect(Object.keys(out.blocks)[0]).toBe('result');
    expect(out.blocks.result).toContainEqual(['Key', OLD_KEY]);
    await sim.sync();
    expect(sim.events).toEqual([{ type: 'call', method: 'QM.setActivationKey', login: 'keyupdater', outcome: 'query' }]);
  });

  it('accepts the endpoint URL itself and reports an instance with no key as null', async () => {
    const sim = closeLater(await startQmSimulator({ key: '' }));
    expect((await client(sim.xmlrpcUrl).readKey()).key).toBeNull();
  });

  it('sets a key, waits through the restart window and verifies it', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: 800 }));
    const progress: QmInstallProgress[] = [];
    const out = await client(sim.baseUrl).installAndVerify(NEW_KEY, { timeoutMs: 10_000, onProgress: (p) => progress.push(p) });
    expect(out.verified).toBe(true);
    expect(out.attempts).toBeGreaterThanOrEqual(2); // the first read-back falls in the restart window
    expect(out.elapsedMs).toBeGreaterThanOrEqual(800);
    await sim.sync();
    const seen = sim.events.map((e) => (e.type === 'call' ? e.outcome : e.type));
    expect(seen.slice(0, 2)).toEqual(['set', 'restarting']); // connections during the window are refused, not served
    expect(seen).toEqual(expect.arrayContaining(['up', 'query']));
    expect(sim.events.find((e) => e.outcome === 'set')?.newKey).toBe(NEW_KEY);
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('installing');
    expect(phases).toContain('waiting-restart');
    expect(phases.at(-1)).toBe('verified');
    expect(progress.some((p) => p.phase === 'waiting-restart' && /not back yet \(connection refused/.test(p.message))).toBe(true);
    expect((await client(sim.baseUrl).readKey()).key).toBe(NEW_KEY);
  });

  it('tolerates 503s while the webapp loads after the restart', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: 200, startingMs: 700 }));
    const progress: QmInstallProgress[] = [];
    const out = await client(sim.baseUrl).installAndVerify(NEW_KEY, { timeoutMs: 10_000, onProgress: (p) => progress.push(p) });
    expect(out.verified).toBe(true);
    expect(progress.some((p) => /HTTP 503/.test(p.message))).toBe(true);
  });

  it('setKey alone sends the key; any non-fault answer is success', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: 100 }));
    await client(sim.baseUrl).setKey(`  ${NEW_KEY}\n`);
    await sim.sync();
    expect(sim.events[0]).toMatchObject({ outcome: 'set', newKey: NEW_KEY });
    await sim.waitForEvent('up');
  });

  it('refuses a malformed key before sending anything', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY }));
    const c = client(sim.baseUrl);
    expect(await rejection(c.setKey('ABC DEF GHI JKL MNO PQR STU'))).toMatchObject({ code: 'BAD_INPUT', message: 'license key contains spaces' });
    expect(await rejection(c.setKey('5231317C\n5232476E-11111111-22222222'))).toMatchObject({ message: 'license key must be written on one line' });
    expect(await rejection(c.setKey('SHORT-KEY'))).toMatchObject({ message: 'license key is 9 characters long; expected 20–400' });
    expect(await rejection(c.installAndVerify('A'.repeat(401)))).toMatchObject({ code: 'BAD_INPUT' });
    await sim.sync();
    expect(sim.events).toHaveLength(0);
  });

  it('a wrong password is AUTH and the password is not echoed', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY }));
    const e = await rejection(client(sim.baseUrl, { secret: 'wrong-password' }).readKey());
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain("Authentication failed: invalid login or password for user 'keyupdater'");
    expect(e.message).toContain('ROBOT and KEYUPDATE');
    expect(JSON.stringify(e.toInfo())).not.toContain('wrong-password');
  });

  it('a user without KEYUPDATE is DENIED with the ROBOT/KEYUPDATE hint', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY }));
    const e = await rejection(client(sim.baseUrl, { user: 'robot', secret: 'robot-secret' }).installAndVerify(NEW_KEY, { timeoutMs: 5000 }));
    expect(e.code).toBe('DENIED');
    expect(e.message).toMatch(/does not hold the security key KEYUPDATE.*needs the security keys ROBOT and KEYUPDATE.*'keyupdater' user/);
    await sim.sync();
    expect(sim.events.filter((x) => x.type === 'restarting')).toHaveLength(0);
  });

  it('a disabled keyupdater is AUTH with the hint to enable it', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY }));
    const e = await rejection(client(sim.baseUrl, { user: 'sleeper', secret: 'sleeper-secret' }).readKey());
    expect(e.code).toBe('AUTH');
    expect(e.message).toMatch(/is disabled.*disabled by default: enable it/);
  });

  it('an HTTP 401 HTML page is AUTH, not "Unknown XML-RPC tag"', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, mode: 'http401' }));
    const e = await rejection(client(sim.baseUrl).readKey());
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('HTTP 401');
    expect(e.message).not.toMatch(/Unknown XML-RPC tag/);
  });

  it('HTTP 403 is DENIED, HTTP 500 is HTTP_STATUS, a wrong path names the endpoint', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, mode: 'http403' }));
    expect(await rejection(client(sim.baseUrl).readKey())).toMatchObject({ code: 'DENIED' });
    await sim.setMode('http500');
    const e500 = await rejection(client(sim.baseUrl).readKey());
    expect(e500.code).toBe('HTTP_STATUS');
    expect(e500.message).toMatch(/answered HTTP 500: .*java\.lang\.NullPointerException/);
    await sim.setMode('ok');
    const wrong = `http://127.0.0.1:${sim.port}/qm-typo`;
    const e404 = await rejection(client(wrong).readKey());
    expect(e404.code).toBe('HTTP_STATUS');
    expect(e404.message).toBe(`no XML-RPC endpoint at ${wrong}/xmlrpc.do (HTTP 404); check the QueueMetrics URL`);
  });

  it('an HTML page with status 200 or malformed XML is BAD_RESPONSE', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, mode: 'html200' }));
    const html = await rejection(client(sim.baseUrl).readKey());
    expect(html.code).toBe('BAD_RESPONSE');
    expect(html.message).toMatch(/did not answer with XML-RPC.*Please log in/);
    await sim.setMode('malformed');
    expect(await rejection(client(sim.baseUrl).readKey())).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(/Invalid XML-RPC message/) });
  });

  it('a hung instance is TIMEOUT within the endpoint deadline', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, mode: 'hang' }));
    const started = Date.now();
    const e = await rejection(client(sim.baseUrl, { timeoutMs: 300 }).readKey());
    expect(e.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a refused connection is NETWORK naming the host', async () => {
    const port = await closedPort();
    const e = await rejection(client(`http://127.0.0.1:${port}/queuemetrics`).readKey());
    expect(e.code).toBe('NETWORK');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.message).toContain('refused');
  });

  it('a restart that never completes is TIMEOUT within the given bound, saying the key was sent', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: -1 }));
    const started = Date.now();
    const e = await rejection(client(sim.baseUrl).installAndVerify(NEW_KEY, { timeoutMs: 1500 }));
    const took = Date.now() - started;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/^key 7A1B2C3D…99AA was sent to 127\.0\.0\.1:\d+ but could not be confirmed within 1\.5 s \(last error: connection refused/);
    expect(e.message).not.toContain(NEW_KEY);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(2500);
  });

  it('an instance that comes back with its old key is VENDOR_REFUSED naming the kept key (masked)', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: 800, keepOldKey: true }));
    const e = await rejection(client(sim.baseUrl).installAndVerify(NEW_KEY, { timeoutMs: 10_000 }));
    expect(e.code).toBe('VENDOR_REFUSED');
    expect(e.message).toMatch(/restarted but kept key 5231317C…307C instead of 7A1B2C3D…99AA/);
    expect(e.message).not.toContain(OLD_KEY);
  });

  it('an old key still reported after the grace period, with no restart seen, is VENDOR_REFUSED', async () => {
    // The restart is quicker than the first read-back, so the client never sees it go down.
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: 50, keepOldKey: true }));
    const started = Date.now();
    const e = await rejection(client(sim.baseUrl).installAndVerify(NEW_KEY, { timeoutMs: 2000 }));
    expect(e.code).toBe('VENDOR_REFUSED');
    expect(e.message).toMatch(/accepted key 7A1B2C3D…99AA but still runs with key 5231317C…307C 1 s later/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('AUTH during polling aborts at once', async () => {
    // Credentials that work for the set but not after the restart (the password was changed).
    let calls = 0;
    const extra = closeLater(await startHttpServer((_req, res) => {
      calls++;
      const body =
        calls === 1
          ? '<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>result</name><value><array><data></data></array></value></member></struct></value></param></params></methodResponse>'
          : '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>Invalid password for user keyupdater</string></value></member></struct></value></fault></methodResponse>';
      sendText(res, 200, body, 'text/xml');
    }));
    const started = Date.now();
    const e = await rejection(client(`${extra.url}/queuemetrics`).installAndVerify(NEW_KEY, { timeoutMs: 20_000 }));
    expect(e.code).toBe('AUTH');
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a set whose answer was lost is read back, sent again once the old key is seen, then verified', async () => {
    let current = OLD_KEY;
    const sets: string[] = [];
    const answer = (rows: string) =>
      `<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>result</name><value><array><data>${rows}</data></array></value></member></struct></value></param></params></methodResponse>`;
    const row = (a: string, b: string) => `<value><array><data><value><string>${a}</string></value><value><string>${b}</string></value></data></array></value>`;
    const extra = closeLater(await startHttpServer((req, res, body) => {
      const params = [...body.toString().matchAll(/<string>([^<]*)<\/string>|<string\/>/g)].map((m) => m[1] ?? '');
      const newKey = params[2] ?? '';
      if (newKey !== '') {
        sets.push(newKey);
        if (sets.length === 1) return req.socket.destroy(); // the first answer is lost and the key not taken
        current = newKey;
      }
      sendText(res, 200, answer(row('Status', 'OK') + row('Key', current)), 'text/xml');
    }));
    const out = await client(`${extra.url}/queuemetrics`).installAndVerify(NEW_KEY, { timeoutMs: 10_000 });
    expect(out.verified).toBe(true);
    expect(sets).toEqual([NEW_KEY, NEW_KEY]);
  });

  it('cancellation stops the wait', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, restartMs: -1 }));
    const ac = new AbortController();
    const p = client(sim.baseUrl).installAndVerify(NEW_KEY, { timeoutMs: 20_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    expect(await rejection(p)).toMatchObject({ code: 'CANCELLED' });
  });

  it('a missing login or password is refused before sending', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY }));
    expect(await rejection(client(sim.baseUrl, { user: '' }).readKey())).toMatchObject({ code: 'BAD_INPUT' });
    expect(await rejection(client(sim.baseUrl, { secret: undefined }).readKey())).toMatchObject({ code: 'SECRET_MISSING' });
    await sim.sync();
    expect(sim.events).toHaveLength(0);
  });

  it('a password with XML-special characters travels intact; an unsendable one is refused without echoing it', async () => {
    const sim = closeLater(await startQmSimulator({ key: OLD_KEY, users: [{ login: 'keyupdater', password: 'p<&]]>"w', keys: ['ROBOT', 'KEYUPDATE'] }] }));
    expect((await client(sim.baseUrl, { secret: 'p<&]]>"w' }).readKey()).key).toBe(OLD_KEY);
    const e = await rejection(client(sim.baseUrl, { secret: 'bad\u0001secret' }).readKey());
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).not.toContain('secret');
  });
});
