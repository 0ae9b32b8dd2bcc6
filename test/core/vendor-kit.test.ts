import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KeyfleetError } from '../../electron/core/errors.ts';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { collectPages } from '../../electron/core/net/kit/paging.ts';
import { secretRedactor } from '../../electron/core/net/kit/redact.ts';
import { VendorHttp } from '../../electron/core/net/kit/vendor-http.ts';
import { parseVendorUrl, type VendorUrlRules } from '../../electron/core/net/kit/vendor-url.ts';
import { fieldPath } from '../../electron/core/net/kit/wire-schema.ts';
import { makeSelfSignedCert, sendJson, sendText, startHttpServer, startHttpsServer, type RunningServer } from '../helpers/servers.ts';

const transport = new NodeHttpTransport();

async function failure(p: Promise<unknown>): Promise<KeyfleetError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KeyfleetError);
  return e as KeyfleetError;
}

function thrown(fn: () => unknown): KeyfleetError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    return e as KeyfleetError;
  }
  throw new Error('expected an error');
}

describe('parseVendorUrl', () => {
  const rules: VendorUrlRules = { name: 'Test URL', field: 'url', example: 'https://pbx.example/api' };

  it('completes what a person typed under each rule', () => {
    const bare = { ...rules, schemeless: true, defaultPort: { port: 8080, unless: 'scheme' as const } };
    expect(parseVendorUrl(' qm.example ', bare).url.href).toBe('http://qm.example:8080/');
    expect(parseVendorUrl('qm.example:9000/qm/', bare)).toMatchObject({ schemeTyped: false, path: '/qm' });
    expect(parseVendorUrl('qm.example:9000/qm/', bare).url.port).toBe('9000');
    expect(parseVendorUrl('https://qm.example', bare).url.href).toBe('https://qm.example/');

    const proxied = { ...rules, schemeless: true, defaultPort: { port: 58080, unless: 'path' as const } };
    expect(parseVendorUrl('https://pbx', proxied).url.href).toBe('https://pbx:58080/');
    expect(parseVendorUrl('https://pbx:443', proxied).url.href).toBe('https://pbx/');
    expect(parseVendorUrl('https://proxy/isym/', proxied)).toMatchObject({ path: '/isym' });
    expect(parseVendorUrl('https://proxy/isym/', proxied).url.port).toBe('');

    expect(parseVendorUrl('https://h/a?is_pwd=x#f', rules).url.href).toBe('https://h/a');
    expect(parseVendorUrl('https://h/a?k=1#f', { ...rules, query: 'keep' }).url.href).toBe('https://h/a?k=1');
  });

  it.each([
    ['', 'Test URL is empty'],
    ['pbx.example', 'Test URL "pbx.example" is not a valid URL (expected e.g. https://pbx.example/api)'],
    ['http://', 'Test URL "http://" is not a valid URL (expected e.g. https://pbx.example/api)'],
    ['ftp://pbx.example', 'Test URL must start with https:// or http://, got ftp://'],
  ])('refuses %j naming what is wrong', (input, message) => {
    const e = thrown(() => parseVendorUrl(input, rules));
    expect(e).toMatchObject({ code: 'BAD_INPUT', message, details: { field: 'url' } });
  });

  it('refuses credentials and a query where the vendor says so', () => {
    const strict = { ...rules, query: 'refuse' as const, credentialsBelong: 'the password belongs in the keychain' };
    expect(thrown(() => parseVendorUrl('https://u:p@pbx', strict)).message).toBe(
      'Test URL must not contain a user name or password; the password belongs in the keychain',
    );
    expect(thrown(() => parseVendorUrl('https://pbx/?a=1', strict)).message).toBe('Test URL must not have a query or fragment: pbx');
  });
});

describe('fieldPath', () => {
  it('writes a zod path as a person reads it', () => {
    expect(fieldPath(['items', 0, 'not_after'])).toBe('items[0].not_after');
    expect(fieldPath([2, 'id'])).toBe('[2].id');
    expect(fieldPath([])).toBe('(the whole answer)');
  });
});

