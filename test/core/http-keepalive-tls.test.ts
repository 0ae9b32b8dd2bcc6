import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { NodeHttpTransport, type HttpRequest } from '../../electron/core/net/http.ts';
import { makeSelfSignedCert, sendText, startHttpsServer } from '../helpers/servers.ts';
import { paths, trackedServer, type TrackedServer } from '../helpers/tracked-server.ts';

/** Keep-alive over TLS: a pooled connection is reused only under the trust (pin or system CAs) it was opened with. */
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
