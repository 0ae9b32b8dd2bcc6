import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type http from 'node:http';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { toErrorInfo } from '../../electron/core/errors.ts';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { ISymphonyClient } from '../../electron/core/vendors/isymphony/client.ts';
import { QlmClient } from '../../electron/core/vendors/qlm/client.ts';
import { QueueMetricsClient } from '../../electron/core/vendors/queuemetrics/client.ts';
import { WebitelClient } from '../../electron/core/vendors/webitel/client.ts';
import { sendText, startHttpServer, type RunningServer } from '../helpers/servers.ts';
import { readTree, tempDir } from '../helpers/tmp.ts';
import { handlersLoggingTo } from './logged-handlers.ts';

/**
 * A hostile or careless server that quotes back everything it was sent (the URL, the headers,
 * the body, each also decoded) in every kind of answer a client turns into an error. The
 * secret travels in a header (Webitel's token), HTTP Basic (iSymphony), an XML-RPC body
 * (QueueMetrics) and a URL query (QLM); it must never come out in an error or a log.
 */
const SECRET = `Kf9zQ7w&<x>+/="'% q`;
// Any recognisable part of it: the text every encoding but base64 keeps, and the Basic credential's start.
const TELLTALES = ['Kf9zQ7w', Buffer.from('manager:Kf9zQ7w').toString('base64').slice(0, 16), Buffer.from(SECRET).toString('base64').slice(0, 8)];

const MODES = ['500', '401', '403', '404', '409', '302', 'text', 'json', 'xmlrpc-fault', 'qlm-error'] as const;
type Mode = (typeof MODES)[number];

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Everything the request carried, the carriers of the secret first (answers are quoted shortened). */
function echoOf(req: http.IncomingMessage, body: Buffer): string {
  const auth = req.headers.authorization ?? '';
  const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
  const xml = body.toString('utf8');
  const xmlText = xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, t: string) => xmlEscape(t)).replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const query = (req.url ?? '').split('?')[1] ?? '';
  const parts = [String(req.headers['x-webitel-access'] ?? ''), basic, auth, decoded(query), query, xmlText.trim(), xml, JSON.stringify(req.headers)];
  return `you sent: ${parts.filter(Boolean).join(' | ')}`;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function answer(mode: Mode, echo: string, res: http.ServerResponse): void {
  if (/^\d+$/.test(mode)) {
    if (mode.startsWith('3')) {
      res.writeHead(Number(mode), { location: `/login?from=${encodeURIComponent(echo)}` });
      res.end();
      return;
    }
    return sendText(res, Number(mode), echo);
  }
  if (mode === 'text') return sendText(res, 200, echo);
  if (mode === 'json') return sendText(res, 200, JSON.stringify({ page: echo, next: echo, items: [{ id: echo, slug: 1, limit: echo }] }), 'application/json');
  if (mode === 'xmlrpc-fault') {
    const fault = `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>${xmlEscape(echo)}</string></value></member></struct></value></fault></methodResponse>`;
    return sendText(res, 200, fault, 'text/xml');
  }
  return sendText(res, 200, `<?xml version="1.0"?><string><error>${xmlEscape(echo)}</error></string>`, 'text/xml');
}

/** Where the secret shows in the text, if anywhere (one line per place, easy to read in a failure). */
function leaksIn(where: string, text: string): string[] {
  return TELLTALES.filter((t) => text.includes(t)).map((t) => `${where} shows the secret (${t}): ${text.slice(0, 300)}`);
}

function expectNoSecret(where: string, text: string): void {
  expect(leaksIn(where, text)).toEqual([]);
}

describe('a secret the server echoes never reaches an error or a log', () => {
  let server: RunningServer;
  let mode: Mode = '500';
  const received: string[] = [];
  const transport = new NodeHttpTransport();

  beforeAll(async () => {
    server = await startHttpServer((req, res, body) => {
      const echo = echoOf(req, body);
      received.push(echo);
      answer(mode, echo, res);
    });
  });
  afterAll(async () => {
    transport.close();
    await server.close();
  });

  const clients = () => ({
    webitel: () => new WebitelClient({ http: transport, baseUrl: server.url, secret: SECRET }).listLicenses(),
    isymphony: () => new ISymphonyClient({ http: transport, baseUrl: server.url, user: 'manager', secret: SECRET }).listCoreServers(),
    queuemetrics: () => new QueueMetricsClient({ http: transport, baseUrl: `${server.url}/queuemetrics`, user: 'keyupdater', secret: SECRET }).readKey(),
    qlm: () =>
      new QlmClient({ http: transport, baseUrl: `${server.url}/qlm/qlmservice.asmx`, vendor: 'acme', user: 'reseller', secret: SECRET }).validateLicense(
        'AAAAA-BBBBB-CCCCC',
      ),
  });

  it('in any client error, whatever the server answers', async () => {
    let failures = 0;
    const leaks: string[] = [];
    for (const m of MODES) {
      mode = m;
      for (const [vendor, call] of Object.entries(clients())) {
        const e = await call().then(
          () => null,
          (err: unknown) => err,
        );
        if (!e) continue;
        failures++;
        const info = toErrorInfo(e);
        leaks.push(...leaksIn(`${vendor} (${m}) error`, `${info.message} ${JSON.stringify(info.details ?? {})} ${String((e as Error).cause ?? '')}`));
      }
    }
    expect(leaks).toEqual([]);
    // The server did see the secret in each place, and (nearly) every exchange ended in an error.
    const seen = received.join('\n');
    expect(seen).toContain(`you sent: ${SECRET}`);
    expect(failures).toBeGreaterThanOrEqual(MODES.length * 4 - 2);
  });

  it('in what the app returns, logs and stores when a connection test fails', async () => {
    const dir = tempDir('kf-echo-');
    const logged: string[] = [];
    const handlers = handlersLoggingTo(dir, logged);
    const results: unknown[] = [];
    try {
      const drafts = [
        { kind: 'webitel', url: `${server.url}/api`, secret: SECRET },
        { kind: 'isymphony', url: server.url, user: 'manager', secret: SECRET },
        { kind: 'queuemetrics', url: `${server.url}/queuemetrics`, user: 'keyupdater', secret: SECRET },
      ];
      for (const m of ['500', 'text', 'json', 'xmlrpc-fault'] as const) {
        mode = m;
        for (const draft of drafts) results.push(await dispatch(handlers, 'testInstance', { draft }, { emit: () => undefined }));
      }
      // Every test failed but one (Webitel reads the JSON answer as an empty customer).
      expect(results.filter((r) => !(r as { ok: boolean }).ok)).toHaveLength(results.length - 1);
      expectNoSecret('IPC results', JSON.stringify(results));
      expectNoSecret('logs', logged.join('\n'));
      for (const f of readTree(dir)) expectNoSecret(f.file, f.text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
