import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SelfSignedCert } from './servers.ts';

export interface TlsProxy {
  url: string;
  port: number;
  /** Connections that completed a TLS handshake and sent a request. */
  requests: number;
  close(): Promise<void>;
}

/**
 * Terminates TLS with the given (self-signed) certificate on 127.0.0.1 and forwards each request
 * to a plain-HTTP simulator, so any vendor simulator can be tested behind HTTPS. Start it again
 * on the same port with another certificate to model a server whose certificate changed.
 */
export async function startTlsProxy(target: string, cert: SelfSignedCert, port = 0): Promise<TlsProxy> {
  const to = new URL(target);
  const sockets = new Set<Duplex>();
  const state = { requests: 0 };
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    state.requests++;
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${actual}`,
    port: actual,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
