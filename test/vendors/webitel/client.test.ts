// Long by design: one subject, the Webitel wire client against its simulator, every case on the same simulator set-up.
import { afterEach, describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../../electron/core/net/http.ts';
import { KeyfleetError } from '../../../electron/core/errors.ts';
import { WebitelClient, checkCertificateShape, webitelApiBase } from '../../../electron/core/vendors/webitel/client.ts';
import { webitelErrorText } from '../../../electron/core/vendors/webitel/wire.ts';
import { makeSelfSignedCert } from '../../helpers/servers.ts';
import {
  SIM_GOOD_CERTIFICATE,
  SIM_REFUSED_CERTIFICATE,
  defaultWebitelLicenses,
  startWebitelSimulator,
  type WebitelSim,
  type WebitelSimOptions,
} from './simulator.ts';

const TOKEN = 'wt-access-token-7f3a9c';
const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const http = new NodeHttpTransport();

let sim: WebitelSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(opts: Partial<WebitelSimOptions> = {}): Promise<{ sim: WebitelSim; client: WebitelClient }> {
  sim = await startWebitelSimulator({ token: TOKEN, now: NOW, ...opts });
  const client = new WebitelClient({ http, baseUrl: `${sim.url}/api/`, secret: TOKEN, timeoutMs: 3000 });
  return { sim, client };
}

async function caught(p: Promise<unknown>): Promise<KeyfleetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeyfleetError) return e;
    throw e;
  }
  throw new Error('expected a KeyfleetError');
}

describe('webitelApiBase', () => {
  it.each([
    ['https://pbx.example.com', 'https://pbx.example.com/api'],
    ['https://pbx.example.com/', 'https://pbx.example.com/api'],
    ['https://pbx.example.com/api', 'https://pbx.example.com/api'],
    ['  https://pbx.example.com/api//  ', 'https://pbx.example.com/api'],
    ['https://pbx.example.com:8443/webitel/api/', 'https://pbx.example.com:8443/webitel/api'],
    ['http://10.0.0.5/webitel', 'http://10.0.0.5/webitel/api'],
  ])('%s → %s', (input, expected) => {
    expect(webitelApiBase(input)).toBe(expected);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => webitelApiBase('pbx.example.com')).toThrow(/not a valid URL/);
    expect(() => webitelApiBase('ftp://pbx.example.com')).toThrow(/must start with https/);
  });
});

describe('webitelErrorText', () => {
  it('prefers detail, then message, then the body', () => {
    expect(webitelErrorText('{"id":"x","code":400,"detail":"bad cert","status":"Bad Request"}')).toBe('bad cert');
    expect(webitelErrorText('{"message":"gateway says no"}')).toBe('gateway says no');
    expect(webitelErrorText('<html><body>Bad gateway</body></html>')).toBe('Bad gateway');
  });
});

