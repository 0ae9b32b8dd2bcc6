import type http from 'node:http';
import type net from 'node:net';
import { sendText, startHttpServer, startHttpsServer, type RunningServer, type SelfSignedCert } from './servers.ts';

/** One request as the server saw it: which connection (1, 2, …) and its rank on that connection. */
export interface Seen {
  path: string;
  conn: number;
  nth: number;
  connectionHeader: string | undefined;
}

/**
 * A real server that numbers its connections, so a test can tell which connection carried
 * which request. `connections` counts connections that got as far as HTTP (for HTTPS: past the
 * handshake); `tcp` counts every accepted TCP connection.
 */
export interface TrackedServer {
  url: string;
  connections: number;
  tcp: number;
  seen: Seen[];
  socket(conn: number): net.Socket;
  /** Resolves when the server side of a connection has closed; fails after 2 s. */
  closed(conn: number): Promise<void>;
  close(): Promise<void>;
}

function route(req: http.IncomingMessage, res: http.ServerResponse, nth: number, conn: number): void {
  switch (req.url) {
    case '/hang':
      return; // never answers
    case '/drop-on-reuse':
      // Closes a reused connection the moment the request arrives, as a server does whose idle
      // timer fired just as the request was written; a first request on a connection is answered.
      if (nth > 1) {
        req.socket.destroy();
        return;
      }
      return sendText(res, 200, `ok:${conn}`);
    case '/drop-always':
      req.socket.destroy();
      return;
    case '/partial':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('0123456789');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    case '/partial-head':
      // Half a status line, then a reset: bytes of an answer arrived, so no retry.
      req.socket.write('HTTP/1.1 200 OK\r\nContent-Le', () => setTimeout(() => req.socket.resetAndDestroy(), 20));
      return;
    case '/big':
      return sendText(res, 200, 'x'.repeat(64 * 1024));
    case '/chunked-big': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const kb = 'y'.repeat(1024);
      res.write(kb);
      res.write(kb);
      res.end(kb);
      return;
    }
    default:
      return sendText(res, 200, `ok:${conn}`);
  }
}

/** `fixedStatus` answers every request with that status instead of routing it. */
export async function trackedServer(kind: 'http' | 'https', cert?: SelfSignedCert, fixedStatus?: number): Promise<TrackedServer> {
  const ids = new WeakMap<object, { conn: number; nth: number }>();
  const sockets = new Map<number, net.Socket>();
  const state = { connections: 0, tcp: 0, seen: [] as Seen[] };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const info = ids.get(req.socket);
    if (!info) throw new Error('request on an untracked connection');
    info.nth++;
    state.seen.push({ path: req.url ?? '', conn: info.conn, nth: info.nth, connectionHeader: req.headers.connection });
    if (fixedStatus !== undefined) return sendText(res, fixedStatus, 'server error');
    route(req, res, info.nth, info.conn);
  };
  const running: RunningServer = kind === 'http' ? await startHttpServer(handler) : await startHttpsServer(handler, cert!);
  // Long enough that only the client (or the test) ever closes an idle connection.
  running.server.keepAliveTimeout = 30_000;
  running.server.on('connection', () => state.tcp++);
  running.server.on(kind === 'http' ? 'connection' : 'secureConnection', (s: net.Socket) => {
    state.connections++;
    ids.set(s, { conn: state.connections, nth: 0 });
    sockets.set(state.connections, s);
  });
  const socketOf = (conn: number): net.Socket => {
    const s = sockets.get(conn);
    if (!s) throw new Error(`no connection ${conn}`);
    return s;
  };
  return {
    url: running.url,
    get connections() {
      return state.connections;
    },
    get tcp() {
      return state.tcp;
    },
    seen: state.seen,
    socket: socketOf,
    closed(conn) {
      const s = socketOf(conn);
      return new Promise<void>((resolve, reject) => {
        if (s.closed) return resolve();
        const t = setTimeout(() => reject(new Error(`connection ${conn} still open`)), 2_000);
        s.once('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
    close: () => running.close(),
  };
}

export const paths = (seen: Seen[]) => seen.map((s) => `${s.path}@${s.conn}`);
