import crypto from 'node:crypto';
import type http from 'node:http';
import { startHttpServer, sendText, type RunningServer } from '../../helpers/servers.ts';

/**
 * A Loway key server on 127.0.0.1: GET <path>?K_enduser&K_email&K_id answers in the
 * `X:value` line format, S:OK or the S:KO error form. Conversions are idempotent: the same
 * PPK gives the same K and I (issue time), with a fresh D (server time) on every call.
 */
export type LowaySimMode = 'ok' | 'hang' | 'reset' | 'garbage' | 'huge' | 'lose-first-answer' | 'http500';

export interface LowaySimOptions {
  /** PPKs the server knows; when omitted any syntactically valid PPK is known. */
  validPpks?: string[];
  /** PPKs answered with "Key not found" even though they look valid. */
  unknownPpks?: string[];
  mode?: LowaySimMode;
  /** The server's clock (lets a test create skew). */
  now?: () => Date;
  path?: string;
}

export interface LowaySimRequest {
  enduser: string | null;
  email: string | null;
  id: string | null;
}

export interface LowaySimulator {
  /** The full activation URL, e.g. http://127.0.0.1:port/llm/licence_wsvc_gen.do */
  url: string;
  /** Every request that reached the handler, in order. */
  requests: LowaySimRequest[];
  /** Conversions done so far, by PPK. */
  conversions: Map<string, { key: string; issued: Date; expires: string; enduser: string }>;
  setMode(mode: LowaySimMode): void;
  close(): Promise<void>;
}

const PPK_SHAPE = /^[A-Za-z0-9._-]+:[A-Za-z][A-Za-z0-9]*-(\d+)\/(\d+)\/(\d+)$/;

function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

function makeKey(): string {
  // Looks like Loway's "5231317C-5232476E-…-307C": hex groups on one line.
  const groups = Array.from({ length: 12 }, () => crypto.randomBytes(4).toString('hex').toUpperCase());
  return [...groups, crypto.randomBytes(2).toString('hex').toUpperCase()].join('-');
}

function errorBody(now: Date, reason: string): string {
  return `S:KO - ${reason}\nD:${stamp(now)}\nK:n/a\nI:\nX:\nM:ERR\n`;
}

export async function startLowaySimulator(opts: LowaySimOptions = {}): Promise<LowaySimulator> {
  const path = opts.path ?? '/llm/licence_wsvc_gen.do';
  const now = opts.now ?? (() => new Date());
  const valid = opts.validPpks ? new Set(opts.validPpks) : null;
  const unknown = new Set(opts.unknownPpks ?? []);
  let mode: LowaySimMode = opts.mode ?? 'ok';
  let lostOnce = false;
  const requests: LowaySimRequest[] = [];
  const conversions: LowaySimulator['conversions'] = new Map();

  const convert = (q: URLSearchParams): { status: number; body: string } => {
    const t = now();
    const enduser = q.get('K_enduser');
    const id = q.get('K_id');
    if (!enduser) return { status: 200, body: errorBody(t, 'Missing parameter K_enduser') };
    if (!q.get('K_email')) return { status: 200, body: errorBody(t, 'Missing parameter K_email') };
    const shape = id ? PPK_SHAPE.exec(id) : null;
    if (!id || !shape || unknown.has(id) || (valid && !valid.has(id))) {
      return { status: 200, body: errorBody(t, 'Key not found U:1234') };
    }
    let c = conversions.get(id);
    if (!c) {
      const days = Number(shape[3]);
      const expires = new Date(t.getTime() + days * 86_400_000).toISOString().slice(0, 10);
      c = { key: makeKey(), issued: t, expires, enduser };
      conversions.set(id, c);
    }
    return { status: 200, body: `S:OK\nD:${stamp(t)}\nK:${c.key}\nI:${stamp(c.issued)}\nX:${c.expires}\nM:R\n` };
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://sim');
    if (u.pathname !== path) return sendText(res, 404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
    const q = u.searchParams;
    requests.push({ enduser: q.get('K_enduser'), email: q.get('K_email'), id: q.get('K_id') });
    switch (mode) {
      case 'hang':
        return;
      case 'reset':
        return req.socket.destroy();
      case 'garbage':
        return sendText(res, 200, '<html><head><title>Welcome</title></head><body><p>Apache is working.</p></body></html>', 'text/html');
      case 'http500':
        return sendText(res, 500, '<html><body><h1>HTTP Status 500 - Internal Server Error</h1></body></html>', 'text/html');
      case 'huge': {
        // Streamed without a content-length so the client must cap while reading.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'S:OK\n' + 'x'.repeat(64 * 1024 - 5);
        let sent = 0;
        const pump = () => {
          while (sent < 2 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        return pump();
      }
      case 'lose-first-answer': {
        const answer = convert(q);
        if (!lostOnce) {
          lostOnce = true;
          return req.socket.destroy();
        }
        return sendText(res, answer.status, answer.body);
      }
      case 'ok': {
        const answer = convert(q);
        return sendText(res, answer.status, answer.body);
      }
    }
  };

  const server: RunningServer = await startHttpServer(handler);
  return {
    url: `${server.url}${path}`,
    requests,
    conversions,
    setMode(m) {
      mode = m;
      lostOnce = false;
    },
    close: () => server.close(),
  };
}