describe('VendorHttp against a real server', () => {
  let server: RunningServer;
  let secure: RunningServer;
  const cert = makeSelfSignedCert();
  const pages: Record<string, Array<{ items: Array<{ id: string }>; next: boolean }>> = {
    good: [
      { items: [{ id: 'a' }, { id: 'b' }], next: true },
      // A row shifted onto the next page while the list was read: kept once.
      { items: [{ id: 'b' }, { id: 'c' }], next: true },
      { items: [{ id: 'd' }], next: false },
    ],
    stuck: [
      { items: [{ id: 'a' }], next: true },
      { items: [{ id: 'a' }], next: true },
    ],
  };

  beforeAll(async () => {
    const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = /^\/status\/(\d+)$/.exec(url.pathname)?.[1];
      if (status) {
        if (status.startsWith('3')) {
          res.writeHead(Number(status), { location: 'https://elsewhere.example/login' });
          return res.end();
        }
        return sendText(res, Number(status), `<html><body><h1>Status ${status}</h1> the server says why</body></html>`, 'text/html');
      }
      if (url.pathname === '/json') return sendText(res, 200, '\uFEFF{"id": 7, "name": "x"}', 'application/json');
      if (url.pathname === '/bad-field') return sendJson(res, 200, { items: [{ id: 'a' }, { id: 5 }] });
      if (url.pathname === '/not-json') return sendText(res, 200, 'Service Unavailable');
      if (url.pathname === '/empty') return sendText(res, 200, '');
      if (url.pathname === '/big') return sendText(res, 200, 'x'.repeat(4096));
      if (url.pathname === '/hang') return undefined;
      const n = Number(url.searchParams.get('page'));
      // A new page each time, always with more to come.
      if (url.pathname === '/endless') return sendJson(res, 200, { items: [{ id: `p${n}` }], next: true });
      const list = pages[url.pathname.slice(1)];
      if (list) return sendJson(res, 200, list[n - 1]);
      return sendText(res, 404, 'no such page');
    };
    server = await startHttpServer(handler);
    secure = await startHttpsServer(handler, cert);
  });
  afterAll(async () => {
    await server.close();
    await secure.close();
    transport.close();
  });

  const kit = (extra: Partial<ConstructorParameters<typeof VendorHttp>[0]> = {}) =>
    new VendorHttp({ transport, label: 'Test pbx', timeoutMs: 2_000, maxBytes: 64 * 1024, ...extra });

  it('maps each status to one error code, quoting the server in one style', async () => {
    const http = kit();
    const errorFor = async (status: number, wording?: Parameters<VendorHttp['statusError']>[2]) =>
      http.statusError(await http.send({ method: 'GET', url: `${server.url}/status/${status}` }), 'GET /thing', wording);
    const said = ': Status {s} the server says why';
    const expected: Array<[number, string, string]> = [
      [401, 'AUTH', `Test pbx: GET /thing answered HTTP 401 (the credentials were refused)${said}`],
      [403, 'DENIED', `Test pbx: GET /thing answered HTTP 403 (forbidden)${said}`],
      [404, 'HTTP_STATUS', `Test pbx: GET /thing answered HTTP 404 (not found; check the URL)${said}`],
      [409, 'HTTP_STATUS', `Test pbx: GET /thing answered HTTP 409${said}`],
      [500, 'HTTP_STATUS', `Test pbx: GET /thing answered HTTP 500${said}`],
      [302, 'HTTP_STATUS', 'Test pbx: GET /thing was redirected (302) to https://elsewhere.example/login; check the URL (https?)'],
    ];
    for (const [status, code, message] of expected) {
      expect(await errorFor(status)).toMatchObject({ code, message: message.replace('{s}', String(status)), details: { status } });
    }
    // The vendor's own wording: NOT_FOUND for a missing thing, VENDOR_REFUSED for a refusal, words placed or left out.
    expect(await errorFor(404, { missing: 'Test pbx: license L1 not found (404)' })).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Test pbx: license L1 not found (404): Status 404 the server says why',
    });
    expect(await errorFor(409, { refused: (s) => `Test pbx refused the key (${s})` })).toMatchObject({ code: 'VENDOR_REFUSED', message: 'Test pbx refused the key (409): Status 409 the server says why' });
    expect(await errorFor(401, { auth: () => 'Test pbx: password refused' })).toMatchObject({ code: 'AUTH', message: 'Test pbx: password refused' });
  });

  it('reads JSON (a byte-order mark tolerated) and names the bad field of an answer', async () => {
    const http = kit();
    const json = http.json(await http.send({ method: 'GET', url: `${server.url}/json` }), 'GET /json');
    expect(http.parse(z.object({ id: z.number(), name: z.string() }), json, 'GET /json')).toEqual({ id: 7, name: 'x' });

    const list = http.json(await http.send({ method: 'GET', url: `${server.url}/bad-field` }), 'GET /bad-field');
    const e = thrown(() => http.parse(z.object({ items: z.array(z.object({ id: z.string() })) }), list, 'GET /bad-field'));
    expect(e).toMatchObject({ code: 'BAD_RESPONSE', details: { field: 'items[1].id' } });
    expect(e.message).toMatch(/^Test pbx: GET \/bad-field answered with a bad field items\[1\]\.id: /);

    const text = await http.send({ method: 'GET', url: `${server.url}/not-json` });
    expect(thrown(() => http.json(text, 'GET /not-json')).message).toBe('Test pbx: GET /not-json answered with something that is not JSON: Service Unavailable');
    const empty = await http.send({ method: 'GET', url: `${server.url}/empty` });
    expect(http.json(empty, 'GET /empty', { empty: {} })).toEqual({});
    expect(thrown(() => http.json(empty, 'GET /empty')).message).toBe('Test pbx: GET /empty answered with an empty body where JSON was expected');
  });

  it("applies the client's deadline, size cap and pinned certificate to every request", async () => {
    const small = kit({ timeoutMs: 300, maxBytes: 1024 });
    expect((await failure(small.send({ method: 'GET', url: `${server.url}/hang` }))).code).toBe('TIMEOUT');
    expect((await failure(small.send({ method: 'GET', url: `${server.url}/big` }))).code).toBe('BODY_TOO_LARGE');
    expect((await small.send({ method: 'GET', url: `${server.url}/big`, maxBytes: 8192 })).body.length).toBe(4096);

    expect((await failure(kit().send({ method: 'GET', url: `${secure.url}/json` }))).code).toBe('TLS_UNTRUSTED');
    const pinned = kit({ pinSha256: cert.fingerprint });
    expect((await pinned.send({ method: 'GET', url: `${secure.url}/json` })).status).toBe(200);
  });

  it('follows pages, keeping the first copy of a row, and refuses a server that ignores paging or never stops', async () => {
    const http = kit();
    const pageSchema = z.object({ items: z.array(z.object({ id: z.string() })), next: z.boolean() });
    const source = (list: string, maxPages = 10) => ({
      page: async (n: number) => http.parse(pageSchema, http.json(await http.send({ method: 'GET', url: `${server.url}/${list}?page=${n}` }), `page ${n}`), `page ${n}`),
      id: (row: { id: string }) => row.id,
      maxPages,
      what: `Test pbx: GET /${list}`,
    });
    expect((await collectPages(source('good'))).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(await failure(collectPages(source('stuck')))).toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'Test pbx: GET /stuck returned page 2 identical to page 1; the server ignores paging',
    });
    expect(await failure(collectPages(source('endless', 5)))).toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'Test pbx: GET /endless still said "next" after 5 pages; giving up',
    });
  });
});

describe('secretRedactor', () => {
  it('masks a secret in every encoding a server may echo it in, longest first', () => {
    const secret = `Pw&<x>+/="' q`;
    const redact = secretRedactor([secret, undefined, '', `${secret}-longer`]);
    const echoes = [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      'Pw&amp;&lt;x&gt;+/=&quot;&apos; q',
      JSON.stringify(secret).slice(1, -1),
    ];
    for (const echo of echoes) expect(redact(`before ${echo} after`)).toBe('before *** after');
    expect(redact(`${secret}-longer`)).toBe('***');
    expect(secretRedactor([])('unchanged')).toBe('unchanged');
  });

  it('masks a short secret where it stands alone, not inside the words of a message', () => {
    const redact = secretRedactor(['p', 'a+b']);
    expect(redact('certificate fingerprint AB:CD; Pin this fingerprint')).toBe('certificate fingerprint AB:CD; Pin this fingerprint');
    expect(redact('GET /x?is_user=u&is_pwd=p&y=1 said "p"')).toBe('GET /x?is_user=u&is_pwd=***&y=1 said "***"');
    expect(redact('key a%2Bb, a+b.')).toBe('key ***, ***.');
  });
});
