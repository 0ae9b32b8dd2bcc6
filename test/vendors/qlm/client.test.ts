// Long by design: one subject, the QLM client against its simulator; everything each call returns or throws is collected and scanned for the password at the end, so the calls stay in one file.
import { afterAll, describe, expect, it } from 'vitest';
import { KeyfleetError } from '../../../electron/core/errors.ts';
import { NodeHttpTransport } from '../../../electron/core/net/http.ts';
import { QlmClient, featureBitsToList, type QlmCreateRequest } from '../../../electron/core/vendors/qlm/client.ts';
import { closedAfterEach, startHttpServer, sendText, type RunningServer } from '../../helpers/servers.ts';
import { startQlmSimulator, type QlmSimOptions, type QlmSimulator } from './simulator.ts';
import { closedPort } from '../../helpers/closed-port.ts';

const VENDOR = 'keyfleet';
const USER = 'kf-robot';
const PASSWORD = 'Pw+S3cr3t&/é';
const PASSWORD_ENCODED = encodeURIComponent(PASSWORD);
const http = new NodeHttpTransport();

const closeLater = closedAfterEach();

/** Everything the client returned or threw, scanned for the password at the end. */
const observed: unknown[] = [];
async function track<T>(p: Promise<T>): Promise<T> {
  try {
    const v = await p;
    observed.push(v);
    return v;
  } catch (e) {
    observed.push(e);
    throw e;
  }
}

async function sim(opts: Partial<QlmSimOptions> = {}): Promise<QlmSimulator> {
  const s = await startQlmSimulator({ flavor: 'asmx', vendor: VENDOR, user: USER, password: PASSWORD, ...opts });
  closeLater(s);
  return s;
}

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof QlmClient>[0]> = {}): QlmClient {
  return new QlmClient({ http, baseUrl, vendor: VENDOR, user: USER, secret: PASSWORD, timeoutMs: 3000, ...extra });
}

async function failure(p: Promise<unknown>): Promise<KeyfleetError> {
  try {
    await track(p);
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    return e as KeyfleetError;
  }
  throw new Error('expected the call to fail');
}

const BASIC: QlmCreateRequest = { productId: 1, majorVersion: 5, minorVersion: 0, expiry: { days: 30 } };

