// Long by design: one simulated server; every endpoint shares the Basic auth, the core-server state and the recorded requests.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { jsonBody, sendJson, sendText, startHttpServer, startHttpsServer, type RunningServer, type SelfSignedCert } from '../../helpers/servers.ts';

/**
 * An iSymphony core server's configuration REST API (communication_manager/rest/config/server/coreServers),
 * speaking the formats of i9's docs (seed 003): Basic auth, core servers, the license resource with
 * activate / bind, module licenses and their properties.
 */

export const ISYMPHONY_REST_ROOT = '/communication_manager/rest/config/server/coreServers';

/** The license JSON exactly as the docs show it. */
export interface ISymphonyLicenseJson {
  id: string;
  serial: string;
  type: string;
  licensedTo: string | null;
  expirationDate: number | null;
  maintenanceExpirationDate: number | null;
  clientConnections: number;
  configuredUsers: number;
}

export interface SimModuleLicense {
  id: string;
  moduleId: string;
  /** null: the properties endpoint answers 404. */
  properties: Record<string, unknown> | null;
}

export interface SimCoreServer {
  id: string;
  slug: string;
  name: string;
  license: ISymphonyLicenseJson;
  moduleLicenses: SimModuleLicense[];
}

/**
 * How POST …/license/activate answers:
 * - activate: 204, license replaced;  activate-200: the same with 200
 * - bind: 307, absolute Location …/license/bind/{serial};  bind-relative: the same with a relative Location
 * - bind-no-location: 307 without Location
 * - foreign-bind: 307 with a Location on another host (127.0.0.2, same port when free)
 * - deny: 403 with a text body
 */
export type ActivationBehaviour = 'activate' | 'activate-200' | 'bind' | 'bind-relative' | 'bind-no-location' | 'foreign-bind' | 'deny';

export interface ISymphonySimulatorMode {
  /** Overrides the per-serial behaviour of every activation. */
  activation?: ActivationBehaviour | null;
  /** How GET …/license answers: normal, unparseable JSON, or a wrong type in expirationDate. */
  license?: 'normal' | 'malformed-json' | 'wrong-type';
  /** Overrides the bindWindowMs option (a negative value makes every bind arrive too late). */
  bindWindowMs?: number | null;
}

export interface ISymphonySimulatorOptions {
  https?: SelfSignedCert;
  /** Listen on this port (to restart a server in place, e.g. with a new certificate). */
  port?: number;
  user?: string;
  password?: string;
  coreServers?: SimCoreServer[];
  /** How long a bind authorization stays open after the 307 (the real server: 5 s). */
  bindWindowMs?: number;
  /** Behaviour per serial; otherwise serials starting BIND- need a bind, DENY- are denied, others activate. */
  serials?: Record<string, ActivationBehaviour>;
  /** Text of the 403 for a denied activation. */
  deniedText?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  hadAuth: boolean;
  authOk: boolean;
  contentType: string | undefined;
  accept: string | undefined;
}

export interface ISymphonySimulatorState {
  coreServers: SimCoreServer[];
  requests: RecordedRequest[];
  /** Anything that reached the foreign-host trap (must stay empty). */
  foreignRequests: RecordedRequest[];
  /** Pending bind authorizations by serial. */
  pendingBinds: Map<string, { coreServerId: string; askedAt: number }>;
  activations: Array<{ coreServerId: string; serial: string; via: 'activate' | 'bind'; licensedTo: string | null; email: string | null }>;
  mode: ISymphonySimulatorMode;
}

export interface ISymphonySimulator {
  url: string;
  port: number;
  /** Origin of the foreign-host trap used by 'foreign-bind'. */
  foreignUrl: string;
  state: ISymphonySimulatorState;
  setMode(mode: ISymphonySimulatorMode): void;
  close(): Promise<void>;
}

const DAY = 86_400_000;

export function defaultCoreServers(): SimCoreServer[] {
  return [
    {
      id: '0a57b3e4-51e8-4b0c-9a43-2d5c1f0e7a11',
      slug: 'default',
      name: 'default',
      license: {
        id: '8a2632b3-dc9e-4d66-a759-14d347a73b28',
        serial: 'PERP-0000-1111',
        type: 'PERPETUAL',
        licensedTo: 'Mike',
        expirationDate: null,
        maintenanceExpirationDate: 1459749600000,
        clientConnections: -1,
        configuredUsers: -1,
      },
      moduleLicenses: [
        { id: 'ml-core', moduleId: 'core', properties: { maxQueues: 10, recording: true } },
        { id: 'ml-crm', moduleId: 'crm', properties: null },
      ],
    },
    {
      id: 'b7f1c2d3-0000-4aaa-8bbb-123456789abc',
      slug: 'acme',
      name: 'ACME call centre',
      license: {
        id: 'c1d2e3f4-1111-4222-8333-444455556666',
        serial: 'SUBS-2222-3333',
        type: 'SUBSCRIPTION',
        licensedTo: 'ACME Ltd',
        expirationDate: Date.UTC(2031, 5, 30, 12),
        maintenanceExpirationDate: Date.UTC(2031, 5, 30, 12),
        clientConnections: 25,
        configuredUsers: 40,
      },
      moduleLicenses: [],
    },
  ];
}

