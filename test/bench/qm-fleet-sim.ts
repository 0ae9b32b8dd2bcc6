import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Many QueueMetrics instances behind one Node process, for the refresh benchmark: `ports`
 * HTTP servers on 127.0.0.1, each standing for one vendor host (the scheduler's per-host key
 * is host:port). Instance number n lives at http://127.0.0.1:<port>/i<n>/queuemetrics and
 * answers QM.setActivationKey queries in the same XML-RPC shape as test/vendors/queuemetrics/qm_xmlrpc.py
 * (a struct of named blocks of string rows, "result" first), after `latencyMs`.
 *
 * It counts requests in flight per port, so the benchmark can show that the per-host limit
 * held, and refuses wrong credentials with the XML-RPC fault QueueMetrics sends.
 */

export interface QmFleetSimOptions {
  ports: number;
  latencyMs: number;
  login: string;
  password: string;
  /** The activation key instance n runs. */
  keyFor(n: number): string;
}

export interface QmFleetSimStats {
  requests: number;
  faults: number;
  /** Most requests in flight at once on any one port (one "host"). */
  maxPerHost: number;
  /** Most requests in flight at once over all ports. */
  maxTotal: number;
}

export interface QmFleetSim {
  ports: number[];
  /** Base URL (no path) of the host instance n is on: instances are dealt over the ports round-robin. */
  hostFor(n: number): string;
  stats(): QmFleetSimStats;
  resetStats(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const PATH = /^\/i(\d+)\/queuemetrics\/xmlrpc\.do$/;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function rowsXml(rows: string[][]): string {
  const row = (cells: string[]) => `<value><array><data>${cells.map((c) => `<value><string>${xmlEscape(c)}</string></value>`).join('')}</data></array></value>`;
  return `<value><array><data>${rows.map(row).join('')}</data></array></value>`;
}

function blocksResponse(blocks: Record<string, string[][]>): string {
  const members = Object.entries(blocks)
    .map(([name, rows]) => `<member><name>${xmlEscape(name)}</name>${rowsXml(rows)}</member>`)
    .join('');
  return `<?xml version="1.0"?>\n<methodResponse><params><param><value><struct>${members}</struct></value></param></params></methodResponse>\n`;
}

function faultResponse(code: number, message: string): string {
  return (
    `<?xml version="1.0"?>\n<methodResponse><fault><value><struct>` +
    `<member><name>faultCode</name><value><int>${code}</int></value></member>` +
    `<member><name>faultString</name><value><string>${xmlEscape(message)}</string></value></member>` +
    `</struct></value></fault></methodResponse>\n`
  );
}

function xmlUnescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** methodName and string params of an XML-RPC call (the client sends only strings). */
function parseCall(body: string): { method: string; params: string[] } | null {
  const method = /<methodName>([^<]*)<\/methodName>/.exec(body)?.[1];
  if (method === undefined) return null;
  const params: string[] = [];
  const param = /<param>\s*<value>\s*(?:<string>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/string>|<string\/>|([^<]*))\s*<\/value>\s*<\/param>/g;
  for (const m of body.matchAll(param)) params.push(m[1] ?? xmlUnescape(m[2] ?? m[3] ?? ''));
  return { method: xmlUnescape(method), params };
}

export async function startQmFleetSim(opts: QmFleetSimOptions): Promise<QmFleetSim> {
  let latencyMs = opts.latencyMs;
  const stats: QmFleetSimStats = { requests: 0, faults: 0, maxPerHost: 0, maxTotal: 0 };
  let inFlightTotal = 0;
  const servers: http.Server[] = [];
  const ports: number[] = [];

  const serverFor = () => {
    let inFlight = 0;
    return http.createServer((req, res) => {
      stats.requests++;
      inFlight++;
      inFlightTotal++;
      stats.maxPerHost = Math.max(stats.maxPerHost, inFlight);
      stats.maxTotal = Math.max(stats.maxTotal, inFlightTotal);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        inFlight--;
        inFlightTotal--;
      };
      res.on('finish', end);
      res.on('close', end);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: string, type = 'text/xml; charset=utf-8') => {
          setTimeout(() => {
            res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
            res.end(body);
          }, latencyMs);
        };
        const m = PATH.exec(req.url ?? '');
        if (req.method !== 'POST' || !m) return send(404, `<html><body><h1>HTTP Status 404 - ${xmlEscape(req.url ?? '')}</h1></body></html>`, 'text/html');
        const call = parseCall(Buffer.concat(chunks).toString('utf8'));
        if (!call || call.method !== 'QM.setActivationKey') {
          stats.faults++;
          return send(200, faultResponse(-32601, `No such handler: ${call?.method ?? '(none)'}`));
        }
        const [login, password, newKey] = call.params;
        if (login !== opts.login || password !== opts.password) {
          stats.faults++;
          return send(200, faultResponse(1, `Authentication failed: invalid login or password for user '${login ?? ''}'`));
        }
        if (newKey) {
          stats.faults++;
          return send(200, faultResponse(3, 'this simulator only answers queries (an empty newKey)'));
        }
        const key = opts.keyFor(Number(m[1]));
        send(
          200,
          blocksResponse({
            result: [
              ['Status', 'OK'],
              ['Key', key],
              ['Agents', '50'],
              ['Message', 'Current configuration key'],
            ],
            info: [
              ['Server', 'QueueMetrics fleet simulator'],
              ['Method', 'QM.setActivationKey'],
            ],
          }),
        );
      });
    });
  };

  try {
    for (let i = 0; i < opts.ports; i++) {
      const server = serverFor();
      // Enough backlog for every request of a burst on one port.
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => resolve());
      });
      servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
  } catch (e) {
    for (const s of servers) s.close();
    throw e;
  }

  return {
    ports,
    hostFor: (n) => `http://127.0.0.1:${ports[n % ports.length]}`,
    stats: () => ({ ...stats }),
    resetStats: () => {
      stats.requests = 0;
      stats.faults = 0;
      stats.maxPerHost = 0;
      stats.maxTotal = 0;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
