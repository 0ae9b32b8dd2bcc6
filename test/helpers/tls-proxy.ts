import http from 'node:http';
import https from 'node:https';
import { listen, type SelfSignedCert } from './servers.ts';

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
  const running = await listen(server, 'https', port);
  return {
    url: running.url,
    port: running.port,
    get requests() {
      return state.requests;
    },
    close: running.close,
  };
}
