import { afterEach } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => unknown;

function wrap(handler: Handler): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks))).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
  };
}

/** Listen on 127.0.0.1 (port 0: any free one); close() also ends the connections still open. */
export async function listen(server: http.Server, scheme: 'http' | 'https', port = 0): Promise<RunningServer> {
  const sockets = new Set<import('node:net').Socket>();
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
    url: `${scheme}://127.0.0.1:${actual}`,
    port: actual,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A real HTTP server on 127.0.0.1 with a random port. */
export function startHttpServer(handler: Handler, port = 0): Promise<RunningServer> {
  return listen(http.createServer(wrap(handler)), 'http', port);
}

export interface SelfSignedCert {
  key: string;
  cert: string;
  /** SHA-256 fingerprint, "AB:CD:…" upper-case, as Node reports it. */
  fingerprint: string;
}

/** A fresh self-signed certificate for 127.0.0.1 (made with the system's openssl). */
export function makeSelfSignedCert(cn = '127.0.0.1'): SelfSignedCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
        '-subj', `/CN=${cn}`, '-addext', `subjectAltName=IP:127.0.0.1,DNS:localhost`,
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    const key = fs.readFileSync(path.join(dir, 'key.pem'), 'utf8');
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const fingerprint = new crypto.X509Certificate(cert).fingerprint256.toUpperCase();
    return { key, cert, fingerprint };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A real HTTPS server on 127.0.0.1 with the given (self-signed) certificate. */
export function startHttpsServer(handler: Handler, cert: SelfSignedCert, port = 0): Promise<RunningServer> {
  return listen(https.createServer({ key: cert.key, cert: cert.cert }, wrap(handler)), 'https', port);
}

/** Read a request body as JSON, or undefined when it is not JSON. */
export function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: http.ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Registers an afterEach that closes every server handed to the returned function during the test. */
export function closedAfterEach(): <T extends { close(): Promise<unknown> }>(server: T) => T {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return (server) => {
    open.push(server);
    return server;
  };
}
