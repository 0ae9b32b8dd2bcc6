import type http from 'node:http';
import { jsonBody, sendJson, sendText, startHttpServer, startHttpsServer, type RunningServer, type SelfSignedCert } from '../../helpers/servers.ts';

/**
 * A Webitel API (docs/vendors/webitel.md) on 127.0.0.1: token auth in X-Webitel-Access, proto-named JSON,
 * int64 milliseconds as numbers for some records and strings for others, proto3-style omission of
 * false/empty fields, Webitel's JSON error form `{"id","code","detail","status"}`.
 */

export interface SimLicense {
  id: string;
  product: string;
  name?: string;
  scope?: string[];
  competitive?: boolean;
  limit: number;
  /** Milliseconds; 0 = not set. */
  notBefore: number;
  notAfter: number;
  errors?: string[];
  notify?: string[];
}

export interface SimUser {
  id: number;
  name: string;
  domainId: number;
  domainName: string;
  sessions: number;
  issuedAt: number;
  expiresAt: number;
  /** License ids this user holds. */
  licenses: string[];
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  token: string | undefined;
  body: string;
}

export interface WebitelSimState {
  licenses: SimLicense[];
  users: SimUser[];
  customer: { id: string; organization: string; issuedAt: number; notBefore: number; notAfter: number };
  /** Certificates the server accepts, and the licenses each one adds. */
  certificates: Map<string, SimLicense[]>;
  /** The detail of the 400 answer for an unknown certificate. */
  refusedCertificateDetail: string;
  operatorDomainId: number;
  requests: SimRequest[];
  /** Serve this instead of the normal answer for a path (without query), e.g. broken JSON. */
  raw: Map<string, { status: number; body: string; contentType?: string }>;
  /** Misbehave: always serve the first page with next=true. */
  ignorePaging: boolean;
}

export interface WebitelSimOptions {
  token: string;
  licenses?: SimLicense[];
  users?: SimUser[];
  /** Largest page the server hands out, whatever `size` asks (Webitel's default size is 16). */
  pageSize?: number;
  operatorDomainId?: number;
  /** true: every int64 as a string; false: every int64 as a number; unset: alternate per record. */
  timestampsAsStrings?: boolean;
  https?: SelfSignedCert;
  certificates?: Record<string, SimLicense[]>;
  now?: number;
}

export interface WebitelSim {
  url: string;
  state: WebitelSimState;
  close(): Promise<void>;
}

const DAY = 86_400_000;

/** A certificate the simulator accepts by default; importing it adds two licenses. */
export const SIM_GOOD_CERTIFICATE =
  'eyJzZXJpYWwiOiJXVC1JTVBPUlQtMDAxIiwib3JnIjoiQWNtZSJ9.c2lnbmF0dXJlLW9mLXRoZS13ZWJpdGVsLXZlbmRvcg';
/** Well-formed but not accepted by the simulator. */
export const SIM_REFUSED_CERTIFICATE =
  'eyJzZXJpYWwiOiJXVC1CQUQtMDAwIiwib3JnIjoiTm9ib2R5In0.Zm9yZ2VkLXNpZ25hdHVyZS1kb2VzLW5vdC12ZXJpZnk';

export function defaultWebitelLicenses(now = Date.now()): SimLicense[] {
  return [
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef1', product: 'CALL_CENTER', name: 'Contact centre', scope: ['cc_agent', 'cc_queue'], competitive: true, limit: 10, notBefore: now - 100 * DAY, notAfter: now + 200 * DAY },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef2', product: 'CALL_CENTER', name: 'Contact centre extra', scope: ['cc_agent'], competitive: true, limit: 15, notBefore: now - 10 * DAY, notAfter: now + 45 * DAY },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef3', product: 'CHAT', name: 'Chat gateways', scope: ['chat_bots'], limit: 5, notBefore: now - 30 * DAY, notAfter: now + 20 * DAY },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef4', product: 'CHAT', name: 'Chat gateways 2', scope: ['chat_bots'], limit: 3, notBefore: now - 30 * DAY, notAfter: now + 300 * DAY },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef5', product: 'EMAIL', name: 'Email', scope: ['email_profile'], limit: 10, notBefore: now - 30 * DAY, notAfter: now + 300 * DAY },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef6', product: 'EMAIL', name: 'Email 2', scope: ['email_profile'], limit: 5, notBefore: now - 30 * DAY, notAfter: now + 300 * DAY },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef7', product: 'QUALITY_AUDITOR', name: 'Audit', scope: ['cc_audit_form'], limit: 2, notBefore: now - 400 * DAY, notAfter: now - 5 * DAY, errors: ['expired'] },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef8', product: 'VOIP_DEVICE', name: 'Devices', scope: ['devices'], limit: 50, notBefore: now - 30 * DAY, notAfter: 0 },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeef9', product: 'CUSTOMER_SERVICE', name: 'CRM', scope: ['contacts'], limit: 4, notBefore: now + 10 * DAY, notAfter: now + 375 * DAY, notify: ['not yet valid'] },
    { id: 'a1f0c3d2e4b5a6978899aabbccddeefa', product: 'MOBILE', name: 'Mobile', scope: [], competitive: true, limit: 8, notBefore: now - 30 * DAY, notAfter: now + 90 * DAY },
  ];
}

