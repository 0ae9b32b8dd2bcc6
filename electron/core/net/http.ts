// Long by design: the one HTTP choke point every vendor client goes through (trust decision, keep-alive pool, deadlines, size limits, cancellation), kept whole so no request can bypass a part of it.
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { KeyfleetError } from '../errors.ts';
import { httpTarget, type HttpTarget } from './http-target.ts';

export { excerpt } from './excerpt.ts';

// The CommonJS modules rather than `import http from 'node:http'`: building node:http's ES module
// facade reads every export, which loads undici (~20 ms of every CLI start) for fetch and
// WebSocket getters this transport never uses.
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

/**
 * The one HTTP transport every vendor client uses. It never follows redirects (a client
 * decides what a 3xx means), always has a deadline and a body-size cap, and verifies TLS:
 * a certificate is accepted when the system trusts it, or when its SHA-256 fingerprint
 * equals the one the user pinned. A pinned instance accepts only the pinned certificate.
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole-exchange deadline: connect, headers and body. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. */
  maxBytes?: number;
  /** Pinned certificate fingerprint ("AB:CD:…" or plain hex, SHA-256). */
  pinSha256?: string | null;
  signal?: AbortSignal;
  /**
   * A read that may safely be sent twice. Only such a request travels on a pooled keep-alive
   * connection, and is sent once more on a fresh connection when the server turns out to have
   * closed the reused one before answering. Anything else gets a fresh connection of its own
   * and is never re-sent.
   */
  idempotent?: boolean;
  /**
   * The same address as `url`, already split by a client that parsed it (see `httpTarget`), so the
   * transport need not parse it again: a refresh sends one request to each of thousands of
   * addresses. Without it the transport parses `url`.
   */
  target?: HttpTarget;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Fingerprint of the server certificate when the exchange used TLS. */
  certSha256?: string;
}

export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Drop every pooled connection (a transport that pools none need not have it). */
  close?(): void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * How long an idle pooled connection is kept: under the 5 s keep-alive of Apache httpd and
 * Node, the shortest common server defaults (Node's agent also honours a shorter
 * `Keep-Alive: timeout=` hint), so the client gives a connection up before the server does.
 */
export const IDLE_CONNECTION_MS = 4_000;
/** Idle connections kept per host: bulk work sends at most 2 requests at a time to one host. */
const MAX_IDLE_CONNECTIONS_PER_HOST = 4;
const POOL_OPTIONS = {
  keepAlive: true,
  maxFreeSockets: MAX_IDLE_CONNECTIONS_PER_HOST,
  timeout: IDLE_CONNECTION_MS,
  // The most recently used connection is the least likely to have been closed by the server.
  scheduling: 'lifo',
} as const;

export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 64) throw new KeyfleetError('BAD_INPUT', `certificate fingerprint must be a SHA-256 (64 hex digits), got ${hex.length}`);
  return hex.match(/../g)!.join(':');
}

