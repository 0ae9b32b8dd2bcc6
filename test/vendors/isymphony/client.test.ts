// Long by design: one subject, the iSymphony wire client against its simulator (core servers, license, activation and bind, HTTPS), every case on the same simulator set-up.
import { afterEach, describe, expect, it } from 'vitest';
import { NodeHttpTransport } from '../../../electron/core/net/http.ts';
import { ISymphonyClient, isymphonyRestRoot, type ISymphonyBindDecision } from '../../../electron/core/vendors/isymphony/client.ts';
import type { VendorEndpoint } from '../../../electron/core/vendors/types.ts';
import { makeSelfSignedCert, type SelfSignedCert } from '../../helpers/servers.ts';
import { ISYMPHONY_REST_ROOT, startISymphonySimulator, type ISymphonySimulator, type ISymphonySimulatorOptions } from './simulator.ts';

const transport = new NodeHttpTransport();
const PASSWORD = 'manag3rpa55word';
const running: ISymphonySimulator[] = [];

async function sim(opts: ISymphonySimulatorOptions = {}): Promise<ISymphonySimulator> {
  const s = await startISymphonySimulator({ password: PASSWORD, ...opts });
  running.push(s);
  return s;
}

function client(s: { url: string }, extra: Partial<VendorEndpoint> = {}): ISymphonyClient {
  return new ISymphonyClient({ http: transport, baseUrl: s.url, user: 'manager', secret: PASSWORD, timeoutMs: 3_000, ...extra });
}