describe('WebitelClient against the simulator', () => {
  it('refuses a wrong token with AUTH and never echoes the token', async () => {
    const { sim } = await start();
    const client = new WebitelClient({ http, baseUrl: sim.url, secret: 'not-the-token-xyz' });
    const err = await caught(client.listLicenses());
    expect(err.code).toBe('AUTH');
    expect(err.message).toContain('access token refused (401): Invalid auth token');
    expect(err.message).not.toContain('not-the-token-xyz');
    expect(sim.state.requests[0]?.token).toBe('not-the-token-xyz');
  });

  it('needs a token before calling', async () => {
    const { sim } = await start();
    const client = new WebitelClient({ http, baseUrl: sim.url });
    expect((await caught(client.getCustomer())).code).toBe('SECRET_MISSING');
    expect(sim.state.requests).toHaveLength(0);
  });

  it('follows paging across 4 pages and maps every column', async () => {
    const { sim, client } = await start({ pageSize: 3 });
    const licenses = await client.listLicenses();
    expect(licenses).toHaveLength(10);
    const pages = sim.state.requests.map((r) => `${r.method} ${r.path} page=${r.query.page} size=${r.query.size}`);
    expect(pages).toEqual([1, 2, 3, 4].map((p) => `GET /api/license page=${p} size=100`));
    expect(sim.state.requests.every((r) => r.token === TOKEN)).toBe(true);

    const first = licenses[0]!;
    expect(first).toEqual({
      id: 'a1f0c3d2e4b5a6978899aabbccddeef1',
      product: 'CALL_CENTER',
      name: 'Contact centre',
      scope: ['cc_agent', 'cc_queue'],
      competitive: true,
      limit: 10,
      remain: 5, // five holders in the simulator
      used: 5,
      validFrom: new Date(NOW - 100 * 86_400_000).toISOString(),
      validTill: new Date(NOW + 200 * 86_400_000).toISOString(),
      status: { errors: [], notify: [] },
    });
    const chat = licenses.find((l) => l.id.endsWith('eef3'))!;
    expect(chat).toMatchObject({ product: 'CHAT', competitive: false, used: 0, remain: 5 }); // competitive omitted = false
    const devices = licenses.find((l) => l.product === 'VOIP_DEVICE')!;
    expect(devices.validTill).toBeNull(); // 0 / missing = not set
    expect(licenses.find((l) => l.product === 'QUALITY_AUDITOR')!.status.errors).toEqual(['expired']);
  });

  it('reads int64 timestamps sent as numbers and as strings', async () => {
    const { sim, client } = await start();
    const licenses = await client.listLicenses();
    const body = await (await fetch(`${sim.url}/api/license?page=1&size=2`, { headers: { 'X-Webitel-Access': TOKEN } })).json();
    expect(typeof body.items[0].not_after).toBe('number');
    expect(typeof body.items[1].not_after).toBe('string');
    const expected = defaultWebitelLicenses(NOW);
    expect(licenses[0]!.validTill).toBe(new Date(expected[0]!.notAfter).toISOString());
    expect(licenses[1]!.validTill).toBe(new Date(expected[1]!.notAfter).toISOString());
    expect(licenses[1]!.validFrom).toBe(new Date(expected[1]!.notBefore).toISOString());
  });

  it.each([true, false])('reads every timestamp when all are strings=%s', async (asStrings) => {
    const { client } = await start({ timestampsAsStrings: asStrings });
    const licenses = await client.listLicenses();
    const expected = defaultWebitelLicenses(NOW);
    expect(licenses.map((l) => l.validFrom)).toEqual(expected.map((l) => (l.notBefore ? new Date(l.notBefore).toISOString() : null)));
  });

  it('reads the customer certificate', async () => {
    const { client } = await start();
    const customer = await client.getCustomer();
    expect(customer).toMatchObject({
      id: 'c0ffee00-1111-4222-8333-444455556666',
      organization: 'Acme Hosting Ltd',
      issuedAt: new Date(NOW - 100 * 86_400_000).toISOString(),
      validTill: new Date(NOW + 300 * 86_400_000).toISOString(),
    });
    expect(customer.limits).toMatchObject({ CALL_CENTER: 25, CHAT: 8, EMAIL: 15 });
    expect(customer.grants).toHaveLength(10);
  });

  it('imports a license key and returns the updated customer', async () => {
    const { sim, client } = await start();
    // A key wrapped over lines by an e-mail client is sent as one line.
    const wrapped = `  ${SIM_GOOD_CERTIFICATE.slice(0, 40)}\n${SIM_GOOD_CERTIFICATE.slice(40)}\n`;
    const customer = await client.importCertificate(wrapped);
    expect(customer.grants.map((g) => g.product)).toContain('CALL_MANAGER');
    expect(customer.grants).toHaveLength(12);
    const put = sim.state.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/customer');
    expect(JSON.parse(put.body)).toEqual({ certificate: SIM_GOOD_CERTIFICATE });
    expect((await client.listLicenses()).some((l) => l.id === 'b2000000000000000000000000000001')).toBe(true);
  });

  it('shows the server’s own words when it refuses a key', async () => {
    const { sim, client } = await start();
    const err = await caught(client.importCertificate(SIM_REFUSED_CERTIFICATE));
    expect(err.code).toBe('VENDOR_REFUSED');
    expect(err.message).toContain('refused the license key (400): customer.certificate.invalid: signature verification failed');
    expect(sim.state.licenses).toHaveLength(10);
  });

  it.each([
    ['', 'license key is empty'],
    ['   \n ', 'license key is empty'],
    ['abc123', 'license key is too short (6 characters)'],
    ['https://webitel.example.com/license/download?id=42', 'looks like a web address'],
    ['billing@acme-hosting.example.com', 'looks like an e-mail address'],
    [`${SIM_GOOD_CERTIFICATE}\u0000tail`, 'contains a control character (code 0)'],
    [`${SIM_GOOD_CERTIFICATE}!`, 'contains "!"'],
    ['-----BEGIN LICENSE-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n-----END CERTIFICATE-----', 'BEGIN/END lines do not match'],
  ])('rejects a malformed key before sending anything (%j)', async (key, message) => {
    const { sim, client } = await start();
    const err = await caught(client.importCertificate(key));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toContain(message);
    expect(sim.state.requests).toHaveLength(0);
  });

  it('accepts a PEM-like key as it is', () => {
    const pem = '-----BEGIN LICENSE-----\r\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\nMDEyMzQ1Njc4OQ==\r\n-----END LICENSE-----';
    expect(checkCertificateShape(pem)).toBe(pem.replace(/\r\n/g, '\n'));
  });

  it('lists holders across two domains, pages them, and searches by user name', async () => {
    const { sim, client } = await start({ pageSize: 2 });
    const all = await client.allLicenseUsers('a1f0c3d2e4b5a6978899aabbccddeef1');
    expect(all.map((u) => `${u.userName}@${u.domainName}#${u.domainId}:${u.sessions}`)).toEqual([
      'alice@acme.example#1:2',
      'bob@acme.example#1:0',
      'carol@acme.example#1:1',
      'alice.globex@globex.example#2:1',
      'dave@globex.example#2:3',
    ]);
    expect(all[0]).toMatchObject({ userId: '101', issuedAt: new Date(NOW - 101 * 86_400_000).toISOString() });
    expect(sim.state.requests.filter((r) => r.path.endsWith('/users'))).toHaveLength(3);

    sim.state.requests.length = 0;
    const alices = await client.allLicenseUsers('a1f0c3d2e4b5a6978899aabbccddeef1', 'ALICE');
    expect(alices.map((u) => [u.userName, u.domainId])).toEqual([
      ['alice', '1'],
      ['alice.globex', '2'],
    ]);
    expect(sim.state.requests[0]?.query.q).toBe('ALICE');

    const page2 = await client.licenseUsers('a1f0c3d2e4b5a6978899aabbccddeef1', { page: 2, size: 2 });
    expect(page2.next).toBe(true);
    expect(page2.items.map((u) => u.userName)).toEqual(['carol', 'alice.globex']);
  });

  it('reports an unknown license as NOT_FOUND with the server detail', async () => {
    const { client } = await start();
    const err = await caught(client.licenseUsers('no-such-serial'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('license no-such-serial not found (404)');
  });

  it('logs out an online user of the operator’s domain', async () => {
    const { sim, client } = await start();
    await client.logoutUser('101');
    const req = sim.state.requests.at(-1)!;
    expect(`${req.method} ${req.path} ${req.body}`).toBe('POST /api/users/101/logout {}');
    expect(sim.state.users.find((u) => u.id === 101)!.sessions).toBe(0);
  });

  it('surfaces the server’s 403 when logging out a user of another domain', async () => {
    const { sim, client } = await start();
    const err = await caught(client.logoutUser(202));
    expect(err.code).toBe('DENIED');
    expect(err.message).toContain('POST /users/202/logout denied (403): user 202 belongs to another domain; you can only log out users of your own domain');
    expect(sim.state.users.find((u) => u.id === 202)!.sessions).toBe(3);

    const offline = await caught(client.logoutUser(102));
    expect(offline.code).toBe('DENIED');
    expect(offline.message).toContain('user 102 has no active sessions');
  });

  it('refuses a user id that is not a number without calling', async () => {
    const { sim, client } = await start();
    expect((await caught(client.logoutUser('../customer'))).code).toBe('BAD_INPUT');
    expect(sim.state.requests).toHaveLength(0);
  });

  it('turns broken JSON into BAD_RESPONSE', async () => {
    const { sim, client } = await start();
    sim.state.raw.set('/api/license', { status: 200, body: '{"page":1,"next":false,"items":[{"id":' });
    const err = await caught(client.listLicenses());
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.message).toContain('GET /license answered with something that is not JSON');
  });

  it('names the bad field when a value has the wrong type', async () => {
    const { sim, client } = await start();
    sim.state.raw.set('/api/license', {
      status: 200,
      body: JSON.stringify({ page: 1, next: false, items: [{ id: 'x1', product: 'CHAT', limit: 1, remain: 1, not_after: 'next tuesday' }] }),
    });
    const err = await caught(client.listLicenses());
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.message).toContain('bad field items[0].not_after: expected milliseconds since 1970');
    expect(err.details).toEqual({ field: 'items[0].not_after' });

    sim.state.raw.set('/api/license', { status: 200, body: JSON.stringify({ next: false, items: [{ id: 'x1', limit: 1 }] }) });
    expect((await caught(client.listLicenses())).message).toContain('items[0].product');
  });

  it('stops when the server repeats a page instead of looping', async () => {
    const { sim, client } = await start({ pageSize: 3 });
    sim.state.ignorePaging = true;
    const err = await caught(client.listLicenses());
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.message).toContain('page 2 identical to page 1');
    expect(sim.state.requests).toHaveLength(2);
  });

  it('maps a 5xx to HTTP_STATUS with the server text', async () => {
    const { sim, client } = await start();
    sim.state.raw.set('/api/customer', { status: 503, body: '{"id":"app.db","code":503,"detail":"database is down","status":"Service Unavailable"}' });
    const err = await caught(client.getCustomer());
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('GET /customer answered HTTP 503: database is down');
  });

  it('tests a pinned self-signed HTTPS connection and reports the fingerprint', async () => {
    const cert = makeSelfSignedCert();
    const { sim } = await start({ https: cert });
    const unpinned = new WebitelClient({ http, baseUrl: sim.url, secret: TOKEN });
    expect((await caught(unpinned.testConnection())).code).toBe('TLS_UNTRUSTED');

    const pinned = new WebitelClient({ http, baseUrl: sim.url, secret: TOKEN, pinSha256: cert.fingerprint });
    expect(await pinned.testConnection()).toEqual({
      organization: 'Acme Hosting Ltd',
      customerId: 'c0ffee00-1111-4222-8333-444455556666',
      certSha256: cert.fingerprint,
    });
  });
});
