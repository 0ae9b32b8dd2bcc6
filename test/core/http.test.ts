import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { getEventListeners } from 'node:events';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { httpTarget } from '../../electron/core/net/http-target.ts';
import { makeSelfSignedCert, startHttpServer, startHttpsServer, sendText, type RunningServer } from '../helpers/servers.ts';

const http = new NodeHttpTransport();

describe('NodeHttpTransport', () => {
  let plain: RunningServer;
  let secure: RunningServer;
  const cert = makeSelfSignedCert();
  const seen: string[] = [];

  beforeAll(async () => {
    const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: Buffer) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/hang') return; // never answers
      if (req.url === '/big') return sendText(res, 200, 'x'.repeat(3 * 1024 * 1024));
      if (req.url === '/drip') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (req.url === '/reset') return req.socket.destroy();
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/redirect' });
        return res.end();
      }
      sendText(res, 200, `echo:${body.toString()}`);
    };
    plain = await startHttpServer(handler);
    secure = await startHttpsServer(handler, cert);
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  it('round-trips a body', async () => {
    const res = await http.request({ method: 'POST', url: `${plain.url}/x`, body: 'hello' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('echo:hello');
  });

  it('sends to the address a client split beforehand, as it would to the URL', async () => {
    const url = new URL(`${plain.url}/split?q=1`);
    const target = httpTarget(url);
    const res = await http.request({ method: 'POST', url: url.href, target, body: 'split' });
    expect(res.body.toString()).toBe('echo:split');
    expect(seen.at(-1)).toBe('POST /split?q=1 ');
  });

  it('refuses an address that is not a URL, or not http or https, split or not, sending nothing', async () => {
    const before = seen.length;
    await expect(http.request({ method: 'GET', url: 'not a url' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'not a valid URL: not a url' });
    await expect(http.request({ method: 'GET', url: 'ftp://files.example/x' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'unsupported URL scheme ftp: in ftp://files.example' });
    // The split address decides, whatever the URL beside it says.
    const split = { ...httpTarget(new URL(`${plain.url}/x`)), protocol: 'ftp:' };
    await expect(http.request({ method: 'GET', url: `${plain.url}/x`, target: split })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `unsupported URL scheme ftp: in ftp://${new URL(plain.url).host}`,
    });
    expect(seen.length).toBe(before);
  });

  it('times out a hung request with a TIMEOUT naming the host', async () => {
    await expect(http.request({ method: 'GET', url: `${plain.url}/hang`, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining(`127.0.0.1:${plain.port}`),
    });
  });

  it('times out a slow drip (the deadline covers the body)', async () => {
    await expect(http.request({ method: 'GET', url: `${plain.url}/drip`, timeoutMs: 400 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('caps the body size', async () => {
    await expect(http.request({ method: 'GET', url: `${plain.url}/big`, maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  it('reports a reset connection', async () => {
    await expect(http.request({ method: 'GET', url: `${plain.url}/reset` })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('reports a refused connection', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await expect(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('refused'),
    });
  });

  it('does not follow redirects', async () => {
    const res = await http.request({ method: 'GET', url: `${plain.url}/redirect` });
    expect(res.status).toBe(302);
  });

  it('cancels on abort', async () => {
    const ac = new AbortController();
    const p = http.request({ method: 'GET', url: `${plain.url}/hang`, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('cancels every request sharing one signal, which carries one listener however many wait on it', async () => {
    const ac = new AbortController();
    const hanging = Array.from({ length: 20 }, () => http.request({ method: 'GET', url: `${plain.url}/hang`, signal: ac.signal }));
    // Finished requests stop watching: their answers came, and aborting later must not touch them.
    const answered = await Promise.all(Array.from({ length: 5 }, (_, i) => http.request({ method: 'POST', url: `${plain.url}/x`, body: `r${i}`, signal: ac.signal })));
    expect(answered.map((r) => r.body.toString())).toEqual(['echo:r0', 'echo:r1', 'echo:r2', 'echo:r3', 'echo:r4']);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    const outcomes = await Promise.allSettled(hanging);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'answered'))).toEqual(Array(20).fill('CANCELLED'));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    // A request given the signal after it aborted is refused before anything is sent.
    await expect(http.request({ method: 'GET', url: `${plain.url}/x`, signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses an unpinned self-signed certificate and offers its fingerprint, sending nothing', async () => {
    const before = seen.length;
    const err = await http
      .request({ method: 'GET', url: `${secure.url}/secret`, headers: { authorization: 'Basic c2VjcmV0' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TLS_UNTRUSTED', details: { fingerprint: cert.fingerprint } });
    expect((err as Error).message).toContain(cert.fingerprint);
    expect(seen.length).toBe(before);
  });

  it('accepts the pinned certificate', async () => {
    const res = await http.request({ method: 'GET', url: `${secure.url}/ok`, pinSha256: cert.fingerprint });
    expect(res.status).toBe(200);
    expect(res.certSha256).toBe(cert.fingerprint);
  });

  it('refuses a changed certificate when a different one is pinned, sending nothing', async () => {
    const other = makeSelfSignedCert();
    const before = seen.length;
    await expect(
      http.request({ method: 'GET', url: `${secure.url}/ok`, pinSha256: other.fingerprint, headers: { authorization: 'Basic c2VjcmV0' } }),
    ).rejects.toMatchObject({ code: 'TLS_PIN_MISMATCH' });
    expect(seen.length).toBe(before);
  });
});
