import { describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../../electron/core/net/http.ts';
import { KeyfleetError } from '../../../electron/core/errors.ts';
import { LowayKeyServer, lowayTimestampToInstant, parseLowayResponse } from '../../../electron/core/vendors/queuemetrics/loway.ts';
import { startLowaySimulator } from './loway-simulator.ts';
import { closedAfterEach, startHttpServer, sendText } from '../../helpers/servers.ts';
import { rejection } from '../../helpers/errors.ts';
import { closedPort } from '../../helpers/closed-port.ts';

const http = new NodeHttpTransport();
const PPK = 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90';
const REQ = { ppk: PPK, enduser: 'ACME Call Centre & Co', email: 'ops@acme.example' };

const OK_BODY = 'S:OK\nD:2011-08-26 15:51:58\nK:5231317C-5232476E-AAAAAAAA-BBBBBBBB-307C\nI:2011-08-25 18:46:56\nX:2011-09-24\nM:R\n';
const KO_BODY = 'S:KO - Key not found U:1234\nD:2011-08-26 15:53:31\nK:n/a\nI:\nX:\nM:ERR\n';

describe('parseLowayResponse', () => {
  it("reads Loway's documented success answer", () => {
    expect(parseLowayResponse(OK_BODY)).toEqual({
      key: '5231317C-5232476E-AAAAAAAA-BBBBBBBB-307C',
      serverTime: '2011-08-26T15:51:58.000Z',
      issuedAt: '2011-08-25T18:46:56.000Z',
      expiresAt: '2011-09-24',
    });
  });

  it('tolerates CRLF, no trailing newline, a BOM and unknown extra lines', () => {
    const body = '\uFEFF' + OK_BODY.trim().replace(/\n/g, '\r\n').replace('M:R', 'Q:whatever\r\nM:R\r\nextra text');
    expect(parseLowayResponse(body).key).toBe('5231317C-5232476E-AAAAAAAA-BBBBBBBB-307C');
  });

  it("carries the server's own words on S:KO", () => {
    const e = (() => {
      try {
        parseLowayResponse(KO_BODY, 'keys.example:80');
      } catch (err) {
        return err as KeyfleetError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('VENDOR_REFUSED');
    expect(e.message).toBe('key server keys.example:80 refused: Key not found U:1234');
  });

  it('treats any status other than OK as a refusal', () => {
    expect(() => parseLowayResponse('S:ERR quota exceeded\nK:n/a\n')).toThrow(/key server refused: ERR quota exceeded/);
  });

  it.each([
    ['an empty body', '', /empty answer/],
    ['an HTML page', '<html><head><title>Hi</title></head><body>Apache</body></html>', /not answer in the key-server format.*got: Hi Apache/],
    ['garbage', 'hello world', /not answer in the key-server format/],
    ['S:OK without K', 'S:OK\nD:2011-08-26 15:51:58\nI:2011-08-25 18:46:56\nX:2011-09-24\n', /without a K: line/],
    ['S:OK with K:n/a', 'S:OK\nD:2011-08-26 15:51:58\nK:n/a\nI:2011-08-25 18:46:56\nX:2011-09-24\n', /gave no license key \(K:n\/a\)/],
    ['S:OK without X', 'S:OK\nD:2011-08-26 15:51:58\nK:5231317C-5232476E-AAAAAAAA-BBBBBBBB-307C\nI:2011-08-25 18:46:56\n', /missing X: \(expiry date\)/],
    ['a key with spaces', OK_BODY.replace('5232476E-', '5232476E '), /containing spaces/],
    ['a short key', OK_BODY.replace(/K:.*\n/, 'K:ABC-123\n'), /7-character license key; expected 20–400/],
    ['a long key', OK_BODY.replace(/K:.*\n/, `K:${'A'.repeat(401)}\n`), /401-character license key/],
    ['a bad expiry', OK_BODY.replace('X:2011-09-24', 'X:2011-13-40'), /unreadable expiry date X:2011-13-40/],
    ['a bad server time', OK_BODY.replace('D:2011-08-26 15:51:58', 'D:yesterday'), /unreadable server time D:yesterday/],
  ])('refuses %s as BAD_RESPONSE', (_name, body, message) => {
    let err: unknown;
    try {
      parseLowayResponse(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeyfleetError);
    expect((err as KeyfleetError).code).toBe('BAD_RESPONSE');
    expect((err as KeyfleetError).message).toMatch(message);
  });

  it('reads zone-less server timestamps as UTC in one place', () => {
    expect(lowayTimestampToInstant('2011-08-26 15:51:58')).toBe('2011-08-26T15:51:58.000Z');
    expect(lowayTimestampToInstant('2011-02-30 10:00:00')).toBeNull();
    expect(lowayTimestampToInstant('')).toBeNull();
  });
});

describe('LowayKeyServer against a simulated key server', () => {
  const closeLater = closedAfterEach();

  const client = (url: string, o: Partial<ConstructorParameters<typeof LowayKeyServer>[0]> = {}) =>
    new LowayKeyServer({ http, activationUrl: url, timeoutMs: 2000, retryBaseDelayMs: 10, ...o });

  it('converts a PPK: sends the three parameters and returns key, dates and skew', async () => {
    const serverClock = () => new Date(Date.now() + 3_600_000); // the key server runs an hour ahead
    const sim = closeLater(await startLowaySimulator({ now: serverClock }));
    const out = await client(sim.url).convert(REQ);
    expect(sim.requests).toEqual([{ enduser: 'ACME Call Centre & Co', email: 'ops@acme.example', id: PPK }]);
    const conv = sim.conversions.get(PPK)!;
    expect(out.key).toBe(conv.key);
    expect(out.key).toMatch(/^[0-9A-F]{8}(-[0-9A-F]{4,8})+$/);
    expect(out.issuedAt).toBe(new Date(Math.floor(conv.issued.getTime() / 1000) * 1000).toISOString());
    expect(out.expiresAt).toBe(new Date(conv.issued.getTime() + 90 * 86_400_000).toISOString().slice(0, 10));
    expect(out.attempts).toBe(1);
    // Server time is truncated to whole seconds, so the skew is an hour minus under ~2 s.
    expect(out.skewMs).toBeGreaterThan(3_600_000 - 2500);
    expect(out.skewMs).toBeLessThanOrEqual(3_600_000);
  });

  it('URL-encodes the parameters and keeps a query string already in the activation URL', async () => {
    const seen: string[] = [];
    const extra = closeLater(await startHttpServer((req, res) => {
      seen.push(req.url ?? '');
      sendText(res, 200, OK_BODY);
    }));
    await client(`${extra.url}/llm/licence_wsvc_gen.do?reseller=r1#frag`).convert(REQ);
    expect(seen).toEqual([
      '/llm/licence_wsvc_gen.do?reseller=r1&K_enduser=ACME%20Call%20Centre%20%26%20Co&K_email=ops%40acme.example&K_id=XQI-LOWAY-74KKMREX6TOH1%3AQM-50%2F1%2F90',
    ]);
  });

  it("an unknown PPK is refused with the server's text", async () => {
    const sim = closeLater(await startLowaySimulator({ unknownPpks: [PPK] }));
    const e = await rejection(client(sim.url).convert(REQ));
    expect(e.code).toBe('VENDOR_REFUSED');
    expect(e.message).toBe(`key server ${new URL(sim.url).host} refused: Key not found U:1234`);
    expect(sim.requests).toHaveLength(1); // a refusal is not retried
  });

  it('converting the same PPK again returns the same key and issue date', async () => {
    let serverNow = Date.parse('2024-05-01T09:00:00Z');
    const sim = closeLater(await startLowaySimulator({ now: () => new Date(serverNow) }));
    const c = client(sim.url);
    const a = await c.convert(REQ);
    serverNow += 5 * 60_000;
    const b = await c.convert(REQ);
    expect(a.serverTime).toBe('2024-05-01T09:00:00.000Z');
    expect(b.serverTime).toBe('2024-05-01T09:05:00.000Z');
    expect(a.issuedAt).toBe('2024-05-01T09:00:00.000Z');
    expect(a.expiresAt).toBe('2024-07-30');
    expect(b.key).toBe(a.key);
    expect(b.issuedAt).toBe(a.issuedAt);
    expect(b.expiresAt).toBe(a.expiresAt);
    expect(Date.parse(b.serverTime)).toBeGreaterThan(Date.parse(a.serverTime));
  });

  it('a hung request times out, retried a bounded number of times', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'hang' }));
    const started = Date.now();
    const e = await rejection(client(sim.url, { timeoutMs: 200, retries: 1 }).convert(REQ));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toContain(new URL(sim.url).host);
    expect(e.details).toMatchObject({ attempts: 2 });
    expect(sim.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a lost first answer is retried and gives the SAME key the server recorded', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'lose-first-answer' }));
    const out = await client(sim.url).convert(REQ);
    expect(out.attempts).toBe(2);
    expect(sim.requests).toHaveLength(2);
    expect(sim.conversions.size).toBe(1);
    expect(out.key).toBe(sim.conversions.get(PPK)!.key);
  });

  it('a connection reset every time ends in NETWORK after the bounded retries', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'reset' }));
    const e = await rejection(client(sim.url).convert(REQ));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toContain(new URL(sim.url).host);
    expect(e.message).toContain('gave up after 3 attempts');
    expect(sim.requests).toHaveLength(3);
  });

  it('HTTP 500 is retried, then reported as HTTP_STATUS', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'http500' }));
    const e = await rejection(client(sim.url, { retries: 1 }).convert(REQ));
    expect(e.code).toBe('HTTP_STATUS');
    expect(e.message).toMatch(/answered HTTP 500: HTTP Status 500 - Internal Server Error/);
    expect(sim.requests).toHaveLength(2);
  });

  it('an HTTP 404 is not retried', async () => {
    const sim = closeLater(await startLowaySimulator());
    const e = await rejection(client(sim.url.replace('licence_wsvc_gen.do', 'nope.do')).convert(REQ));
    expect(e).toMatchObject({ code: 'HTTP_STATUS', details: { status: 404, attempts: 1 } });
  });

  it('a garbage HTML body is BAD_RESPONSE and not retried', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'garbage' }));
    const e = await rejection(client(sim.url).convert(REQ));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/key server 127\.0\.0\.1:\d+ did not answer in the key-server format.*Apache is working/);
    expect(sim.requests).toHaveLength(1);
  });

  it('a 2 MB body is BODY_TOO_LARGE and not retried', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'huge' }));
    const e = await rejection(client(sim.url).convert(REQ));
    expect(e.code).toBe('BODY_TOO_LARGE');
    expect(e.message).toContain('65536');
    expect(sim.requests).toHaveLength(1);
  });

  it('an answer cut off after S:OK is retried', async () => {
    let calls = 0;
    const extra = closeLater(await startHttpServer((_req, res) => {
      calls++;
      sendText(res, 200, calls === 1 ? 'S:OK\nD:2011-08-26 15:51:58\n' : OK_BODY);
    }));
    const out = await client(`${extra.url}/llm/licence_wsvc_gen.do`).convert(REQ);
    expect(out.attempts).toBe(2);
    expect(out.key).toBe('5231317C-5232476E-AAAAAAAA-BBBBBBBB-307C');
  });

  it.each([
    ['an empty end-user', { ...REQ, enduser: '  ' }, /end-user name \(K_enduser\) is empty/],
    ['an empty e-mail', { ...REQ, email: '' }, /e-mail address \(K_email\) is empty/],
    ['a malformed e-mail', { ...REQ, email: 'ops at acme' }, /"ops at acme" is not an e-mail address/],
    // The app's forms refuse it (the API contract's e-mail rule): the key server must not get it from the CLI either.
    ['an e-mail the app refuses', { ...REQ, email: 'ops..desk@acme.example' }, /"ops\.\.desk@acme\.example" is not an e-mail address/],
    ['a malformed PPK', { ...REQ, ppk: 'XQI-LOWAY:QM-50/1/0' }, /zero days/],
  ])('refuses %s with BAD_INPUT and sends nothing', async (_name, req, message) => {
    const sim = closeLater(await startLowaySimulator());
    const e = await rejection(client(sim.url).convert(req));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });

  it('refuses a bad activation URL at construction', () => {
    expect(() => client('ftp://keys.example/x')).toThrow(/must start with https:\/\/ or http:\/\//);
    expect(() => client('not a url')).toThrow(/not a valid URL/);
  });

  it('a refused connection is NETWORK naming the host', async () => {
    const port = await closedPort();
    const e = await rejection(client(`http://127.0.0.1:${port}/llm/licence_wsvc_gen.do`, { retries: 0 }).convert(REQ));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('says whether any attempt may have reached the server: never, for connections refused on every attempt', async () => {
    const port = await closedPort();
    const refused = await rejection(client(`http://127.0.0.1:${port}/llm/licence_wsvc_gen.do`).convert(REQ));
    expect(refused.details).toMatchObject({ attempts: 3, requestSent: false });

    // The first attempt reached the server (which cut the connection), the later ones were refused.
    const sim = closeLater(await startLowaySimulator({ mode: 'reset' }));
    const url = sim.url;
    const reached = client(url, { retryBaseDelayMs: 300 }).convert(REQ);
    while (sim.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    await sim.close();
    const e = await rejection(reached);
    expect(e.message).toMatch(/refused/);
    expect(e.details).toMatchObject({ attempts: 3, requestSent: true });
  });

  it("an S:KO names the server's words in details.reason", async () => {
    const sim = closeLater(await startLowaySimulator({ unknownPpks: [PPK] }));
    const e = await rejection(client(sim.url).convert(REQ));
    expect(e.code).toBe('VENDOR_REFUSED');
    expect(e.details).toMatchObject({ reason: 'Key not found U:1234', requestSent: true });
  });

  it('cancellation during back-off stops at once', async () => {
    const sim = closeLater(await startLowaySimulator({ mode: 'reset' }));
    const ac = new AbortController();
    const p = client(sim.url, { retryBaseDelayMs: 5000 }).convert(REQ, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const e = await rejection(p);
    expect(e.code).toBe('CANCELLED');
    expect(sim.requests).toHaveLength(1);
  });
});
