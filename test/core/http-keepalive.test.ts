import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { NodeHttpTransport, type HttpRequest } from '../../electron/core/net/http.ts';
import { QueueMetricsClient } from '../../electron/core/vendors/queuemetrics/client.ts';
import { ISymphonyClient } from '../../electron/core/vendors/isymphony/client.ts';
import { WebitelClient } from '../../electron/core/vendors/webitel/client.ts';
import { QlmClient } from '../../electron/core/vendors/qlm/client.ts';
import { makeSelfSignedCert, sendText, startHttpServer, startHttpsServer, type RunningServer, type SelfSignedCert } from '../helpers/servers.ts';

/** One request as the server saw it: which connection (1, 2, …) and its rank on that connection. */
interface Seen {
  path: string;
  conn: number;
  nth: number;
  connectionHeader: string | undefined;
}

/**
 * A real server that numbers its connections, so a test can tell which connection carried
 * which request. `connections` counts connections that got as far as HTTP (for HTTPS: past the
 * handshake); `tcp` counts every accepted TCP connection.
 */
interface TrackedServer {
  url: string;
  connections: number;
  tcp: number;
  seen: Seen[];
  socket(conn: number): net.Socket;
  /** Resolves when the server side of a connection has closed; fails after 2 s. */
  closed(conn: number): Promise<void>;
  close(): Promise<void>;
}

function route(req: http.IncomingMessage, res: http.ServerResponse, nth: number, conn: number): void {
  switch (req.url) {
    case '/hang':
      return; // never answers
    case '/drop-on-reuse':
      // Closes a reused connection the moment the request arrives, as a server does whose idle
      // timer fired just as the request was written; a first request on a connection is answered.
      if (nth > 1) {
        req.socket.destroy();
        return;
      }
      return sendText(res, 200, `ok:${conn}`);
    case '/drop-always':
      req.socket.destroy();
      return;
    case '/partial':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('0123456789');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    case '/partial-head':
      // Half a status line, then a reset: bytes of an answer arrived, so no retry.
      req.socket.write('HTTP/1.1 200 OK\r\nContent-Le', () => setTimeout(() => req.socket.resetAndDestroy(), 20));
      return;
    case '/big':
      return sendText(res, 200, 'x'.repeat(64 * 1024));
    case '/chunked-big': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const kb = 'y'.repeat(1024);
      res.write(kb);
      res.write(kb);
      res.end(kb);
      return;
    }
    default:
      return sendText(res, 200, `ok:${conn}`);
  }
}