const licensePath = (slug: string) => `${ISYMPHONY_REST_ROOT}/getByName/${slug}/license`;

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('isymphonyRestRoot', () => {
  it('adds the default port to a bare host and the REST root to any base', () => {
    expect(isymphonyRestRoot('pbx.example.com')).toBe(`http://pbx.example.com:58080${ISYMPHONY_REST_ROOT}`);
    expect(isymphonyRestRoot('https://pbx.example.com')).toBe(`https://pbx.example.com:58080${ISYMPHONY_REST_ROOT}`);
    expect(isymphonyRestRoot('http://10.0.0.5:8081/')).toBe(`http://10.0.0.5:8081${ISYMPHONY_REST_ROOT}`);
    expect(isymphonyRestRoot('https://proxy.example.com/isym/')).toBe(`https://proxy.example.com/isym${ISYMPHONY_REST_ROOT}`);
    expect(isymphonyRestRoot('http://pbx:58080/communication_manager/rest/config/server/coreServers/')).toBe(`http://pbx:58080${ISYMPHONY_REST_ROOT}`);
  });

  it('refuses a URL with credentials or another scheme', () => {
    expect(() => isymphonyRestRoot('http://manager:pw@pbx:58080')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => isymphonyRestRoot('ftp://pbx')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => isymphonyRestRoot('   ')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

describe('ISymphonyClient core servers', () => {
  it('lists core servers with Basic auth and Accept: application/json', async () => {
    const s = await sim();
    const list = await client(s).listCoreServers();
    expect(list).toEqual([
      { id: '0a57b3e4-51e8-4b0c-9a43-2d5c1f0e7a11', slug: 'default', name: 'default' },
      { id: 'b7f1c2d3-0000-4aaa-8bbb-123456789abc', slug: 'acme', name: 'ACME call centre' },
    ]);
    expect(s.state.requests).toHaveLength(1);
    expect(s.state.requests[0]).toMatchObject({ method: 'GET', path: ISYMPHONY_REST_ROOT, hadAuth: true, authOk: true, accept: 'application/json' });
  });

  it('gets one core server by name and reports an unknown slug as NOT_FOUND', async () => {
    const s = await sim();
    const c = client(s);
    await expect(c.getCoreServer('acme')).resolves.toEqual({ id: 'b7f1c2d3-0000-4aaa-8bbb-123456789abc', slug: 'acme', name: 'ACME call centre' });
    expect(s.state.requests[0]?.path).toBe(`${ISYMPHONY_REST_ROOT}/getByName/acme`);
    await expect(c.getCoreServer('nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `iSymphony 127.0.0.1:${s.port}: no core server named "nope"`,
    });
  });

  it('reports refused credentials as AUTH without the password', async () => {
    const s = await sim();
    const err = await client(s, { secret: 'wrong-password' }).listCoreServers().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AUTH', message: expect.stringContaining('manager user or password refused') });
    expect((err as Error).message).toContain(`127.0.0.1:${s.port}`);
    expect(JSON.stringify(err)).not.toContain('wrong-password');
    expect((err as Error).message).not.toContain('wrong-password');
  });
});

describe('ISymphonyClient license', () => {
  it('reads a perpetual license: expiresAt null, -1 as unlimited (null)', async () => {
    const s = await sim();
    const lic = await client(s).readLicense('default');
    expect(lic).toMatchObject({
      id: '8a2632b3-dc9e-4d66-a759-14d347a73b28',
      serial: 'PERP-0000-1111',
      type: 'PERPETUAL',
      licensedTo: 'Mike',
      expiresAt: null,
      maintenanceExpiresAt: '2016-04-04',
      clientConnections: null,
      configuredUsers: null,
    });
    expect(lic.raw).toMatchObject({ expirationDate: null, clientConnections: -1 });
    expect(s.state.requests[0]?.path).toBe(licensePath('default'));
  });

  it('reads a limited subscription license with UTC dates', async () => {
    const s = await sim();
    const lic = await client(s).readLicense('acme');
    expect(lic).toMatchObject({ type: 'SUBSCRIPTION', expiresAt: '2031-06-30', clientConnections: 25, configuredUsers: 40 });
  });

  it('refuses unparseable license JSON with BAD_RESPONSE', async () => {
    const s = await sim();
    s.setMode({ license: 'malformed-json' });
    await expect(client(s).readLicense('default')).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('license of core server default answered with something that is not JSON'),
    });
  });

  it('refuses a wrongly typed license field with BAD_RESPONSE naming the field', async () => {
    const s = await sim();
    s.setMode({ license: 'wrong-type' });
    await expect(client(s).readLicense('default')).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('license of core server default answered with a bad field expirationDate'),
      details: { field: 'expirationDate' },
    });
  });

  it('reads module licenses with their properties, a 404 on properties being empty', async () => {
    const s = await sim();
    const modules = await client(s).moduleLicenses('default');
    expect(modules).toEqual([
      { id: 'ml-core', moduleId: 'core', properties: { maxQueues: 10, recording: true } },
      { id: 'ml-crm', moduleId: 'crm', properties: {} },
    ]);
    expect(s.state.requests.map((r) => r.path)).toEqual([
      `${licensePath('default')}/moduleLicenses`,
      `${licensePath('default')}/moduleLicenses/ml-core/properties`,
      `${licensePath('default')}/moduleLicenses/ml-crm/properties`,
    ]);
  });

  it('reports module licenses of an unknown core server as NOT_FOUND', async () => {
    const s = await sim();
    await expect(client(s).moduleLicenses('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"ghost"') });
  });
});