function describeNetError(err: NodeJS.ErrnoException, host: string): KeyfleetError {
  const code = err.code ?? '';
  const where = host;
  switch (code) {
    case 'ECONNREFUSED':
      return new KeyfleetError('NETWORK', `connection refused by ${where} (is the server running?)`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new KeyfleetError('NETWORK', `connection reset by ${where}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new KeyfleetError('NETWORK', `cannot resolve host ${where}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new KeyfleetError('NETWORK', `${where} is unreachable`);
    default:
      return new KeyfleetError('NETWORK', `network error talking to ${where}: ${err.message}`);
  }
}

/** Open a TLS connection and decide trust before a single request byte is written. */
function trustedTlsConnection(
  opts: { host: string; port: number; servername: string; pin: string | null },
  done: (err: Error | null, socket?: Duplex) => void,
): void {
  const socket = tls.connect({
    host: opts.host,
    port: opts.port,
    servername: net.isIP(opts.servername) ? undefined : opts.servername,
    // Trust is decided below, after the handshake and before any data is sent.
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  });
  socket.once('secureConnect', () => {
    const cert = socket.getPeerCertificate();
    const fp = cert?.fingerprint256 ? cert.fingerprint256.toUpperCase() : '';
    if (opts.pin) {
      if (fp === opts.pin) return done(null, socket);
      socket.destroy();
      return done(
        new KeyfleetError(
          'TLS_PIN_MISMATCH',
          `certificate of ${opts.host} changed: pinned ${opts.pin}, presented ${fp || 'none'}; refusing to connect`,
          { fingerprint: fp, pinned: opts.pin },
        ),
      );
    }
    if (socket.authorized) return done(null, socket);
    const reason = String(socket.authorizationError ?? 'unknown');
    socket.destroy();
    return done(
      new KeyfleetError(
        'TLS_UNTRUSTED',
        `certificate of ${opts.host} is not trusted (${reason}); SHA-256 fingerprint ${fp}. Pin this fingerprint if you recognise it`,
        { fingerprint: fp, reason },
      ),
    );
  });
  socket.once('error', (err) => done(err));
}

/** The SHA-256 fingerprint of the certificate a TLS socket's peer presented, fresh or reused. */
function peerFingerprint(socket: unknown): string | undefined {
  if (!(socket instanceof tls.TLSSocket)) return undefined;
  const fp = socket.getPeerCertificate()?.fingerprint256;
  return fp ? fp.toUpperCase() : undefined;
}

/**
 * Keep-alive connections under one trust decision: one pinned fingerprint, or system trust
 * (pin null). Every connection it opens passes trustedTlsConnection before a request byte is
 * written, and connections are pooled per agent, so one trusted under a pin never carries a
 * request made under another pin or under system trust.
 */
class TrustedTlsAgent extends https.Agent {
  readonly #pin: string | null;

  constructor(pin: string | null) {
    super(POOL_OPTIONS);
    this.#pin = pin;
  }

  override createConnection(options: Https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    // The agent's own servername is '' for an IP; the fresh path passes the host, and so does this one.
    const host = String(options.host ?? 'localhost');
    trustedTlsConnection({ host, port: Number(options.port), servername: host, pin: this.#pin }, (err, socket) => callback?.(err, socket as Duplex));
    return undefined;
  }
}

/**
 * What to do when a signal aborts, for every request still waiting on it: one 'abort' listener
 * per signal, however many requests share it. A bulk job hands one signal to thousands of
 * requests, and adding and removing an EventTarget listener for each costs more than a set entry.
 */
const abortWatchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Run `onAbort` if `signal` aborts; the function returned stops watching. */
function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let watchers = abortWatchers.get(signal);
  if (!watchers) {
    const all = new Set<() => void>();
    watchers = all;
    abortWatchers.set(signal, all);
    signal.addEventListener(
      'abort',
      () => {
        abortWatchers.delete(signal);
        for (const watcher of [...all]) watcher();
        all.clear();
      },
      { once: true },
    );
  }
  const set = watchers;
  set.add(onAbort);
  return () => set.delete(onAbort);
}

/** How a server closing an idle keep-alive connection shows up on the request written to it. */
function isStaleConnectionError(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ECONNRESET' || err.code === 'EPIPE';
}

/**
 * Node's HTTP(S) client with our trust decision. Idempotent requests share keep-alive
 * connections pooled per transport (per pin for TLS); idle pooled connections do not keep
 * the process alive, and close() drops them.
 */
export class NodeHttpTransport implements HttpTransport {
  #plainPool: Http.Agent | null = null;
  readonly #tlsPools = new Map<string, TrustedTlsAgent>();

  /** Destroy every pooled connection (a request still on one fails); later requests open new ones. */
  close(): void {
    this.#plainPool?.destroy();
    this.#plainPool = null;
    for (const agent of this.#tlsPools.values()) agent.destroy();
    this.#tlsPools.clear();
  }

  #pool(isTls: boolean, pin: string | null): Http.Agent {
    if (!isTls) return (this.#plainPool ??= new http.Agent(POOL_OPTIONS));
    const key = pin ?? 'system';
    let agent = this.#tlsPools.get(key);
    if (!agent) {
      agent = new TrustedTlsAgent(pin);
      this.#tlsPools.set(key, agent);
    }
    return agent;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    let target = req.target;
    if (!target) {
      try {
        target = httpTarget(new URL(req.url));
      } catch {
        throw new KeyfleetError('BAD_INPUT', `not a valid URL: ${req.url}`);
      }
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new KeyfleetError('BAD_INPUT', `unsupported URL scheme ${target.protocol} in ${target.protocol}//${target.host}`);
    }
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
    const pin = req.pinSha256 ? normalizeFingerprint(req.pinSha256) : null;
    const isTls = target.protocol === 'https:';
    // An IPv6 literal comes bracketed; Node's request options take it bare.
    const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
    const port = Number(target.port) || (isTls ? 443 : 80);
    const hostLabel = target.host;
    const path = target.path;

    if (req.signal?.aborted) throw new KeyfleetError('CANCELLED', `request to ${hostLabel} cancelled`);

    return await new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      // Whether the whole request reached a socket (on any attempt): callers of non-idempotent
      // methods need to know if a failure may have happened after the server got it.
      let requestSent = false;
      let current: Http.ClientRequest | undefined;
      const finish = (err: Error | null, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unwatch?.();
        if (err) {
          // Destroys the socket as well: a connection that failed, timed out, was cancelled or
          // was cut short mid-body never goes back to the pool.
          current?.destroy();
          const e = err instanceof KeyfleetError ? err : new KeyfleetError('NETWORK', err.message);
          reject(new KeyfleetError(e.code, e.message, { ...e.details, requestSent }, { cause: e.cause ?? err }));
        } else resolve(res!);
      };
      // One deadline for the whole exchange, the retry included.
      const timer = setTimeout(() => {
        finish(new KeyfleetError('TIMEOUT', `${hostLabel} did not answer within ${Math.round(timeoutMs / 100) / 10} s`));
      }, timeoutMs);
      const unwatch = req.signal ? watchAbort(req.signal, () => finish(new KeyfleetError('CANCELLED', `request to ${hostLabel} cancelled`))) : undefined;

      const headers: Record<string, string> = { 'user-agent': 'Keyfleet', ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));

      /** One attempt; `pooled` sends it on a keep-alive connection, otherwise on a fresh one that is closed after. */
      const send = (pooled: boolean): void => {
        const options: Http.RequestOptions = {
          method: req.method,
          host,
          port,
          path,
          headers,
        };
        if (pooled) options.agent = this.#pool(isTls, pin);
        else if (!isTls) options.agent = false;
        else {
          options.createConnection = ((_: unknown, cb: (err: Error | null, s?: Duplex) => void) => {
            trustedTlsConnection({ host, port, servername: host, pin }, cb);
            return undefined;
          }) as unknown as Http.RequestOptions['createConnection'];
        }
        let responseStarted = false;
        let bytesReadBefore = 0;
        const clientReq = (isTls ? https : http).request(options, (res) => {
          responseStarted = true;
          const certSha256 = isTls ? peerFingerprint(res.socket) : undefined;
          const chunks: Buffer[] = [];
          let size = 0;
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            finish(new KeyfleetError('BODY_TOO_LARGE', `${hostLabel} sent ${declared} bytes, more than the ${maxBytes}-byte limit`));
            return;
          }
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              finish(new KeyfleetError('BODY_TOO_LARGE', `${hostLabel} sent more than the ${maxBytes}-byte limit`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const out: HttpResponse = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
            if (certSha256) out.certSha256 = certSha256;
            finish(null, out);
          });
          res.on('aborted', () => finish(new KeyfleetError('NETWORK', `connection to ${hostLabel} closed before the answer was complete`)));
          res.on('error', (err: NodeJS.ErrnoException) =>
            finish(
              err.code === 'ECONNRESET' || err.message === 'aborted'
                ? new KeyfleetError('NETWORK', `connection to ${hostLabel} closed before the answer was complete`)
                : describeNetError(err, hostLabel),
            ),
          );
        });
        current = clientReq;
        clientReq.on('socket', (socket) => (bytesReadBefore = socket.bytesRead));
        clientReq.on('error', (err: NodeJS.ErrnoException) => {
          if (clientReq !== current || settled) return;
          // The server closed a reused idle connection before a single byte of answer came
          // back: it cannot have answered, and the request is a read, so send it once more on a
          // fresh connection. Anything else (a fresh connection, a started answer, a timeout)
          // is reported as it is.
          const nothingAnswered = !responseStarted && (clientReq.socket?.bytesRead ?? bytesReadBefore) === bytesReadBefore;
          if (pooled && clientReq.reusedSocket && nothingAnswered && !(err instanceof KeyfleetError) && isStaleConnectionError(err)) {
            clientReq.destroy();
            send(false);
            return;
          }
          if (err instanceof KeyfleetError) return finish(err);
          if (err.code === 'HPE_INVALID_CONSTANT' || err.code?.startsWith('HPE_')) {
            return finish(new KeyfleetError('BAD_RESPONSE', `${hostLabel} did not answer with valid HTTP (${err.code})`));
          }
          if (err.code === 'ECONNRESET' && err.message === 'socket hang up') {
            return finish(new KeyfleetError('NETWORK', `${hostLabel} closed the connection without answering`));
          }
          finish(describeNetError(err, hostLabel));
        });
        clientReq.on('finish', () => (requestSent = true));
        // The body with end(), not write() then end(): Node then sends the headers and a string
        // body in one write on the socket instead of a corked writev of two buffers.
        clientReq.end(req.body);
      };
      send(req.idempotent === true);
    });
  }
}

/** Decode a body as UTF-8, refusing invalid byte sequences with a clear message. */
// One decoder for every answer: a whole-buffer decode keeps no state between calls.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(body: Buffer, what: string): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw new KeyfleetError('BAD_RESPONSE', `${what} answered with bytes that are not valid UTF-8`);
  }
}

/** A transport whose every request uses the given pinned certificate (for clients without a pin option). */
export function withPin(transport: HttpTransport, pinSha256: string | null | undefined): HttpTransport {
  if (!pinSha256) return transport;
  return { request: (req) => transport.request({ ...req, pinSha256 }) };
}