/** `fixedStatus` answers every request with that status instead of routing it. */
async function trackedServer(kind: 'http' | 'https', cert?: SelfSignedCert, fixedStatus?: number): Promise<TrackedServer> {
  const ids = new WeakMap<object, { conn: number; nth: number }>();
  const sockets = new Map<number, net.Socket>();
  const state = { connections: 0, tcp: 0, seen: [] as Seen[] };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const info = ids.get(req.socket);
    if (!info) throw new Error('request on an untracked connection');
    info.nth++;
    state.seen.push({ path: req.url ?? '', conn: info.conn, nth: info.nth, connectionHeader: req.headers.connection });
    if (fixedStatus !== undefined) return sendText(res, fixedStatus, 'server error');
    route(req, res, info.nth, info.conn);
  };
  const running: RunningServer = kind === 'http' ? await startHttpServer(handler) : await startHttpsServer(handler, cert!);
  // Long enough that only the client (or the test) ever closes an idle connection.
  running.server.keepAliveTimeout = 30_000;
  running.server.on('connection', () => state.tcp++);
  running.server.on(kind === 'http' ? 'connection' : 'secureConnection', (s: net.Socket) => {
    state.connections++;
    ids.set(s, { conn: state.connections, nth: 0 });
    sockets.set(state.connections, s);
  });
  const socketOf = (conn: number): net.Socket => {
    const s = sockets.get(conn);
    if (!s) throw new Error(`no connection ${conn}`);
    return s;
  };
  return {
    url: running.url,
    get connections() {
      return state.connections;
    },
    get tcp() {
      return state.tcp;
    },
    seen: state.seen,
    socket: socketOf,
    closed(conn) {
      const s = socketOf(conn);
      return new Promise<void>((resolve, reject) => {
        if (s.closed) return resolve();
        const t = setTimeout(() => reject(new Error(`connection ${conn} still open`)), 2_000);
        s.once('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
    close: () => running.close(),
  };
}

const paths = (seen: Seen[]) => seen.map((s) => `${s.path}@${s.conn}`);

describe('NodeHttpTransport keep-alive for idempotent requests (plain HTTP)', () => {
  let srv: TrackedServer;
  let transport: NodeHttpTransport;
  const get = (p: string, extra: Partial<HttpRequest> = {}) => transport.request({ method: 'GET', url: `${srv.url}${p}`, idempotent: true, ...extra });

  beforeAll(async () => {
    transport = new NodeHttpTransport();
  });
  afterEach(async () => {
    transport.close();
    await srv?.close();
  });

  it('sends sequential idempotent requests over one connection', async () => {
    srv = await trackedServer('http');
    const a = await get('/a');
    const b = await get('/b');
    const c = await get('/c');
    expect([a.body.toString(), b.body.toString(), c.body.toString()]).toEqual(['ok:1', 'ok:1', 'ok:1']);
    expect(srv.connections).toBe(1);
    expect(srv.seen.map((s) => [s.path, s.conn, s.nth, s.connectionHeader])).toEqual([
      ['/a', 1, 1, 'keep-alive'],
      ['/b', 1, 2, 'keep-alive'],
      ['/c', 1, 3, 'keep-alive'],
    ]);
  });

  it('never puts a non-idempotent request on a pooled connection, even after an idempotent one', async () => {
    srv = await trackedServer('http');
    await get('/read');
    const post1 = await transport.request({ method: 'POST', url: `${srv.url}/activate`, body: 'k1' });
    const post2 = await transport.request({ method: 'POST', url: `${srv.url}/activate`, body: 'k2' });
    const plainGet = await transport.request({ method: 'GET', url: `${srv.url}/unmarked` });
    const readAgain = await get('/read');
    expect([post1.body.toString(), post2.body.toString(), plainGet.body.toString(), readAgain.body.toString()]).toEqual(['ok:2', 'ok:3', 'ok:4', 'ok:1']);
    expect(srv.connections).toBe(4);
    expect(srv.seen.map((s) => [s.path, s.conn, s.connectionHeader])).toEqual([
      ['/read', 1, 'keep-alive'],
      ['/activate', 2, 'close'],
      ['/activate', 3, 'close'],
      ['/unmarked', 4, 'close'],
      ['/read', 1, 'keep-alive'],
    ]);
    // The fresh connections were closed after their one exchange.
    await Promise.all([srv.closed(2), srv.closed(3), srv.closed(4)]);
  });

  it('after the server closed the idle connection, the next read succeeds on a fresh one and reaches the server once', async () => {
    srv = await trackedServer('http');
    await get('/first');
    srv.socket(1).destroy();
    // Sent in the same tick, before the client has read the close: it goes onto the dead connection.
    const res = await get('/count');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok:2');
    expect(srv.connections).toBe(2);
    expect(paths(srv.seen)).toEqual(['/first@1', '/count@2']);
  });

  it('a read the server drops on a reused connection is sent once more, on a fresh connection', async () => {
    srv = await trackedServer('http');
    await get('/first');
    const res = await get('/drop-on-reuse');
    expect(res.body.toString()).toBe('ok:2');
    expect(srv.connections).toBe(2);
    expect(srv.seen.map((s) => [s.path, s.conn, s.nth])).toEqual([
      ['/first', 1, 1],
      ['/drop-on-reuse', 1, 2],
      ['/drop-on-reuse', 2, 1],
    ]);
  });

  it('retries only once: a read dropped again on the fresh connection fails', async () => {
    srv = await trackedServer('http');
    await get('/first');
    const err = await get('/drop-always').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK', message: `${new URL(srv.url).host} closed the connection without answering`, details: { requestSent: true } });
    expect(paths(srv.seen)).toEqual(['/first@1', '/drop-always@1', '/drop-always@2']);
    expect(srv.connections).toBe(2);
  });

  it('a read whose first attempt is on a fresh connection is not retried', async () => {
    srv = await trackedServer('http');
    await expect(get('/drop-always')).rejects.toMatchObject({ code: 'NETWORK' });
    expect(paths(srv.seen)).toEqual(['/drop-always@1']);
  });

  it('does not retry a read once its answer has started', async () => {
    srv = await trackedServer('http');
    await get('/first');
    await expect(get('/partial')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('closed before the answer was complete') });
    expect(paths(srv.seen)).toEqual(['/first@1', '/partial@1']);
    expect(srv.connections).toBe(1);
  });

  it('does not retry a read after part of a status line arrived, even on a reset', async () => {
    srv = await trackedServer('http');
    await get('/first');
    await expect(get('/partial-head')).rejects.toMatchObject({ code: 'NETWORK' });
    expect(paths(srv.seen)).toEqual(['/first@1', '/partial-head@1']);
    expect(srv.connections).toBe(1);
  });

  it('a non-idempotent request after the server closed the idle connection opens a fresh one and is sent once', async () => {
    srv = await trackedServer('http');
    await get('/first');
    srv.socket(1).destroy();
    const res = await transport.request({ method: 'POST', url: `${srv.url}/create`, body: 'x' });
    expect(res.body.toString()).toBe('ok:2');
    expect(srv.connections).toBe(2);
    expect(paths(srv.seen)).toEqual(['/first@1', '/create@2']);
  });

  it('never re-sends a non-idempotent request the server dropped', async () => {
    srv = await trackedServer('http');
    await get('/first');
    const err = await transport.request({ method: 'POST', url: `${srv.url}/drop-always`, body: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK', details: { requestSent: true } });
    expect(paths(srv.seen)).toEqual(['/first@1', '/drop-always@2']);
  });

  it('a timeout on a pooled connection destroys that connection and is not retried', async () => {
    srv = await trackedServer('http');
    await get('/first');
    await expect(get('/hang', { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(paths(srv.seen)).toEqual(['/first@1', '/hang@1']);
    await srv.closed(1);
    const next = await get('/after');
    expect(next.body.toString()).toBe('ok:2');
  });

  it('a cancelled request on a pooled connection destroys that connection and is not retried', async () => {
    srv = await trackedServer('http');
    await get('/first');
    const ac = new AbortController();
    const p = get('/hang', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(paths(srv.seen)).toEqual(['/first@1', '/hang@1']);
    await srv.closed(1);
    const next = await get('/after');
    expect(next.body.toString()).toBe('ok:2');
  });

  it('a body over the limit (declared or streamed) does not return its connection to the pool', async () => {
    srv = await trackedServer('http');
    await get('/first');
    await expect(get('/big', { maxBytes: 1024 })).rejects.toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringContaining('65536 bytes') });
    await srv.closed(1);
    await expect(get('/chunked-big', { maxBytes: 1500 })).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
    await srv.closed(2);
    const next = await get('/after');
    expect(next.body.toString()).toBe('ok:3');
    expect(paths(srv.seen)).toEqual(['/first@1', '/big@1', '/chunked-big@2', '/after@3']);
  });

  it('close() drops idle pooled connections and the transport still works after', async () => {
    srv = await trackedServer('http');
    await get('/first');
    transport.close();
    await srv.closed(1);
    const next = await get('/after');
    expect(next.body.toString()).toBe('ok:2');
  });

  it('a server restarted on the same port is reached through a fresh connection', async () => {
    srv = await trackedServer('http');
    await get('/first');
    const port = new URL(srv.url).port;
    await srv.close();
    const again = await startHttpServer((_req, res) => sendText(res, 200, 'restarted'), Number(port));
    try {
      const res = await transport.request({ method: 'GET', url: `http://127.0.0.1:${port}/x`, idempotent: true });
      expect(res.body.toString()).toBe('restarted');
    } finally {
      await again.close();
    }
  });
});

describe('NodeHttpTransport keep-alive over TLS', () => {
  const cert = makeSelfSignedCert();
  const other = makeSelfSignedCert();
  let srv: TrackedServer;
  let transport: NodeHttpTransport;
  const get = (p: string, extra: Partial<HttpRequest> = {}) =>
    transport.request({ method: 'GET', url: `${srv.url}${p}`, idempotent: true, headers: { authorization: 'Basic c2VjcmV0' }, ...extra });

  beforeAll(() => {
    transport = new NodeHttpTransport();
  });
  afterEach(async () => {
    transport.close();
    await srv?.close();
  });

  it('reuses a connection under the same pin and reports the certificate on the reused one', async () => {
    srv = await trackedServer('https', cert);
    const a = await get('/a', { pinSha256: cert.fingerprint });
    // The same pin written differently is the same trust.
    const b = await get('/b', { pinSha256: cert.fingerprint.replace(/:/g, '').toLowerCase() });
    expect(a.certSha256).toBe(cert.fingerprint);
    expect(b.certSha256).toBe(cert.fingerprint);
    expect(b.body.toString()).toBe('ok:1');
    expect(srv.tcp).toBe(1);
    expect(srv.seen.map((s) => [s.path, s.conn, s.nth])).toEqual([
      ['/a', 1, 1],
      ['/b', 1, 2],
    ]);
  });

  it('never serves a request under another pin or under system trust from a pinned connection', async () => {
    srv = await trackedServer('https', cert);
    await get('/pinned', { pinSha256: cert.fingerprint });
    expect(srv.tcp).toBe(1);

    const untrusted = await get('/system').catch((e: unknown) => e);
    expect(untrusted).toMatchObject({ code: 'TLS_UNTRUSTED', details: { fingerprint: cert.fingerprint, requestSent: false } });
    expect(srv.tcp).toBe(2);

    const mismatch = await get('/other-pin', { pinSha256: other.fingerprint }).catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ code: 'TLS_PIN_MISMATCH', details: { fingerprint: cert.fingerprint, pinned: other.fingerprint, requestSent: false } });
    expect(srv.tcp).toBe(3);

    // A failed trust decision sent nothing, and the pinned connection is still there for its own pin.
    const again = await get('/pinned-again', { pinSha256: cert.fingerprint });
    expect(again.certSha256).toBe(cert.fingerprint);
    expect(srv.tcp).toBe(3);
    expect(paths(srv.seen)).toEqual(['/pinned@1', '/pinned-again@1']);
  });

  it('a pinned read the server drops on a reused connection is retried on a fresh, re-checked connection', async () => {
    srv = await trackedServer('https', cert);
    await get('/first', { pinSha256: cert.fingerprint });
    const res = await get('/drop-on-reuse', { pinSha256: cert.fingerprint });
    expect(res.body.toString()).toBe('ok:2');
    expect(res.certSha256).toBe(cert.fingerprint);
    expect(paths(srv.seen)).toEqual(['/first@1', '/drop-on-reuse@1', '/drop-on-reuse@2']);
  });

  it('a server that changed its certificate behind a pooled connection is refused on the next connection', async () => {
    srv = await trackedServer('https', cert);
    await get('/first', { pinSha256: cert.fingerprint });
    const port = new URL(srv.url).port;
    await srv.close();
    const seen: string[] = [];
    const impostor = await startHttpsServer((req, res) => {
      seen.push(req.url ?? '');
      sendText(res, 200, 'impostor');
    }, other, Number(port));
    try {
      const err = await transport
        .request({ method: 'GET', url: `https://127.0.0.1:${port}/x`, idempotent: true, pinSha256: cert.fingerprint })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TLS_PIN_MISMATCH', details: { fingerprint: other.fingerprint } });
      expect(seen).toEqual([]);
    } finally {
      await impostor.close();
    }
  });

  it('pools system-trusted connections apart from pinned ones', async () => {
    const saved = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...saved, cert.cert]);
    try {
      srv = await trackedServer('https', cert);
      const a = await get('/a');
      const b = await get('/b');
      expect(a.certSha256).toBe(cert.fingerprint);
      expect(b.certSha256).toBe(cert.fingerprint);
      expect(srv.tcp).toBe(1);
      // The system-trusted connection must not carry a request pinned to another certificate.
      await expect(get('/pinned-elsewhere', { pinSha256: other.fingerprint })).rejects.toMatchObject({ code: 'TLS_PIN_MISMATCH' });
      expect(srv.tcp).toBe(2);
      expect(paths(srv.seen)).toEqual(['/a@1', '/b@1']);
    } finally {
      tls.setDefaultCACertificates(saved);
    }
  });
});

describe('idle pooled connections do not keep a process alive', () => {
  const cert = makeSelfSignedCert();
  const httpModule = path.resolve('electron/core/net/http.ts');
  let plain: TrackedServer;
  let secure: TrackedServer;

  beforeAll(async () => {
    plain = await trackedServer('http');
    secure = await trackedServer('https', cert);
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  /** Runs a short script doing one idempotent request; resolves with ms from its answer to its exit. */
  function runOnce(url: string, pin: string | null): Promise<{ out: string; exitAfterMs: number; code: number | null }> {
    const script = `
      import { NodeHttpTransport } from ${JSON.stringify(httpModule)};
      const res = await new NodeHttpTransport().request({ method: 'GET', url: ${JSON.stringify(url)}, idempotent: true, pinSha256: ${JSON.stringify(pin)} });
      process.stdout.write(res.status + ' ' + res.body.toString() + '\\n');
    `;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let answeredAt = 0;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        answeredAt ||= Date.now();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(kill);
        if (!answeredAt) return reject(new Error(`child printed nothing (code ${code}): ${err}`));
        resolve({ out, exitAfterMs: Date.now() - answeredAt, code });
      });
    });
  }

  it('a CLI-like script exits promptly after a keep-alive request (plain HTTP and pinned TLS)', async () => {
    const [p, s] = await Promise.all([runOnce(`${plain.url}/once`, null), runOnce(`${secure.url}/once`, cert.fingerprint)]);
    expect(p.out).toBe('200 ok:1\n');
    expect(s.out).toBe('200 ok:1\n');
    expect([p.code, s.code]).toEqual([0, 0]);
    // The pooled socket idles for 4 s and the server keeps it 30 s: exiting well before that
    // means the idle connection did not hold the process.
    expect(p.exitAfterMs).toBeLessThan(1_500);
    expect(s.exitAfterMs).toBeLessThan(1_500);
    // It really was a keep-alive connection, closed only by the process going away.
    expect(plain.seen).toEqual([{ path: '/once', conn: 1, nth: 1, connectionHeader: 'keep-alive' }]);
    expect(secure.seen).toEqual([{ path: '/once', conn: 1, nth: 1, connectionHeader: 'keep-alive' }]);
    await Promise.all([plain.closed(1), secure.closed(1)]);
  });
});