/** Holders of the first CALL_CENTER license, in two domains (1 = the operator's, 2 = another tenant). */
export function defaultWebitelUsers(now = Date.now()): SimUser[] {
  const cc = 'a1f0c3d2e4b5a6978899aabbccddeef1';
  const mk = (id: number, name: string, domainId: number, sessions: number): SimUser => ({
    id,
    name,
    domainId,
    domainName: domainId === 1 ? 'acme.example' : 'globex.example',
    sessions,
    issuedAt: now - id * DAY,
    expiresAt: now + 200 * DAY,
    licenses: [cc],
  });
  return [
    mk(101, 'alice', 1, 2),
    mk(102, 'bob', 1, 0),
    mk(103, 'carol', 1, 1),
    mk(201, 'alice.globex', 2, 1),
    mk(202, 'dave', 2, 3),
  ];
}

function webitelError(res: http.ServerResponse, code: number, id: string, detail: string): void {
  const status = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[code] ?? 'Error';
  sendJson(res, code, { id, code, detail, status });
}

export async function startWebitelSimulator(opts: WebitelSimOptions): Promise<WebitelSim> {
  const now = opts.now ?? Date.now();
  const pageSize = opts.pageSize ?? 16;
  const state: WebitelSimState = {
    licenses: (opts.licenses ?? defaultWebitelLicenses(now)).map((l) => ({ ...l })),
    users: (opts.users ?? defaultWebitelUsers(now)).map((u) => ({ ...u, licenses: [...u.licenses] })),
    customer: { id: 'c0ffee00-1111-4222-8333-444455556666', organization: 'Acme Hosting Ltd', issuedAt: now - 100 * DAY, notBefore: now - 100 * DAY, notAfter: now + 300 * DAY },
    certificates: new Map(
      Object.entries(
        opts.certificates ?? {
          [SIM_GOOD_CERTIFICATE]: [
            { id: 'b2000000000000000000000000000001', product: 'CALL_MANAGER', name: 'Imported', scope: ['calls'], competitive: true, limit: 20, notBefore: now - DAY, notAfter: now + 365 * DAY },
            { id: 'b2000000000000000000000000000002', product: 'CUSTOMER_PORTAL', name: 'Imported portal', scope: [], limit: 100, notBefore: now - DAY, notAfter: now + 365 * DAY },
          ],
        },
      ),
    ),
    refusedCertificateDetail: 'customer.certificate.invalid: signature verification failed',
    operatorDomainId: opts.operatorDomainId ?? 1,
    requests: [],
    raw: new Map(),
    ignorePaging: false,
  };

  // int64 as JSON: numbers for some records, strings for others (both occur in the wild).
  const int64 = (ms: number, index: number): number | string | undefined => {
    if (!ms) return undefined;
    const asString = opts.timestampsAsStrings ?? index % 2 === 1;
    return asString ? String(ms) : ms;
  };

  const holders = (licenseId: string) => state.users.filter((u) => u.licenses.includes(licenseId));

  const licenseJson = (l: SimLicense, index: number): Record<string, unknown> => {
    const users = holders(l.id);
    const out: Record<string, unknown> = { id: l.id, product: l.product, name: l.name ?? l.product };
    if (l.scope && l.scope.length) out.scope = l.scope;
    if (l.competitive) out.competitive = true; // proto3 JSON omits false
    out.limit = l.limit;
    out.remain = l.limit - users.length;
    out.not_before = int64(l.notBefore, index);
    out.not_after = int64(l.notAfter, index);
    if (users.length) out.users = users.map((u) => ({ id: String(u.id), name: u.name }));
    const status: Record<string, unknown> = {};
    if (l.errors?.length) status.errors = l.errors;
    if (l.notify?.length) status.notify = l.notify;
    out.status = status;
    return out;
  };

  const customerJson = (): Record<string, unknown> => {
    const limit: Record<string, number> = {};
    for (const l of state.licenses) limit[l.product] = (limit[l.product] ?? 0) + l.limit;
    const c = state.customer;
    return {
      id: c.id,
      organization: c.organization,
      issued_at: int64(c.issuedAt, 1),
      not_before: int64(c.notBefore, 0),
      not_after: int64(c.notAfter, 1),
      limit,
      license: state.licenses.map(licenseJson),
    };
  };

  const paging = (query: URLSearchParams): { page: number; size: number } => {
    const page = Math.max(1, Number(query.get('page')) || 1);
    const size = Math.min(pageSize, Math.max(1, Number(query.get('size')) || 16));
    return { page, size };
  };

  function pageOf<T>(items: T[], query: URLSearchParams): { page: number; next: boolean; items: T[] } {
    const { page, size } = paging(query);
    if (state.ignorePaging) return { page: 1, next: true, items: items.slice(0, size) };
    const start = (page - 1) * size;
    return { page, next: start + size < items.length, items: items.slice(start, start + size) };
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const token = req.headers['x-webitel-access'];
    state.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      token: typeof token === 'string' ? token : undefined,
      body: body.toString('utf8'),
    });

    if (!url.pathname.startsWith('/api/')) return webitelError(res, 404, 'app.router.not_found', `no route ${url.pathname}`);
    if (token !== opts.token) return webitelError(res, 401, 'app.context.authorization', 'Invalid auth token');

    const raw = state.raw.get(url.pathname);
    if (raw) return sendText(res, raw.status, raw.body, raw.contentType ?? 'application/json');

    const path = url.pathname.slice('/api'.length);
    const method = req.method ?? 'GET';

    if (path === '/license' && method === 'GET') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const ids = url.searchParams.getAll('id');
      const indexed = state.licenses
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => (!q || l.product.toLowerCase().includes(q.replace(/\*/g, ''))) && (!ids.length || ids.includes(l.id)));
      const page = pageOf(indexed, url.searchParams);
      return sendJson(res, 200, { page: page.page, next: page.next, items: page.items.map(({ l, i }) => licenseJson(l, i)) });
    }

    if (path === '/customer' && method === 'GET') return sendJson(res, 200, customerJson());

    if (path === '/customer' && method === 'PUT') {
      const parsed = jsonBody(body) as { certificate?: unknown } | undefined;
      if (!parsed || typeof parsed.certificate !== 'string' || !parsed.certificate) {
        return webitelError(res, 400, 'customer.certificate.required', 'certificate: required');
      }
      const grants = state.certificates.get(parsed.certificate);
      if (!grants) return webitelError(res, 400, 'customer.certificate.invalid', state.refusedCertificateDetail);
      for (const g of grants) if (!state.licenses.some((l) => l.id === g.id)) state.licenses.push({ ...g });
      return sendJson(res, 200, { customer: customerJson() });
    }

    const usersMatch = /^\/products\/([^/]+)\/users$/.exec(path);
    if (usersMatch && method === 'GET') {
      const licenseId = decodeURIComponent(usersMatch[1] ?? '');
      if (!state.licenses.some((l) => l.id === licenseId)) {
        return webitelError(res, 404, 'app.license.not_found', `license ${licenseId} not found`);
      }
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const list = holders(licenseId).filter((u) => !q || u.name.toLowerCase().includes(q));
      const page = pageOf(list, url.searchParams);
      return sendJson(res, 200, {
        page: page.page,
        next: page.next,
        items: page.items.map((u, i) => ({
          user: { id: int64(u.id, i), name: u.name },
          domain: { id: int64(u.domainId, i + 1), name: u.domainName },
          issued_at: int64(u.issuedAt, i),
          expires_at: int64(u.expiresAt, i + 1),
          ...(u.sessions ? { sessions: u.sessions } : {}),
        })),
      });
    }

    const logoutMatch = /^\/users\/([^/]+)\/logout$/.exec(path);
    if (logoutMatch && method === 'POST') {
      const user = state.users.find((u) => String(u.id) === logoutMatch[1]);
      if (!user) return webitelError(res, 404, 'app.user.not_found', `user ${logoutMatch[1]} not found`);
      if (user.domainId !== state.operatorDomainId) {
        return webitelError(res, 403, 'app.user.logout.forbidden', `user ${user.id} belongs to another domain; you can only log out users of your own domain`);
      }
      if (user.sessions <= 0) return webitelError(res, 403, 'app.user.logout.no_sessions', `user ${user.id} has no active sessions`);
      user.sessions = 0;
      return sendJson(res, 200, {});
    }

    return webitelError(res, 404, 'app.router.not_found', `no route ${method} ${url.pathname}`);
  };

  const server: RunningServer = opts.https ? await startHttpsServer(handler, opts.https) : await startHttpServer(handler);
  return { url: server.url, state, close: () => server.close() };
}