describe('ISymphonyClient activation', () => {
  it('activates with the bare serial (204) and reads the license back', async () => {
    const s = await sim();
    const result = await client(s).activate('acme', 'ABCD-1234-EFGH', null);
    expect(result.outcome).toBe('activated');
    expect(result.license).toMatchObject({ serial: 'ABCD-1234-EFGH', type: 'PERPETUAL', expiresAt: null });
    const [post, read] = s.state.requests;
    expect(post).toMatchObject({ method: 'POST', path: `${licensePath('acme')}/activate`, body: 'ABCD-1234-EFGH', contentType: 'application/json', authOk: true });
    expect(read).toMatchObject({ method: 'GET', path: licensePath('acme') });
    expect(s.state.activations).toEqual([{ coreServerId: 'b7f1c2d3-0000-4aaa-8bbb-123456789abc', serial: 'ABCD-1234-EFGH', via: 'activate', licensedTo: null, email: null }]);
  });

  it('accepts 200 as success too', async () => {
    const s = await sim({ serials: { 'OK200-1': 'activate-200' } });
    await expect(client(s).activate('default', 'OK200-1', null)).resolves.toMatchObject({ outcome: 'activated', license: { serial: 'OK200-1' } });
  });

  it('follows a 307 to the bind location and posts the bind details', async () => {
    const s = await sim();
    const seen: string[] = [];
    const result = await client(s).activate(
      'default',
      'BIND-7777',
      { licensedTo: 'ACME Ltd', email: 'ops@acme.example' },
      { onBindRequested: ({ location }) => (seen.push(location), 'continue') },
    );
    expect(result.outcome).toBe('bound');
    expect(result.license).toMatchObject({ serial: 'BIND-7777', licensedTo: 'ACME Ltd' });
    expect(seen).toEqual([`${s.url}${licensePath('default')}/bind/BIND-7777`]);
    const bind = s.state.requests[1];
    expect(bind).toMatchObject({ method: 'POST', path: `${licensePath('default')}/bind/BIND-7777`, authOk: true, contentType: 'application/json' });
    expect(JSON.parse(bind!.body)).toEqual({ cancel: false, licensedTo: 'ACME Ltd', email: 'ops@acme.example' });
    expect(s.state.activations).toMatchObject([{ serial: 'BIND-7777', via: 'bind', licensedTo: 'ACME Ltd', email: 'ops@acme.example' }]);
  });

  it('resolves a relative bind Location against the activate URL', async () => {
    const s = await sim({ serials: { 'REL-1': 'bind-relative' } });
    const result = await client(s).activate('acme', 'REL-1', { licensedTo: 'ACME Ltd', email: 'ops@acme.example' });
    expect(result.outcome).toBe('bound');
    expect(s.state.requests[1]?.path).toBe(`${licensePath('acme')}/bind/REL-1`);
  });

  it('refuses a bind that arrives after the window with a clear message', async () => {
    const s = await sim({ bindWindowMs: 300 });
    const slowUser = async (): Promise<ISymphonyBindDecision> => {
      await new Promise((r) => setTimeout(r, 450));
      return 'continue';
    };
    const err = await client(s)
      .activate('default', 'BIND-LATE', { licensedTo: 'ACME Ltd', email: 'ops@acme.example' }, { onBindRequested: slowUser })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DENIED', details: { late: true } });
    expect((err as Error).message).toContain('bind refused: Bind request timed out');
    expect((err as Error).message).toContain('bind window of 5 s passed');
    expect(s.state.requests.map((r) => r.method + ' ' + r.path)).toEqual([
      `POST ${licensePath('default')}/activate`,
      `POST ${licensePath('default')}/bind/BIND-LATE`,
    ]);
    expect(s.state.activations).toEqual([]);
  });

  it('cancels the bind when onBindRequested says cancel', async () => {
    const s = await sim();
    const result = await client(s).activate(
      'default',
      'BIND-CANCEL',
      { licensedTo: 'ACME Ltd', email: 'ops@acme.example' },
      { onBindRequested: async () => 'cancel' as const },
    );
    expect(result.outcome).toBe('bind-cancelled');
    expect(result.license.serial).toBe('PERP-0000-1111');
    expect(JSON.parse(s.state.requests[1]!.body)).toEqual({ cancel: true, licensedTo: 'ACME Ltd', email: 'ops@acme.example' });
    expect(s.state.activations).toEqual([]);
  });

  it('needs bind details when a bind is requested: cancels it and reports BAD_INPUT', async () => {
    const s = await sim();
    let asked = false;
    await expect(
      client(s).activate('default', 'BIND-NODETAILS', null, { onBindRequested: () => ((asked = true), 'continue') }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('give licensedTo and email') });
    expect(asked).toBe(false);
    expect(s.state.requests).toHaveLength(2);
    expect(JSON.parse(s.state.requests[1]!.body)).toMatchObject({ cancel: true });
    expect(s.state.activations).toEqual([]);
  });

  it('reports a 403 with the server text as DENIED', async () => {
    const s = await sim({ deniedText: 'Serial DENY-1 has already been activated on another server' });
    await expect(client(s).activate('default', 'DENY-1', null)).rejects.toMatchObject({
      code: 'DENIED',
      message: `iSymphony 127.0.0.1:${s.port}: activation denied: Serial DENY-1 has already been activated on another server`,
    });
    expect(s.state.requests).toHaveLength(1);
  });

  it('reports a 401 on activation as AUTH', async () => {
    const s = await sim();
    await expect(client(s, { secret: 'nope' }).activate('default', 'ABCD-1', null)).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('manager user or password refused'),
    });
    expect(s.state.activations).toEqual([]);
  });

  it('refuses a bind Location on another host and sends nothing there', async () => {
    const s = await sim({ serials: { 'FOREIGN-1': 'foreign-bind' } });
    let asked = false;
    const err = await client(s)
      .activate('default', 'FOREIGN-1', { licensedTo: 'ACME Ltd', email: 'ops@acme.example' }, { onBindRequested: () => ((asked = true), 'continue') })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DENIED', message: expect.stringContaining(`${s.foreignUrl}, which is not the configured server`) });
    expect((err as Error).message).toContain('refusing to send credentials there');
    expect(asked).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(new URL(s.foreignUrl).origin).not.toBe(new URL(s.url).origin);
    expect(s.state.foreignRequests).toEqual([]);
    expect(s.state.requests).toHaveLength(1);
  });

  it('reports a 307 without Location as BAD_RESPONSE', async () => {
    const s = await sim();
    s.setMode({ activation: 'bind-no-location' });
    await expect(client(s).activate('default', 'ANY-1', { licensedTo: 'ACME Ltd', email: 'ops@acme.example' })).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('without a Location'),
    });
  });

  it('validates the serial and bind details before sending anything', async () => {
    const s = await sim();
    const c = client(s);
    await expect(c.activate('default', '   ', null)).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'serial is empty' });
    await expect(c.activate('default', 'AB\nCD', null)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('one line') });
    await expect(c.activate('default', 'X'.repeat(600), null)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(c.activate('default', 'BIND-1', { licensedTo: 'ACME', email: 'not-an-email' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('email'),
    });
    await expect(c.activate('default', 'BIND-1', { licensedTo: ' ', email: 'a@b.example' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('licensedTo'),
    });
    expect(s.state.requests).toEqual([]);
  });

  it('reports an unknown core server on activation as NOT_FOUND', async () => {
    const s = await sim();
    await expect(client(s).activate('ghost', 'ABCD-1', null)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"ghost"') });
  });
});