describe('QlmClient against the ASMX simulator', () => {
  it('pings, reading the server date, version and clock skew', async () => {
    const s = await sim({ now: () => new Date('2030-01-01T00:00:10Z') });
    const c = client(s.baseUrl, { now: () => Date.parse('2030-01-01T00:00:00Z') });
    const ping = await track(c.ping());
    expect(ping).toEqual({
      message: 'Successfully connected to the License Server.',
      serverDate: '2030-01-01T00:00:10Z',
      serverVersion: '17.0.23100.1',
      skewMs: 10_000,
    });
    expect(s.state.requests.map((r) => r.method)).toEqual(['PingHttp']);
  });

  it('creates one key for all seats', async () => {
    const s = await sim();
    const out = await track(client(s.baseUrl).createKeys({ ...BASIC, quantity: 5 }));
    expect(out.keys).toHaveLength(1);
    expect(out.keys[0]).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}-[A-Z0-9]{6}$/);
    expect(out.raw).toContain(`<activationKey>${out.keys[0]}</activationKey>`);
    expect(s.state.licenses.get(out.keys[0]!)).toMatchObject({ quantity: 5, activationsAllowed: 5, oneKeyForAllSeats: true });
  });

  it('creates one key per seat when asked', async () => {
    const s = await sim();
    const out = await track(client(s.baseUrl).createKeys({ ...BASIC, quantity: 3, oneKeyForAllSeats: false, activationsPerKey: 2 }));
    expect(out.keys).toHaveLength(3);
    expect(new Set(out.keys).size).toBe(3);
    for (const k of out.keys) expect(s.state.licenses.get(k)).toMatchObject({ activationsAllowed: 2, oneKeyForAllSeats: false });
    expect(s.state.requests).toHaveLength(1);
  });

  it('reads the key from a bare <result> of older servers', async () => {
    const s = await sim({ legacyCreateAnswer: true });
    const out = await track(client(s.baseUrl).createKeys(BASIC));
    expect(out.keys).toEqual([...s.state.licenses.keys()]);
  });

  it('sends every create argument with its is_* name, percent-encoded', async () => {
    const s = await sim({ dateFormat: 'MM/dd/yyyy' });
    const c = client(s.baseUrl, { dateFormat: 'MM/dd/yyyy' });
    const out = await track(
      c.createKeys({
        productId: 7,
        majorVersion: 3,
        minorVersion: 1,
        expiry: { date: '2031-09-02' },
        quantity: 4,
        oneKeyForAllSeats: false,
        activationsPerKey: 2,
        additionalActivations: 1,
        features: [{ set: 0, mask: 1 }, { set: 1, mask: 2 }],
        licenseModel: 'subscription_floating',
        floating: true,
        maintenancePlan: { days: 180 },
        affiliateId: 'Reseller+1 & Co',
        computerType: 'vm',
        qlmVersion: '17.0.0',
        userData1: 'client=acme',
      }),
    );
    const req = s.state.requests[0]!;
    expect(req.method).toBe('GetActivationKeyWithExpiryDate');
    expect(req.query).toEqual({
      is_productid: '7',
      is_majorversion: '3',
      is_minorversion: '1',
      is_expdate: '09/02/2031',
      is_quantity: '4',
      is_usemultipleactivationskey: 'false',
      is_numberofactivationsperkey: '2',
      is_additionalactivations: '1',
      is_features: '0:1;1:2',
      is_licensemodel: 'subscription_floating',
      is_floating: 'true',
      is_maintenance_plan: '1',
      is_maintduration: '180',
      is_affiliateid: 'Reseller+1 & Co',
      is_computertype: '2',
      is_qlmversion: '17.0.0',
      is_userdata1: 'client=acme',
      is_vendor: VENDOR,
      is_user: USER,
      is_pwd: PASSWORD,
    });
    expect(req.rawQuery).toContain('is_affiliateid=Reseller%2B1%20%26%20Co');
    expect(req.rawQuery).toContain('is_expdate=09%2F02%2F2031');
    expect(req.rawQuery).toContain('is_features=0%3A1%3B1%3A2');
    expect(req.rawQuery).toContain(`is_pwd=${PASSWORD_ENCODED}`);
    expect(out.keys).toHaveLength(4);
    const lic = s.state.licenses.get(out.keys[0]!)!;
    expect(lic.expiresAt?.toISOString()).toBe('2031-09-02T23:59:00.000Z');
    expect(lic).toMatchObject({ affiliateId: 'Reseller+1 & Co', floatingSeats: 4, computerType: 2, features: '0:1;1:2' });
  });

  it('rejects bad input naming the field, without sending anything', async () => {
    const s = await sim();
    const c = client(s.baseUrl);
    const cases: Array<[unknown, RegExp]> = [
      [{ ...BASIC, expiry: { date: '2024-02-30' } }, /expiry\.date/],
      [{ ...BASIC, expiry: { date: '02/09/2024' } }, /expiry\.date/],
      [{ ...BASIC, expiry: { days: 0 } }, /expiry\.days/],
      [{ ...BASIC, expiry: { days: 3, date: '2030-01-01' } }, /exactly one/],
      [{ ...BASIC, quantity: 0 }, /quantity/],
      [{ ...BASIC, productId: 1.5 }, /productId/],
      [{ ...BASIC, majorVersion: -1 }, /majorVersion/],
      [{ ...BASIC, features: [{ set: 0, mask: 2.5 }] }, /features\[0\]\.mask/],
      [{ ...BASIC, features: [{ set: -1, mask: 2 }] }, /features\[0\]\.set/],
      [{ ...BASIC, activationsPerKey: 2 }, /activationsPerKey.*oneKeyForAllSeats/],
      [{ ...BASIC, oneKeyForAllSeats: true, activationsPerKey: 2 }, /activationsPerKey/],
      [{ ...BASIC, licenseModel: 'forever' }, /licenseModel/],
      [{ ...BASIC, computerType: 'server' }, /computerType/],
      [{ ...BASIC, maintenancePlan: { days: 0 } }, /maintenancePlan\.days/],
      [{ ...BASIC, affiliateId: '' }, /affiliateId/],
      [{ ...BASIC, floating: 'yes' }, /floating/],
      [{ ...BASIC, userData: 'x' }, /unknown field "userData"/],
    ];
    for (const [req, re] of cases) {
      const e = await failure(c.createKeys(req as QlmCreateRequest));
      expect(e.code, String(re)).toBe('BAD_INPUT');
      expect(e.message).toMatch(re);
    }
    expect((await failure(c.updateLicense('K-1', {}))).message).toMatch(/empty/);
    expect((await failure(c.updateLicense('K-1', { productProperties: [{ category: 'a.b', name: 'c', value: 1 }] }))).message).toMatch(/category/);
    expect((await failure(c.updateLicense(' ', { revoke: true }))).message).toMatch(/activation key/);
    expect((await failure(c.renewSubscription('K-1', { date: '2031-13-01' }))).message).toMatch(/expiry\.date/);
    expect((await failure(c.validateLicense('has space'))).code).toBe('BAD_INPUT');
    expect(s.state.requests).toHaveLength(0);
    expect(() => client(s.baseUrl, { dateFormat: 'dd.MMM.yyyy' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it.each(['prefix', 'dash', 'attribute', 'element', 'text'] as const)('maps each documented <error> code (%s form)', async (style) => {
    const s = await sim({ errorStyle: style });
    const c = client(s.baseUrl);
    const { keys } = await track(c.createKeys(BASIC));
    const key = keys[0]!;
    const cases: Array<[string, number, string, () => Promise<unknown>, string, RegExp]> = [
      ['UpdateLicenseHttp', 7, 'This operation is disabled.', () => c.updateLicense(key, { quantity: 2 }), 'DENIED', /enableUpgradeLicense/],
      ['ValidateLicenseHttp', 8, 'Authentication failed.', () => c.validateLicense(key), 'AUTH', /is_user.*is_pwd.*is_vendor/],
      ['RenewSubscriptionHttp', 201, 'The license key has been revoked.', () => c.renewSubscription(key, { date: '2032-01-01' }), 'VENDOR_REFUSED', /revoked/],
      ['RevokeLicenseHttp', 203, 'License key not found.', () => c.revokeLicense(key, true), 'NOT_FOUND', /license key not found/],
      ['UpdateLicenseHttp', 208, 'Missing argument: is_avkey', () => c.updateLicense(key, { quantity: 2 }), 'VENDOR_REFUSED', /missing argument/],
      ['ValidateLicenseHttp', 209, 'The license has expired.', () => c.validateLicense(key), 'VENDOR_REFUSED', /expired/],
      ['ValidateLicenseHttp', 210, 'No more activations are available.', () => c.validateLicense(key), 'VENDOR_REFUSED', /no more activations/],
    ];
    for (const [method, code, text, call, expected, re] of cases) {
      s.failNext(method, code, text);
      const e = await failure(call());
      expect(e.code, `${style} ${code}`).toBe(expected);
      expect(e.message).toMatch(re);
      expect(e.message).toContain(text);
      expect(e.details).toMatchObject({ method, qlmCode: code });
    }
  });

  it('reports an authentication failure without revealing the password', async () => {
    const s = await sim();
    const wrong = 'Wr0ng+Pass';
    const c = client(s.baseUrl, { secret: wrong });
    const e = await failure(c.createKeys(BASIC));
    expect(e.code).toBe('AUTH');
    expect(e.message).toMatch(/authentication failed.*is_user.*is_pwd/i);
    expect(e.message).toContain('Invalid vendor, user or password');
    expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(wrong);
    expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(encodeURIComponent(wrong));
    expect(s.state.licenses.size).toBe(0);
    const wrongVendor = await failure(client(s.baseUrl, { vendor: 'other' }).validateLicense('AAAAA-BBBBB-CCCCC'));
    expect(wrongVendor.code).toBe('AUTH');
  });

  it('masks the password even when a server echoes it back', async () => {
    const s = await sim();
    s.failNext('ValidateLicenseHttp', 8, `Invalid password '${PASSWORD}' (${PASSWORD_ENCODED})`);
    const e = await failure(client(s.baseUrl).validateLicense('AAAAA-BBBBB-CCCCC'));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain("Invalid password '***' (***)");
    expect(JSON.stringify(e.details)).not.toContain(PASSWORD);
  });

  it('names the server property to enable for a disabled method', async () => {
    const s = await sim({ disabled: ['GetActivationKeyWithExpiryDate', 'UpdateLicenseHttp', 'RevokeLicenseHttp', 'RenewSubscriptionHttp'] });
    const c = client(s.baseUrl);
    const create = await failure(c.createKeys(BASIC));
    expect(create.code).toBe('DENIED');
    expect(create.message).toMatch(/GetActivationKeyWithExpiryDate.*disabled.*set the server property enableGetActivationKey to true/);
    expect((await failure(c.updateLicense('AAAAA-BBBBB-CCCCC', { quantity: 2 }))).message).toMatch(/enableUpgradeLicense/);
    expect((await failure(c.revokeLicense('AAAAA-BBBBB-CCCCC', true))).message).toMatch(/enableRevokeLicense/);
    expect((await failure(c.renewSubscription('AAAAA-BBBBB-CCCCC', { days: 30 }))).message).toMatch(/enableRenewSubscriptionHttp/);
    expect(s.state.licenses.size).toBe(0);
  });

  it.each([
    { bom: true, prolog: true },
    { bom: true, prolog: false },
    { bom: false, prolog: true },
    { bom: false, prolog: false },
  ])('reads bodies with bom=$bom prolog=$prolog', async (framing) => {
    const s = await sim(framing);
    const c = client(s.baseUrl);
    const raw = await http.request({ method: 'GET', url: `${s.baseUrl}/PingHttp` });
    expect(raw.body[0] === 0xef && raw.body[1] === 0xbb && raw.body[2] === 0xbf).toBe(framing.bom);
    expect(raw.body.toString('utf8').includes('<?xml')).toBe(framing.prolog);
    expect((await track(c.ping())).message).toMatch(/Successfully connected/);
    const { keys } = await track(c.createKeys(BASIC));
    expect(keys).toHaveLength(1);
    s.setErrorStyle('attribute');
    expect((await failure(c.validateLicense('NOPE0-NOPE0-NOPE0'))).code).toBe('NOT_FOUND');
  });

  it('turns a connection closed after the key was recorded into LOST_ANSWER, with no retry', async () => {
    const s = await sim();
    s.setMode('lose-create-answer');
    const e = await failure(client(s.baseUrl).createKeys(BASIC));
    expect(e.code).toBe('LOST_ANSWER');
    expect(e.message).toContain('keys may have been created on the server; check the server');
    expect(e.message).toMatch(/before trying again/);
    expect(s.state.requests).toHaveLength(1);
    expect(s.state.licenses.size).toBe(1);
    expect(String(e.details?.['request'])).toContain('is_pwd=***');
    expect(String(e.details?.['request'])).toContain('/GetActivationKeyWithExpiryDate?is_productid=1');
  });

  it('treats a cut-short create answer and a hung create as LOST_ANSWER, sent once', async () => {
    const s = await sim();
    s.setMode('truncate-create-answer');
    expect((await failure(client(s.baseUrl).createKeys(BASIC))).code).toBe('LOST_ANSWER');
    expect(s.state.requests).toHaveLength(1);
    s.setMode('hang');
    const hung = await failure(client(s.baseUrl, { timeoutMs: 300 }).createKeys(BASIC));
    expect(hung.code).toBe('LOST_ANSWER');
    expect(hung.message).toMatch(/did not answer within/);
    expect(s.state.requests).toHaveLength(2);
  });

  it('keeps a refused connection (nothing sent) as NETWORK', async () => {
    const port = await closedPort();
    const e = await failure(client(`http://127.0.0.1:${port}/qlm/qlmservice.asmx`).createKeys(BASIC));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/refused/);
  });

  it('retries a validation once on a lost connection, but never an update', async () => {
    let calls = 0;
    const flaky: RunningServer = await startHttpServer((req, res) => {
      calls++;
      if (calls === 1) return req.socket.destroy();
      sendText(res, 200, '<QuickLicenseManager><activationKey>AAAAA-BBBBB-CCCCC</activationKey><status>2</status><features>0:1</features></QuickLicenseManager>', 'text/xml');
    });
    closeLater(flaky);
    const c = client(`${flaky.url}/qlm/qlmservice.asmx`);
    const info = await track(c.validateLicense('AAAAA-BBBBB-CCCCC'));
    expect(info.statusWords).toEqual(['Permanent']);
    expect(calls).toBe(2);

    const s = await sim();
    const { keys } = await track(client(s.baseUrl).createKeys(BASIC));
    s.setMode('hang');
    const before = s.state.requests.length;
    const timedOut = await failure(client(s.baseUrl, { timeoutMs: 250 }).validateLicense(keys[0]!));
    expect(timedOut.code).toBe('TIMEOUT');
    expect(s.state.requests.length - before).toBe(2);
    const absolute = await failure(client(s.baseUrl, { timeoutMs: 250 }).updateLicense(keys[0]!, { quantity: 9 }));
    expect(absolute.code).toBe('TIMEOUT');
    const relative = await failure(
      client(s.baseUrl, { timeoutMs: 250 }).updateLicense(keys[0]!, { productProperties: [{ category: 'q', name: 'n', value: { relative: 1 } }] }),
    );
    expect(relative.code).toBe('LOST_ANSWER');
    expect(relative.message).toMatch(/relative product property change may have been applied/);
    expect(s.state.requests.length - before).toBe(4);
  });

  it('says the URL is wrong on 404 and refuses an HTML page', async () => {
    const s = await sim();
    const bare = await http.request({ method: 'GET', url: s.baseUrl });
    expect(bare.status).toBe(404);
    const wrong = await failure(client(s.baseUrl.replace('qlmservice.asmx', 'qlmsrv.asmx')).ping());
    expect(wrong.code).toBe('HTTP_STATUS');
    expect(wrong.message).toMatch(/404.*PingHttp.*URL is wrong/);
    expect(wrong.message).toMatch(/qlmservice\.asmx.*QlmApi/);
    s.setMode('html');
    const html = await failure(client(s.baseUrl).validateLicense('AAAAA-BBBBB-CCCCC'));
    expect(html.code).toBe('BAD_RESPONSE');
    expect(html.message).toMatch(/HTML page.*Please sign in/);
    const htmlCreate = await failure(client(s.baseUrl).createKeys(BASIC));
    expect(htmlCreate.code).toBe('BAD_RESPONSE');
  });

  it('reads a refused GetLicensesHttp page by its status, unless the body is a QLM error', async () => {
    let answer: { status: number; body: string; type: string } = { status: 404, body: '<html><body>404 - File or directory not found.</body></html>', type: 'text/html' };
    const server: RunningServer = await startHttpServer((req, res) => {
      // A proxy that quotes the request it refused, password and all.
      sendText(res, answer.status, answer.body.replace('ECHO', req.url ?? ''), answer.type);
    });
    closeLater(server);
    const c = client(`${server.url}/qlm/qlmservice.asmx`);
    const page = (status: number, body: string, type = 'text/plain') => {
      answer = { status, body, type };
      return failure(track(c.listLicenses({ batchSize: 10 })));
    };

    const missing = await failure(track(c.listLicenses({})));
    expect(missing).toMatchObject({ code: 'HTTP_STATUS', details: { method: 'GetLicensesHttp', status: 404 } });
    expect(missing.message).toMatch(/404 Not Found for GetLicensesHttp: this License Server has no GetLicensesHttp \(it needs a recent QLM\), or the server URL is wrong$/);
    const auth = await page(401, 'denied ECHO');
    expect(auth).toMatchObject({ code: 'AUTH', details: { method: 'GetLicensesHttp', status: 401 } });
    expect(auth.message).toMatch(/refused access to GetLicensesHttp \(HTTP 401\): denied \/qlm\/qlmservice\.asmx\/GetLicensesHttp\?.*is_pwd=\*\*\*/);
    const denied = await page(403, 'no');
    expect(denied).toMatchObject({ code: 'DENIED', details: { method: 'GetLicensesHttp', status: 403 } });
    expect(denied.message).toMatch(/forbids GetLicensesHttp \(HTTP 403\): no$/);
    const broken = await page(500, 'Server Error in /qlm Application');
    expect(broken).toMatchObject({ code: 'HTTP_STATUS', details: { method: 'GetLicensesHttp', status: 500 } });
    expect(broken.message).toMatch(/HTTP 500.*GetLicensesHttp|GetLicensesHttp.*HTTP 500/);
    expect(broken.message).toMatch(/: Server Error in \/qlm Application$/);
    // An error in the format asked for speaks for itself, whatever the status.
    const said = await page(400, JSON.stringify({ error: { code: 8, message: 'Authentication failed.' } }), 'application/json');
    expect(said.code).toBe('AUTH');
    expect(said.message).toMatch(/Authentication failed/);
  });

  it('applies relative property updates on the server: +2 then -1, with + arriving intact', async () => {
    const s = await sim();
    const c = client(s.baseUrl);
    const [key] = (await track(c.createKeys(BASIC))).keys;
    const prop = (v: number | { relative: number }) => [{ category: 'quality', name: 'module_validation', value: v }];
    await track(c.updateLicense(key!, { productProperties: prop(5) }));
    expect(s.state.licenses.get(key!)!.properties.get('quality.module_validation')?.value).toBe('5');
    const up = await track(c.updateLicense(key!, { productProperties: prop({ relative: 2 }) }));
    expect(up.message).toBe('License updated successfully.');
    expect(s.state.requests.at(-1)!.rawQuery).toContain('is_pp=quality.module_validation%3A%3A%2B2');
    expect(s.state.requests.at(-1)!.query['is_pp']).toBe('quality.module_validation::+2');
    expect(s.state.licenses.get(key!)!.properties.get('quality.module_validation')?.value).toBe('7');
    await track(c.updateLicense(key!, { productProperties: prop({ relative: -1 }) }));
    expect(s.state.licenses.get(key!)!.properties.get('quality.module_validation')?.value).toBe('6');
    await track(
      c.updateLicense(key!, {
        features: [{ set: 0, mask: 3 }],
        expiry: { date: '2033-03-03' },
        licenseModel: 'permanent',
        majorVersion: 6,
        quantity: 9,
        affiliateId: 'aff',
        userData1: 'u1',
      }),
    );
    expect(s.state.licenses.get(key!)).toMatchObject({ features: '0:3', licenseModel: 'permanent', majorVersion: 6, quantity: 9, userData1: 'u1' });
  });

  it('revokes and reinstates a license', async () => {
    const s = await sim();
    const c = client(s.baseUrl);
    const [key] = (await track(c.createKeys(BASIC))).keys;
    const revoked = await track(c.revokeLicense(key!, true));
    expect(revoked.message).toBe('License revoked successfully.');
    expect(s.state.requests.at(-1)!.query['is_revoke']).toBe('true');
    expect((await track(c.validateLicense(key!))).statusWords).toContain('Revoked');
    const renew = await failure(c.renewSubscription(key!, { days: 10 }));
    expect(renew.code).toBe('VENDOR_REFUSED');
    expect(renew.message).toMatch(/revoked/);
    await track(c.revokeLicense(key!, false));
    expect(s.state.requests.at(-1)!.query['is_revoke']).toBe('false');
    expect((await track(c.validateLicense(key!))).statusWords).not.toContain('Revoked');
    await track(c.updateLicense(key!, { revoke: true }));
    expect(s.state.licenses.get(key!)!.revoked).toBe(true);
  });

  it('renews a subscription by days from the current expiry, or to a date', async () => {
    const s = await sim({ now: () => new Date('2030-01-01T12:00:00Z') });
    const c = client(s.baseUrl);
    const [key] = (await track(c.createKeys({ ...BASIC, expiry: { date: '2030-02-01' } }))).keys;
    await track(c.renewSubscription(key!, { days: 10 }, [{ category: 'limits', name: 'agents', value: 20 }]));
    expect(s.state.licenses.get(key!)!.expiresAt?.toISOString()).toBe('2030-02-11T23:59:00.000Z');
    expect(s.state.licenses.get(key!)!.properties.get('limits.agents')?.value).toBe('20');
    await track(c.renewSubscription(key!, { date: '2031-01-01' }));
    expect(s.state.licenses.get(key!)!.expiresAt?.toISOString()).toBe('2031-01-01T23:59:00.000Z');
  });

  it('validates a license: every field, status words, and the signature ignored', async () => {
    const s = await sim({ products: { 7: 'QueueMetrics Hosted' }, now: () => new Date('2030-06-01T08:00:00Z') });
    const c = client(s.baseUrl);
    const [key] = (
      await track(
        c.createKeys({
          productId: 7,
          majorVersion: 24,
          minorVersion: 2,
          expiry: { date: '2030-05-01' },
          quantity: 3,
          additionalActivations: 1,
          features: [{ set: 0, mask: 5 }, { set: 2, mask: 1 }],
          licenseModel: 'subscription',
          floating: true,
          maintenancePlan: { days: 30 },
        }),
      )
    ).keys;
    const info = await track(c.validateLicense(key!));
    expect(s.state.requests.at(-1)!.query).toMatchObject({ is_avkey: key, is_activate: 'false' });
    const { raw, ...fields } = info;
    expect(raw).toContain('<Signature');
    expect(fields).toEqual({
      activationKey: key,
      productId: 7,
      productName: 'QueueMetrics Hosted',
      majorVersion: 24,
      minorVersion: 2,
      licenseModel: 'subscription',
      expiresAt: { instant: '2030-05-01T23:59:00Z', date: '2030-05-01' },
      maintenanceRenewalDate: { instant: '2030-07-01T23:59:00Z', date: '2030-07-01' },
      status: 4 | 64,
      statusWords: ['Demo', 'Expired'],
      features: [{ set: 0, mask: 5 }, { set: 2, mask: 1 }],
      numActivationsAllowed: 4,
      availableLicenses: 4,
      floatingSeats: 3,
      userCompany: null,
      userEmail: null,
      serverDate: '2030-06-01T08:00:00Z',
      result: 'The license is valid.',
    });
    expect(featureBitsToList(info.features[0]!.mask)).toEqual([1, 4]);
    const missing = await failure(c.validateLicense('ZZZZZ-ZZZZZ-ZZZZZ'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/license key not found/);
  });

  it('describes a request for the journal with is_pwd masked', () => {
    const c = client('https://lic.example.com/qlm/qlmservice.asmx/');
    const text = c.describeRequest('RevokeLicenseHttp', { is_avkey: 'A+B', is_revoke: 'true', is_pwd: 'leak' });
    expect(text).toBe(
      `https://lic.example.com/qlm/qlmservice.asmx/RevokeLicenseHttp?is_avkey=A%2BB&is_revoke=true&is_vendor=${VENDOR}&is_user=${USER}&is_pwd=***`,
    );
  });
});

describe('QlmClient against the v20 simulator', () => {
  it('works with the .NET Core API path, entered with a trailing slash or a method', async () => {
    const s = await sim({ flavor: 'v20', bom: true });
    expect(s.baseUrl).toMatch(/\/Qlm\/QlmLicenseServerNetCore\/api\/v1\/QlmApi$/);
    const c = client(`${s.baseUrl}/`);
    expect(c.flavor).toBe('v20');
    expect((await track(c.ping())).serverVersion).toBe('20.0.24010.1');
    const { keys } = await track(client(`${s.baseUrl}/PingHttp`).createKeys({ ...BASIC, quantity: 2, oneKeyForAllSeats: false }));
    expect(keys).toHaveLength(2);
    expect(s.state.requests.map((r) => r.path)).toEqual([
      '/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi/PingHttp',
      '/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi/GetActivationKeyWithExpiryDate',
    ]);
    expect((await track(c.validateLicense(keys[1]!))).statusWords).toEqual(['Demo']);
    const bare = await http.request({ method: 'GET', url: s.baseUrl });
    expect(bare.status).toBe(404);
  });
});

describe('QLM secrets', () => {
  afterAll(() => {
    observed.length = 0;
  });

  it('never returns or throws is_pwd, plain or encoded', () => {
    expect(observed.length).toBeGreaterThan(40);
    for (const item of observed) {
      const text =
        item instanceof KeyfleetError ? `${item.message} ${JSON.stringify(item.details ?? {})} ${String(item.stack)}` : JSON.stringify(item);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(PASSWORD_ENCODED);
    }
  });
});
