// Long by design: one misbehaving server; every fault scenario for every vendor is chosen by the request path on the same server.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { closedPort } from '../helpers/closed-port.ts';

/**
 * One real HTTP server on 127.0.0.1 that misbehaves on purpose. The scenario and the vendor
 * are chosen by the request path, `/f/<scenario>/<vendor>/…`, so every vendor client can be
 * pointed at it with an ordinary base URL and many scenarios can run at the same time.
 * `setScenario` is a global switch for URLs without that prefix (`/any/…`).
 *
 * Where a scenario sends a body, it starts from the vendor's real success answer (Loway's
 * `X:value` text, an XML-RPC struct, QLM XML, iSymphony/Webitel JSON) so the client gets as far
 * as parsing before the fault bites.
 */
export const FAULT_SCENARIOS = [
  'refused',
  'reset-mid-body',
  'hang',
  'slow-drip',
  'http500-html',
  'http401',
  'http403',
  'redirect-loop',
  'huge-streamed',
  'huge-declared',
  'invalid-utf8',
  'truncated',
] as const;
export type FaultScenario = (typeof FAULT_SCENARIOS)[number];

export const FAULT_VENDORS = ['loway', 'queuemetrics', 'isymphony', 'webitel', 'qlm'] as const;
export type FaultVendor = (typeof FAULT_VENDORS)[number];

export interface FaultServerOptions {
  /** Gap between bytes in `slow-drip` (default 200 ms). */
  dripIntervalMs?: number;
  /** Size of the `huge-*` bodies (default 10 MB). */
  hugeBytes?: number;
}

export interface FaultRequest {
  scenario: FaultScenario;
  vendor: FaultVendor;
  method: string;
  /** Path after the `/f/<scenario>/<vendor>` prefix, with the query. */
  path: string;
}

export interface FaultServer {
  origin: string;
  /** An origin on which nothing listens (connection refused). */
  closedOrigin: string;
  /** The base URL a user would enter for this vendor, routed to this scenario. */
  baseUrl(scenario: FaultScenario, vendor: FaultVendor): string;
  /** Every request received, in order. */
  requests: FaultRequest[];
  setScenario(scenario: FaultScenario): void;
  close(): Promise<void>;
}

/** Where each vendor's base URL points below the scenario prefix (what a user would type). */
const VENDOR_BASE_PATH: Record<FaultVendor, string> = {
  loway: '/llm/licence_wsvc_gen.do',
  queuemetrics: '/queuemetrics',
  isymphony: '',
  webitel: '',
  qlm: '/qlm/qlmservice.asmx',
};

const LOWAY_KEY = '5231317C-5232476E-3C1A2B4D-0F9E8D7C-6B5A4938-2716A5B4-C3D2E1F0-307C';

function lowayAnswer(): string {
  return `S:OK\nD:2024-05-01 10:00:00\nK:${LOWAY_KEY}\nI:2024-05-01 10:00:00\nX:2024-07-30\nM:R\n`;
}