describe('ISymphonyClient over HTTPS', () => {
  const cert: SelfSignedCert = makeSelfSignedCert();

  it('refuses an unpinned self-signed certificate with TLS_UNTRUSTED carrying the fingerprint', async () => {
    const s = await sim({ https: cert });
    await expect(client(s).testConnection()).rejects.toMatchObject({ code: 'TLS_UNTRUSTED', details: { fingerprint: cert.fingerprint } });
    expect(s.state.requests).toEqual([]);
  });

  it('accepts the pinned certificate and reports its fingerprint', async () => {
    const s = await sim({ https: cert });
    const result = await client(s, { pinSha256: cert.fingerprint }).testConnection();
    expect(result.certSha256).toBe(cert.fingerprint);
    expect(result.coreServers.map((c) => c.slug)).toEqual(['default', 'acme']);
  });

  it('refuses a changed certificate on the same port with TLS_PIN_MISMATCH', async () => {
    const first = await sim({ https: cert });
    const port = first.port;
    await first.close();
    running.splice(running.indexOf(first), 1);
    const other = makeSelfSignedCert();
    const restarted = await sim({ https: other, port });
    await expect(client(restarted, { pinSha256: cert.fingerprint }).activate('default', 'ABCD-1', null)).rejects.toMatchObject({
      code: 'TLS_PIN_MISMATCH',
      details: { fingerprint: other.fingerprint, pinned: cert.fingerprint },
    });
    expect(restarted.state.requests).toEqual([]);
  });
});
