import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeHttpTransport, type HttpRequest } from '../../electron/core/net/http.ts';
import { sendText, startHttpServer } from '../helpers/servers.ts';
import { paths, trackedServer, type TrackedServer } from '../helpers/tracked-server.ts';

/** Keep-alive on plain HTTP: which requests share a pooled connection, and how a closed or broken one is recovered. */
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