function behaviourFor(serial: string, opts: ISymphonySimulatorOptions, mode: ISymphonySimulatorMode): ActivationBehaviour {
  if (mode.activation) return mode.activation;
  const explicit = opts.serials?.[serial];
  if (explicit) return explicit;
  if (serial.startsWith('BIND-')) return 'bind';
  if (serial.startsWith('DENY-')) return 'deny';
  return 'activate';
}

/** A trap on another loopback host: the client must never send anything here. */
async function startForeignTrap(port: number, record: (r: RecordedRequest) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      record({
        method: req.method ?? '',
        path: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        hadAuth: Boolean(req.headers.authorization),
        authOk: false,
        contentType: req.headers['content-type'],
        accept: req.headers.accept,
      });
      sendText(res, 204, '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const tryListen = (p: number, host: string) =>
    new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(p, host, () => resolve(true));
    });
  let host = '127.0.0.2';
  if (!(await tryListen(port, host)) && !(await tryListen(0, host))) {
    host = '127.0.0.1'; // no 127.0.0.2 on this system: another port is another origin all the same
    await tryListen(0, host);
  }
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function startISymphonySimulator(opts: ISymphonySimulatorOptions = {}): Promise<ISymphonySimulator> {
  const user = opts.user ?? 'manager';
  const password = opts.password ?? 'manag3rpa55word';
  const bindWindowMs = opts.bindWindowMs ?? 5_000;
  const deniedText = opts.deniedText ?? 'License activation denied: the serial is not valid for this server';
  const expectedAuth = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  const state: ISymphonySimulatorState = {
    coreServers: opts.coreServers ?? defaultCoreServers(),
    requests: [],
    foreignRequests: [],
    pendingBinds: new Map(),
    activations: [],
    mode: {},
  };
  let foreignUrl = '';
  let selfUrl = '';

  const find = (selector: string[]): SimCoreServer | undefined => {
    if (selector[0] === 'getByName' && selector[1] !== undefined) return state.coreServers.find((c) => c.slug === selector[1]);
    return state.coreServers.find((c) => c.id === selector[0]);
  };

  const install = (core: SimCoreServer, serial: string, licensedTo: string | null) => {
    core.license = {
      id: core.license.id,
      serial,
      type: 'PERPETUAL',
      licensedTo: licensedTo ?? core.license.licensedTo,
      expirationDate: null,
      maintenanceExpirationDate: Date.now() + 365 * DAY,
      clientConnections: -1,
      configuredUsers: -1,
    };
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const authHeader = req.headers.authorization;
    const authOk = authHeader === expectedAuth;
    state.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      body: body.toString('utf8'),
      hadAuth: Boolean(authHeader),
      authOk,
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
    });
    if (!authOk) {
      res.setHeader('www-authenticate', 'Basic realm="iSymphony"');
      return sendText(res, 401, 'Unauthorized: invalid user name or password');
    }
    if (!url.pathname.startsWith(ISYMPHONY_REST_ROOT)) return sendText(res, 404, 'Not Found');
    const parts = url.pathname.slice(ISYMPHONY_REST_ROOT.length).split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';

    if (parts.length === 0) {
      if (method !== 'GET') return sendText(res, 405, 'Method Not Allowed');
      return sendJson(res, 200, state.coreServers.map(({ id, slug, name }) => ({ id, slug, name })));
    }
    const selectorLength = parts[0] === 'getByName' ? 2 : 1;
    const core = find(parts);
    if (!core) return sendText(res, 404, 'Core server not found');
    const rest = parts.slice(selectorLength);

    if (rest.length === 0) {
      if (method !== 'GET') return sendText(res, 405, 'Method Not Allowed');
      return sendJson(res, 200, { id: core.id, slug: core.slug, name: core.name });
    }
    if (rest[0] !== 'license') return sendText(res, 404, 'Not Found');

    if (rest.length === 1) {
      if (method !== 'GET') return sendText(res, 405, 'Method Not Allowed');
      if (state.mode.license === 'malformed-json') {
        return sendText(res, 200, '{"id": "8a2632b3", "serial": "PERP-0000-1111", "expirationDate": ', 'application/json');
      }
      if (state.mode.license === 'wrong-type') return sendJson(res, 200, { ...core.license, expirationDate: 'next tuesday' });
      return sendJson(res, 200, core.license);
    }

    if (rest[1] === 'activate' && rest.length === 2) {
      if (method !== 'POST') return sendText(res, 405, 'Method Not Allowed');
      // The docs' curl sends the bare serial; a JSON-quoted one is unwrapped too.
      let serial = body.toString('utf8').trim();
      const asJson = jsonBody(body);
      if (typeof asJson === 'string') serial = asJson.trim();
      if (!serial) return sendText(res, 400, 'No serial given');
      const behaviour = behaviourFor(serial, opts, state.mode);
      const bindPath = `${url.pathname.replace(/\/activate$/, '')}/bind/${encodeURIComponent(serial)}`;
      switch (behaviour) {
        case 'activate':
        case 'activate-200':
          install(core, serial, null);
          state.activations.push({ coreServerId: core.id, serial, via: 'activate', licensedTo: null, email: null });
          return behaviour === 'activate' ? sendText(res, 204, '') : sendText(res, 200, '');
        case 'deny':
          return sendText(res, 403, deniedText);
        case 'bind':
        case 'bind-relative':
        case 'bind-no-location':
        case 'foreign-bind': {
          state.pendingBinds.set(serial, { coreServerId: core.id, askedAt: Date.now() });
          const headers: Record<string, string> = {};
          if (behaviour === 'bind') headers.location = `${selfUrl}${bindPath}`;
          if (behaviour === 'bind-relative') headers.location = `bind/${encodeURIComponent(serial)}`;
          if (behaviour === 'foreign-bind') headers.location = `${foreignUrl}${bindPath}`;
          res.writeHead(307, { ...headers, 'content-length': '0' });
          res.end();
          return;
        }
      }
    }

    if (rest[1] === 'bind' && rest.length === 3 && rest[2] !== undefined) {
      if (method !== 'POST') return sendText(res, 405, 'Method Not Allowed');
      const serial = rest[2];
      const pending = state.pendingBinds.get(serial);
      if (!pending || pending.coreServerId !== core.id) return sendText(res, 403, 'No bind request pending for this serial');
      state.pendingBinds.delete(serial);
      if (Date.now() - pending.askedAt > (state.mode.bindWindowMs ?? bindWindowMs)) return sendText(res, 403, 'Bind request timed out');
      const payload = jsonBody(body);
      if (typeof payload !== 'object' || payload === null || typeof (payload as { cancel?: unknown }).cancel !== 'boolean') {
        return sendText(res, 400, 'Invalid bind request');
      }
      const p = payload as { cancel: boolean; licensedTo?: unknown; email?: unknown };
      if (p.cancel) return sendText(res, 204, '');
      if (typeof p.licensedTo !== 'string' || !p.licensedTo || typeof p.email !== 'string' || !p.email.includes('@')) {
        return sendText(res, 400, 'licensedTo and email are required');
      }
      install(core, serial, p.licensedTo);
      state.activations.push({ coreServerId: core.id, serial, via: 'bind', licensedTo: p.licensedTo, email: p.email });
      return sendText(res, 204, '');
    }

    if (rest[1] === 'moduleLicenses') {
      if (method !== 'GET') return sendText(res, 405, 'Method Not Allowed');
      if (rest.length === 2) return sendJson(res, 200, core.moduleLicenses.map(({ id, moduleId }) => ({ id, moduleId })));
      const module = core.moduleLicenses.find((m) => m.id === rest[2]);
      if (!module) return sendText(res, 404, 'Module license not found');
      if (rest.length === 3) return sendJson(res, 200, { id: module.id, moduleId: module.moduleId });
      if (rest.length === 4 && rest[3] === 'properties') {
        return module.properties ? sendJson(res, 200, module.properties) : sendText(res, 404, 'Not Found');
      }
    }
    return sendText(res, 404, 'Not Found');
  };

  const server: RunningServer = opts.https ? await startHttpsServer(handler, opts.https, opts.port ?? 0) : await startHttpServer(handler, opts.port ?? 0);
  selfUrl = server.url;
  const trap = await startForeignTrap(server.port, (r) => state.foreignRequests.push(r));
  foreignUrl = trap.url;

  return {
    url: server.url,
    port: server.port,
    foreignUrl,
    state,
    setMode(mode) {
      state.mode = { ...state.mode, ...mode };
    },
    async close() {
      await Promise.all([server.close(), trap.close()]);
    },
  };
}