describe('vendor clients send only their reads as idempotent', () => {
  // The server answers 500 to everything, so each call fails after one exchange; what matters is
  // whether the exchange came on a keep-alive connection (a read) or a fresh one (anything else).
  let srv: TrackedServer;
  let transport: NodeHttpTransport;
  const ignore = () => undefined;
  /** [request path without query, connection header] per request the server saw. */
  const exchanges = () => srv.seen.map((s) => [s.path.split('?')[0], s.connectionHeader]);

  beforeAll(async () => {
    transport = new NodeHttpTransport();
  });
  afterEach(async () => {
    transport.close();
    await srv?.close();
  });

  it('QueueMetrics: the key query is a read, setting a key is not (same XML-RPC method)', async () => {
    srv = await trackedServer('http', undefined, 500);
    const qm = new QueueMetricsClient({ http: transport, baseUrl: `${srv.url}/queuemetrics`, user: 'keyupdater', secret: 'ku-secret' });
    await qm.readKey().catch(ignore);
    await qm.setKey('ABCDEFGH-12345678-ABCDEFGH-12345678').catch(ignore);
    await qm.readKey().catch(ignore);
    expect(exchanges()).toEqual([
      ['/queuemetrics/xmlrpc.do', 'keep-alive'],
      ['/queuemetrics/xmlrpc.do', 'close'],
      ['/queuemetrics/xmlrpc.do', 'keep-alive'],
    ]);
    expect(srv.seen.map((s) => s.conn)).toEqual([1, 2, 1]);
  });

  it('iSymphony: GETs are reads, activation is not', async () => {
    srv = await trackedServer('http', undefined, 500);
    const isy = new ISymphonyClient({ http: transport, baseUrl: srv.url, user: 'manager', secret: 'pw' });
    await isy.listCoreServers().catch(ignore);
    await isy.readLicense('default').catch(ignore);
    await isy.activate('default', 'SERIAL-1', null).catch(ignore);
    expect(exchanges()).toEqual([
      ['/communication_manager/rest/config/server/coreServers', 'keep-alive'],
      ['/communication_manager/rest/config/server/coreServers/getByName/default/license', 'keep-alive'],
      ['/communication_manager/rest/config/server/coreServers/getByName/default/license/activate', 'close'],
    ]);
  });

  it('Webitel: GETs are reads, POST/PUT are not', async () => {
    srv = await trackedServer('http', undefined, 500);
    const wb = new WebitelClient({ http: transport, baseUrl: srv.url, secret: 'token' });
    await wb.listLicenses().catch(ignore);
    await wb.getCustomer().catch(ignore);
    await wb.logoutUser(12).catch(ignore);
    expect(exchanges()).toEqual([
      ['/api/license', 'keep-alive'],
      ['/api/customer', 'keep-alive'],
      ['/api/users/12/logout', 'close'],
    ]);
  });

  it('QLM: PingHttp and ValidateLicenseHttp are reads, key creation and changes are not', async () => {
    srv = await trackedServer('http', undefined, 500);
    const qlm = new QlmClient({ http: transport, baseUrl: `${srv.url}/qlmservice.asmx`, vendor: 'v', user: 'u', secret: 'p' });
    await qlm.ping().catch(ignore);
    await qlm.validateLicense('AAAAA-BBBBB-CCCCC').catch(ignore);
    await qlm.createKeys({ productId: 1, majorVersion: 5, minorVersion: 0, expiry: { days: 30 } }).catch(ignore);
    await qlm.revokeLicense('AAAAA-BBBBB-CCCCC', true).catch(ignore);
    expect(exchanges()).toEqual([
      ['/qlmservice.asmx/PingHttp', 'keep-alive'],
      ['/qlmservice.asmx/ValidateLicenseHttp', 'keep-alive'],
      ['/qlmservice.asmx/GetActivationKeyWithExpiryDate', 'close'],
      ['/qlmservice.asmx/RevokeLicenseHttp', 'close'],
    ]);
  });
});