function xmlRpcAnswer(): string {
  const row = (cells: string[]) => `<value><array><data>${cells.map((c) => `<value><string>${c}</string></value>`).join('')}</data></array></value>`;
  const block = (rows: string[][]) => `<value><array><data>${rows.map(row).join('')}</data></array></value>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param><value><struct>' +
    `<member><name>result</name>${block([['Status', 'OK'], ['Key', LOWAY_KEY], ['Agents', '50']])}</member>` +
    `<member><name>info</name>${block([['Server', 'QueueMetrics 24.10'], ['Method', 'QM.setActivationKey']])}</member>` +
    '</struct></value></param></params></methodResponse>\n'
  );
}

function isymphonyAnswer(path: string): string {
  if (/\/license(?:\?|$)/.test(path)) {
    return JSON.stringify({
      id: 'lic-1',
      serial: 'ISYM-1234-5678-9ABC',
      type: 'PROFESSIONAL',
      licensedTo: 'Acme Call Centre',
      expirationDate: 1_767_225_600_000,
      maintenanceExpirationDate: null,
      clientConnections: 25,
      configuredUsers: -1,
    });
  }
  return JSON.stringify([{ id: 'cs-1', slug: 'default', name: 'Default core server' }]);
}

function webitelAnswer(path: string): string {
  const license = {
    id: 'a1f0c3d2e4b5a6978899aabbccddeef1',
    product: 'CALL_CENTER',
    name: 'Contact centre',
    scope: ['cc_agent', 'cc_queue'],
    competitive: true,
    limit: 10,
    remain: 4,
    not_before: '1714557600000',
    not_after: '1767225600000',
  };
  if (path.startsWith('/api/customer')) {
    return JSON.stringify({ id: '1', organization: 'Acme', issued_at: '1714557600000', not_before: '1714557600000', not_after: '1767225600000', license: [license] });
  }
  return JSON.stringify({ page: 1, next: false, items: [license] });
}

function qlmAnswer(path: string): string {
  const inner = /GetActivationKey/i.test(path)
    ? '<licenses><license><activationKey>A1B2C-D3E4F-G5H6J-K7L8M</activationKey></license></licenses>'
    : '<result>Successfully connected to the License Server.</result><serverDate>2024-05-01T10:00:00Z</serverDate><serverVersion>17.0.23100.1</serverVersion>';
  return `<?xml version="1.0" encoding="utf-8"?>\r\n<QuickLicenseManager>${inner}</QuickLicenseManager>`;
}

/** The vendor's real success answer for this request. */
export function plausibleBody(vendor: FaultVendor, path: string): { body: string; type: string } {
  switch (vendor) {
    case 'loway':
      return { body: lowayAnswer(), type: 'text/plain; charset=utf-8' };
    case 'queuemetrics':
      return { body: xmlRpcAnswer(), type: 'text/xml; charset=utf-8' };
    case 'isymphony':
      return { body: isymphonyAnswer(path), type: 'application/json' };
    case 'webitel':
      return { body: webitelAnswer(path), type: 'application/json' };
    case 'qlm':
      return { body: qlmAnswer(path), type: 'text/xml; charset=utf-8' };
  }
}

/** The plausible body with invalid UTF-8 bytes in the middle of a value. */
function withInvalidUtf8(body: string): Buffer {
  const at = Math.floor(body.length * 0.6);
  return Buffer.concat([Buffer.from(body.slice(0, at), 'utf8'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(body.slice(at), 'utf8')]);
}

/**
 * A debugging error page of the kind some servers show, echoing what it received: the query
 * parameters (last first) and the request body. Credentials sent in either land within the
 * first lines, so a client that quotes the page must mask them.
 */
function errorPage(status: number, title: string, req: http.IncomingMessage, body: Buffer): string {
  const params = [...new URL(req.url ?? '/', 'http://fault').searchParams].reverse().map(([k, v]) => `${k}=${v}`);
  const echoed = [...params, body.toString('utf8').slice(0, 600)].join('\n');
  return (
    `<!doctype html><html><head><title>HTTP Status ${status} – ${title}</title></head><body>` +
    `<pre>${echoed}</pre><h1>HTTP Status ${status} – ${title}</h1><p>Request: ${req.method} ${(req.url ?? '/').split('?')[0]}</p>` +
    '<hr class="line" /><h3>Apache Tomcat/9.0.85</h3></body></html>'
  );
}

function isScenario(s: string): s is FaultScenario {
  return (FAULT_SCENARIOS as readonly string[]).includes(s);
}
function isVendor(s: string): s is FaultVendor {
  return (FAULT_VENDORS as readonly string[]).includes(s);
}

async function closedPortOrigin(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}

export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const dripMs = opts.dripIntervalMs ?? 200;
  const hugeBytes = opts.hugeBytes ?? 10 * 1024 * 1024;
  const requests: FaultRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let globalScenario: FaultScenario = 'hang';

  const route = (url: string): { scenario: FaultScenario; vendor: FaultVendor; path: string } | null => {
    const m = /^\/f\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url);
    if (m && isScenario(m[1]!) && isVendor(m[2]!)) return { scenario: m[1], vendor: m[2], path: m[3] ?? '/' };
    const any = /^\/any\/([^/]+)(\/.*)?$/.exec(url);
    if (any && isVendor(any[1]!)) return { scenario: globalScenario, vendor: any[1], path: any[2] ?? '/' };
    return null;
  };

  /** Write `head` then filler until `total` bytes, respecting back-pressure; stops when the client goes. */
  const stream = (res: http.ServerResponse, head: string, total: number) => {
    let sent = 0;
    const filler = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      if (sent === 0) {
        res.write(head);
        sent = Buffer.byteLength(head);
      }
      while (sent < total && !res.destroyed) {
        const chunk = filler.subarray(0, Math.min(filler.length, total - sent));
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, reqBody: Buffer) => {
    res.on('error', () => {});
    const r = route(req.url ?? '/');
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('no such fault route');
    }
    requests.push({ scenario: r.scenario, vendor: r.vendor, method: req.method ?? 'GET', path: r.path });
    const { body, type } = plausibleBody(r.vendor, r.path);
    switch (r.scenario) {
      case 'refused':
        // Reached only through the global switch; a refused connection never gets here.
        return void req.socket.destroy();
      case 'reset-mid-body': {
        res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        const t = setTimeout(() => req.socket.destroy(), 20);
        timers.add(t);
        return;
      }
      case 'hang':
        return; // headers never come; the socket stays open until the client gives up
      case 'slow-drip': {
        res.writeHead(200, { 'content-type': type });
        const bytes = Buffer.from(`${body}${' '.repeat(4096)}`, 'utf8');
        let i = 0;
        const t = setInterval(() => {
          if (res.destroyed || i >= bytes.length) {
            clearInterval(t);
            timers.delete(t);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(bytes.subarray(i, i + 1));
          i++;
        }, dripMs);
        timers.add(t);
        return;
      }
      case 'http500-html':
        return sendRaw(res, 500, errorPage(500, 'Internal Server Error', req, reqBody), 'text/html;charset=utf-8');
      case 'http401':
        return sendRaw(res, 401, errorPage(401, 'Unauthorized', req, reqBody), 'text/html;charset=utf-8', {
          'www-authenticate': 'Basic realm="Restricted"',
        });
      case 'http403':
        return sendRaw(res, 403, errorPage(403, 'Forbidden', req, reqBody), 'text/html;charset=utf-8');
      case 'redirect-loop':
        return sendRaw(res, 302, '', 'text/plain', { location: req.url ?? '/' });
      case 'huge-streamed':
        res.writeHead(200, { 'content-type': type });
        return stream(res, body, hugeBytes);
      case 'huge-declared':
        res.writeHead(200, { 'content-type': type, 'content-length': hugeBytes });
        return stream(res, body, hugeBytes);
      case 'invalid-utf8': {
        const bytes = withInvalidUtf8(body);
        res.writeHead(200, { 'content-type': type, 'content-length': bytes.length });
        return void res.end(bytes);
      }
      case 'truncated':
        return sendRaw(res, 200, body.slice(0, Math.floor(body.length * 0.55)), type);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closedOrigin = await closedPortOrigin();

  return {
    origin,
    closedOrigin,
    requests,
    baseUrl(scenario, vendor) {
      const host = scenario === 'refused' ? closedOrigin : origin;
      return `${host}/f/${scenario}/${vendor}${VENDOR_BASE_PATH[vendor]}`;
    },
    setScenario(scenario) {
      globalScenario = scenario;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function sendRaw(res: http.ServerResponse, status: number, text: string, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
