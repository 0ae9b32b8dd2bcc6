import type http from 'node:http';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeyfleetError, type ErrorCode } from '../../electron/core/errors.ts';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { PPK_MAX_AGENTS, PPK_MAX_DAYS, PPK_MAX_SERVERS, parsePpk, parsePpkList } from '../../electron/core/vendors/queuemetrics/ppk.ts';
import { LOWAY_KEY_MAX_LENGTH, LOWAY_KEY_MIN_LENGTH, LowayKeyServer, parseLowayResponse } from '../../electron/core/vendors/queuemetrics/loway.ts';
import { QueueMetricsClient } from '../../electron/core/vendors/queuemetrics/client.ts';
import { childText, extractActivationKeys, parseQlmXml, readQlmError } from '../../electron/core/vendors/qlm/xml.ts';
import { QlmClient, serializeFeatures } from '../../electron/core/vendors/qlm/client.ts';
import { ISymphonyClient } from '../../electron/core/vendors/isymphony/client.ts';
import { WebitelClient } from '../../electron/core/vendors/webitel/client.ts';
import { importInstancesCsv } from '../../electron/core/services/instances-csv.ts';
import { openContext } from '../../electron/core/open.ts';
import type { Context } from '../../electron/core/context.ts';
import { MemoryVault } from '../../electron/core/vault/vault.ts';
import { loadStoreFile } from '../../electron/core/store/store.ts';
import { StoreDataSchema, type StoreData } from '../../electron/core/store/schema.ts';
import { startHttpServer, type RunningServer } from '../helpers/servers.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Property tests of every parser of outside input: random and mutated inputs never crash,
 * never hang, and never yield an inconsistent record. Sync parsers get a time budget per input
 * (a catastrophic regex shows up as seconds on the long repetitive inputs below); async ones
 * run under fast-check's per-run timeout.
 */

const SEED_RUNS = (n: number) => ({ numRuns: n });
/** A sync parse of inputs up to ~200 kB must stay well under this (quadratic regexes take many seconds). */
const SYNC_BUDGET_MS = 400;
/** Per async run: a real HTTP exchange plus parsing. */
const ASYNC_TIMEOUT_MS = 3_000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function isInstant(s: string): boolean {
  return ISO_INSTANT.test(s) && Number.isFinite(Date.parse(s));
}

/** A thrown value must be a KeyfleetError of one of these codes, with a one-line, bounded message. */
function expectCleanError(e: unknown, codes: readonly ErrorCode[], mentions?: string): KeyfleetError {
  if (!(e instanceof KeyfleetError)) throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not a KeyfleetError`);
  if (!codes.includes(e.code)) throw new Error(`code ${e.code} not in ${codes.join('/')}: ${e.message}`);
  expect(e.message.length).toBeGreaterThan(0);
  expect(e.message.length).toBeLessThan(1_200);
  expect(e.message).not.toMatch(/[\r\n]/);
  if (mentions) expect(e.message).toContain(mentions);
  return e;
}

/** Runs f and fails when it took longer than the budget, whether it returned or threw. */
function timed<T>(f: () => T): T {
  const started = performance.now();
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: f() };
  } catch (e) {
    outcome = { error: e };
  }
  const ms = performance.now() - started;
  if (ms > SYNC_BUDGET_MS) throw new Error(`took ${Math.round(ms)} ms (budget ${SYNC_BUDGET_MS} ms): super-linear parsing`);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

// ---------------------------------------------------------------------------------------------
// Generic mutation and pathological-input arbitraries
// ---------------------------------------------------------------------------------------------

interface Mutation {
  kind: 'truncate' | 'insert' | 'delete' | 'duplicate' | 'replace' | 'swap-case';
  at: number;
  len: number;
  token: string;
}

function mutationArb(tokens: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constantFrom('truncate', 'insert', 'delete', 'duplicate', 'replace', 'swap-case'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.nat({ max: 40 }),
    token: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 3 })),
  });
}

function applyMutation(text: string, m: Mutation): string {
  const i = Math.floor(m.at * text.length);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, i);
    case 'insert':
      return text.slice(0, i) + m.token + text.slice(i);
    case 'delete':
      return text.slice(0, i) + text.slice(i + Math.max(1, m.len));
    case 'duplicate':
      return text.slice(0, i + m.len) + text.slice(i, i + m.len) + text.slice(i + m.len);
    case 'replace':
      return text.slice(0, i) + m.token + text.slice(i + m.token.length);
    case 'swap-case':
      return text.slice(0, i) + text.slice(i, i + m.len).replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())) + text.slice(i + m.len);
  }
}

/** Valid inputs, mutated 0–4 times. */
function mutated(valid: fc.Arbitrary<string>, tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(mutationArb(tokens), { maxLength: 4 })).map(([text, ms]) => ms.reduce(applyMutation, text));
}

/** Long repetitive inputs: the shape that makes a backtracking regex take quadratic or exponential time. */
function pathological(tokens: readonly string[], prefixes: readonly string[], suffixes: readonly string[] = ['', 'x', '\n', '>'], maxChars = 200_000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...prefixes), fc.constantFrom(...tokens), fc.integer({ min: 5_000, max: maxChars }), fc.constantFrom(...suffixes))
    .map(([prefix, token, n, suffix]) => `${prefix}${token.repeat(Math.ceil(n / token.length)).slice(0, n)}${suffix}`);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ---------------------------------------------------------------------------------------------
// One HTTP server whose next answer each property sets (the clients parse real HTTP bodies)
// ---------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: Buffer;
  type: string;
}
let answer: Answer = { status: 200, body: Buffer.alloc(0), type: 'text/plain' };
let server: RunningServer;
const transport = new NodeHttpTransport();

function answerWith(status: number, body: string | Buffer, type: string): void {
  answer = { status, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, type };
}

beforeAll(async () => {
  server = await startHttpServer((_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length });
    res.end(answer.body);
  });
});
afterAll(() => server.close());

const httpStatus = fc.oneof({ weight: 6, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(201, 204, 301, 400, 401, 403, 404, 500, 503) });

// ---------------------------------------------------------------------------------------------
// PPK strings
// ---------------------------------------------------------------------------------------------

const PPK_TOKENS = [':', '-', '/', 'QM', '0', '00', '100001', ' ', '\t', '\u00a0', '::', '//', 'é', '\u0000', '999999999999999999999'];

const ppkParts = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9._/-]{1,40}$/),
  product: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/),
  agents: fc.integer({ min: 1, max: PPK_MAX_AGENTS }),
  servers: fc.integer({ min: 1, max: PPK_MAX_SERVERS }),
  days: fc.integer({ min: 1, max: PPK_MAX_DAYS }),
  zeros: fc.constantFrom('', '0', '00'),
});
const validPpk = ppkParts.map((p) => ({ ...p, text: `${p.id}:${p.product}-${p.zeros}${p.agents}/${p.servers}/${p.days}` }));
const anyPpkText = fc.oneof(
  validPpk.map((p) => p.text),
  mutated(
    validPpk.map((p) => p.text),
    PPK_TOKENS,
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('A', 'q', '1', '0', ':', '-', '/', '.', '_', ' '), maxLength: 60 }),
);
const longPpkText = pathological(['/', '-', ':', 'A', '1', ' ', '\t', '0'], ['', 'X:', 'X:QM-', 'X:QM-1/1/']);

function checkPpkRecord(text: string, p: ReturnType<typeof parsePpk>): void {
  expect(p.ppk).toBe(text.trim());
  const m = /^([^:]+):([A-Za-z][A-Za-z0-9]*)-(\d+)\/(\d+)\/(\d+)$/.exec(p.ppk);
  expect(m, `re-serialisable: ${p.ppk}`).not.toBeNull();
  expect(m![1]).toBe(p.id);
  expect(m![2]!.toUpperCase()).toBe(p.product);
  expect([Number(m![3]), Number(m![4]), Number(m![5])]).toEqual([p.agents, p.servers, p.days]);
  for (const [n, max] of [
    [p.agents, PPK_MAX_AGENTS],
    [p.servers, PPK_MAX_SERVERS],
    [p.days, PPK_MAX_DAYS],
  ] as const) {
    expect(Number.isInteger(n) && n >= 1 && n <= max).toBe(true);
  }
  // The canonical form parses to the same license size.
  const again = parsePpk(`${p.id}:${p.product}-${p.agents}/${p.servers}/${p.days}`);
  expect([again.product, again.agents, again.servers, again.days]).toEqual([p.product, p.agents, p.servers, p.days]);
}

describe('PPK strings (parsePpk, parsePpkList)', () => {
  it('a generated valid PPK parses to exactly its parts', () => {
    fc.assert(
      fc.property(validPpk, (p) => {
        const parsed = parsePpk(p.text);
        expect(parsed).toEqual({ ppk: p.text, id: p.id, product: p.product.toUpperCase(), agents: p.agents, servers: p.servers, days: p.days });
      }),
      SEED_RUNS(400),
    );
  });

  it('any string either parses to a record consistent with it, or is refused with BAD_INPUT naming the PPK', () => {
    fc.assert(
      fc.property(anyPpkText, (text) => {
        let parsed: ReturnType<typeof parsePpk>;
        try {
          parsed = timed(() => parsePpk(text));
        } catch (e) {
          const err = expectCleanError(e, ['BAD_INPUT']);
          expect(err.message.startsWith('PPK ')).toBe(true);
          expect(err.details).toEqual({ field: 'ppk' });
          return;
        }
        checkPpkRecord(text, parsed);
      }),
      SEED_RUNS(1_500),
    );
  });

  it('a pasted list accounts for every distinct line exactly once', () => {
    const line = fc.oneof(anyPpkText.filter((t) => t.length < 300), fc.constantFrom('', '   '));
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(fc.array(fc.tuple(line, eol), { maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 5 }), (pairs, repeats) => {
        const lines = pairs.map(([l]) => l);
        for (const r of repeats) if (lines[r] !== undefined) lines.push(lines[r]!);
        const text = lines.map((l, i) => l + (pairs[i % Math.max(1, pairs.length)]?.[1] ?? '\n')).join('');
        const result = timed(() => parsePpkList(text));
        const distinct = [...new Set(text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean))];
        expect(result.valid.length + result.rejected.length).toBe(distinct.length);
        expect(new Set(result.duplicates).size).toBe(result.duplicates.length);
        for (const d of result.duplicates) expect(distinct).toContain(d);
        for (const v of result.valid) checkPpkRecord(v.ppk, v);
        for (const r of result.rejected) {
          expect(r.reason).toMatch(/^PPK /);
          expect(() => parsePpk(r.ppk)).toThrow(KeyfleetError);
        }
      }),
      SEED_RUNS(300),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Loway key-server text
// ---------------------------------------------------------------------------------------------

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const lowayDate = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const lowayKey = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{18,120}[A-Z0-9]$/);
const validLoway = fc
  .record({
    key: lowayKey,
    d: lowayDate,
    i: lowayDate,
    x: lowayDate,
    eol: fc.constantFrom('\n', '\r\n'),
    extra: fc.array(fc.constantFrom('M:R', 'U:1234', 'Z:', 'comment without colon'), { maxLength: 3 }),
    bom: fc.boolean(),
    shuffle: fc.boolean(),
  })
  .map((r) => {
    const fields = [`D:${stamp(r.d)}`, `K:${r.key}`, `I:${stamp(r.i)}`, `X:${r.x.toISOString().slice(0, 10)}`, ...r.extra];
    if (r.shuffle) fields.reverse();
    return { ...r, text: `${r.bom ? '\uFEFF' : ''}S:OK${r.eol}${fields.join(r.eol)}${r.eol}` };
  });
const LOWAY_TOKENS = ['S:OK', 'S:KO - Key not found', 'K:', 'D:', 'I:', 'X:', '\n', '\r', ' ', '\t', 'n/a', '2011-02-30', '0000-00-00 00:00:00', ':'];
const anyLowayText = fc.oneof(
  validLoway.map((v) => v.text),
  mutated(
    validLoway.map((v) => v.text),
    LOWAY_TOKENS,
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
const longLowayText = pathological([' ', '\t', 'S:OK\n', 'K:', 'x\n', ' \n', '<', '<a', 'D:'], ['', 'S:OK\n', 'S:OK\nK:', 'S:KO ', '<html>', 'S:OK\nD:']);

function checkLowayRecord(r: ReturnType<typeof parseLowayResponse>): void {
  expect(r.key.length).toBeGreaterThanOrEqual(LOWAY_KEY_MIN_LENGTH);
  expect(r.key.length).toBeLessThanOrEqual(LOWAY_KEY_MAX_LENGTH);
  expect(r.key).toMatch(/^\S+$/);
  expect(r.key.toLowerCase()).not.toBe('n/a');
  expect(isRealDate(r.expiresAt), r.expiresAt).toBe(true);
  expect(isInstant(r.serverTime), r.serverTime).toBe(true);
  expect(isInstant(r.issuedAt), r.issuedAt).toBe(true);
}

describe('Loway key-server answers (parseLowayResponse)', () => {
  it('a generated S:OK answer parses to exactly its values, in any year', () => {
    fc.assert(
      fc.property(validLoway, (v) => {
        const r = parseLowayResponse(v.text, 'ks.example');
        expect(r).toEqual({ key: v.key, serverTime: v.d.toISOString(), issuedAt: v.i.toISOString(), expiresAt: v.x.toISOString().slice(0, 10) });
      }),
      SEED_RUNS(400),
    );
  });

  it('random and mutated answers give a consistent conversion or BAD_RESPONSE / VENDOR_REFUSED', () => {
    fc.assert(
      fc.property(anyLowayText, (text) => {
        let r: ReturnType<typeof parseLowayResponse>;
        try {
          r = timed(() => parseLowayResponse(text, 'ks.example:8080'));
        } catch (e) {
          expectCleanError(e, ['BAD_RESPONSE', 'VENDOR_REFUSED'], 'key server ks.example:8080');
          return;
        }
        checkLowayRecord(r);
        // The values come from the text: the key is on a K: line, the expiry on an X: line (either case).
        const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim());
        expect(lines.some((l) => /^k:/i.test(l) && l.slice(2).trim() === r.key)).toBe(true);
        expect(lines.some((l) => /^x:/i.test(l) && l.slice(2).trim() === r.expiresAt)).toBe(true);
      }),
      SEED_RUNS(1_500),
    );
  });

  it('through the client: any status and bytes end in a conversion or a clean error', async () => {
    const client = new LowayKeyServer({ http: transport, activationUrl: `${server?.url ?? 'http://127.0.0.1:1'}/llm/licence_wsvc_gen.do`, timeoutMs: 2_000, retries: 0 });
    const body = fc.oneof(
      anyLowayText.filter((t) => t.length < 60_000).map((t) => Buffer.from(t, 'utf8')),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(httpStatus, body, async (status, bytes) => {
        answerWith(status, bytes, 'text/plain');
        try {
          checkLowayRecord(await client.convert({ ppk: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90', enduser: 'Acme', email: 'it@acme.example' }));
        } catch (e) {
          expectCleanError(e, ['BAD_RESPONSE', 'VENDOR_REFUSED', 'HTTP_STATUS', 'AUTH', 'DENIED'], new URL(server.url).host);
        }
      }),
      { numRuns: 200, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// XML-RPC answers (QueueMetricsClient)
// ---------------------------------------------------------------------------------------------

const xmlText = fc.string({ maxLength: 24 }).map(escapeXml);
const { value: xmlRpcValue } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlText.map((s) => `<value><string>${s}</string></value>`),
    xmlText.map((s) => `<value>${s}</value>`),
    fc.integer().map((n) => `<value><int>${n}</int></value>`),
    fc.integer().map((n) => `<value><i4>${n}</i4></value>`),
    fc.boolean().map((b) => `<value><boolean>${b ? 1 : 0}</boolean></value>`),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => `<value><double>${n}</double></value>`),
    fc.constant('<value><nil/></value>'),
    fc.base64String({ maxLength: 24 }).map((s) => `<value><base64>${s}</base64></value>`),
    fc.constantFrom('20240501T10:00:00', '2024-05-01T10:00:00Z', 'not a date').map((s) => `<value><dateTime.iso8601>${s}</dateTime.iso8601></value>`),
    fc.array(tie('value'), { maxLength: 4 }).map((vs) => `<value><array><data>${vs.join('')}</data></array></value>`),
    fc.array(fc.tuple(xmlText, tie('value')), { maxLength: 4 }).map((ms) => `<value><struct>${ms.map(([n, v]) => `<member><name>${n}</name>${v}</member>`).join('')}</struct></value>`),
  ),
}));
const QM_KEY = fc.stringMatching(/^[A-F0-9]{8}(-[A-F0-9]{8}){3,8}$/);
/** QueueMetrics' own shape: a struct of blocks, each a list of rows of strings. */
const qmBlocksArb = fc.dictionary(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/),
  fc.array(fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), { maxLength: 4 }),
  { maxKeys: 4 },
);
const qmBlocksXml = (blocks: Record<string, string[][]>) =>
  `<value><struct>${Object.entries(blocks)
    .map(
      ([name, rows]) =>
        `<member><name>${escapeXml(name)}</name><value><array><data>${rows
          .map((r) => `<value><array><data>${r.map((c) => `<value><string>${escapeXml(c)}</string></value>`).join('')}</data></array></value>`)
          .join('')}</data></array></value></member>`,
    )
    .join('')}</struct></value>`;
const methodResponse = (value: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>${value}</param></params></methodResponse>`;
const faultResponse = (code: string, text: string) =>
  `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name>${code}</member><member><name>faultString</name>${text}</member></struct></value></fault></methodResponse>`;
const validXmlRpc = fc.oneof(
  xmlRpcValue.map(methodResponse),
  fc.tuple(qmBlocksArb, QM_KEY).map(([b, key]) => methodResponse(qmBlocksXml({ ...b, result: [['Status', 'OK'], ['Key', key]] }))),
  fc.tuple(xmlRpcValue, xmlRpcValue).map(([c, t]) => faultResponse(c, t)),
  fc.constantFrom('login failed for user keyupdater', 'Missing security key KEYUPDATE', 'Something broke').map((t) => faultResponse('<value><int>1</int></value>', `<value><string>${t}</string></value>`)),
);
const XML_TOKENS = ['<', '>', '</value>', '<value>', '&', '&amp;', '&#0;', '&#xFFFF;', '<![CDATA[', ']]>', '<struct>', '<array>', '<data>', '</data>', '<member>', '<name>', '<!--', '-->', '<?xml version="1.0"?>', '\u0000', '"', "'", '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '&a;'];
const anyXmlRpc = fc.oneof(
  validXmlRpc,
  mutated(validXmlRpc, XML_TOKENS),
  fc.string({ maxLength: 200 }),
);
const longXmlRpc = pathological(['<', '<value>', '<array><data>', '<!---->', ' ', '&amp;', '<struct><member><name>a</name>', '<a>'], ['', '<?xml version="1.0"?>', '<methodResponse><params><param>', '<methodResponse><fault>']);

describe('XML-RPC answers (QueueMetricsClient.readKey)', () => {
  const SECRET = 'qm-Pr0p-S3cret';
  let client: QueueMetricsClient;
  beforeEach(() => {
    client = new QueueMetricsClient({ http: transport, baseUrl: `${server.url}/queuemetrics`, user: 'keyupdater', secret: SECRET, timeoutMs: 2_000 });
  });

  it('a well-formed QueueMetrics answer reads back exactly its blocks and key', async () => {
    await fc.assert(
      fc.asyncProperty(qmBlocksArb, QM_KEY, async (blocks, key) => {
        const all = { ...blocks, result: [['Status', 'OK'], ['Key', key]] };
        answerWith(200, methodResponse(qmBlocksXml(all)), 'text/xml');
        const read = await client.readKey();
        expect(read.blocks).toEqual(all);
        expect(read.key).toBe(key);
      }),
      { numRuns: 150, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('random and mutated XML never crashes or hangs: a readable key or a clean error', async () => {
    await fc.assert(
      fc.asyncProperty(httpStatus, anyXmlRpc, async (status, body) => {
        answerWith(status, body, 'text/xml');
        let read: Awaited<ReturnType<QueueMetricsClient['readKey']>>;
        try {
          read = await client.readKey();
        } catch (e) {
          const err = expectCleanError(e, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'HTTP_STATUS'], new URL(server.url).host);
          expect(err.message).not.toContain(SECRET);
          return;
        }
        if (read.key !== null) expect(read.key).toMatch(/^[\x21-\x7e]{20,400}$/);
        for (const rows of Object.values(read.blocks)) for (const row of rows) for (const cell of row) expect(typeof cell).toBe('string');
      }),
      { numRuns: 600, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// QLM XML
// ---------------------------------------------------------------------------------------------

const QLM_CHILD_NAMES = ['result', 'serverDate', 'serverVersion', 'error', 'errorCode', 'errorMessage', 'status', 'features', 'productID', 'productName', 'majorVersion', 'minorVersion', 'expiryDate', 'maintenanceRenewalDate', 'numActivationsAllowed', 'activationKey', 'licenseModel'];
const qlmTextValue = fc.oneof(
  xmlText,
  fc.constantFrom('Error 8: Authentication failed', '8 - bad', '[203] License key not found', 'Operation disabled (error 7)', 'revoked', '0:3;1:1', '2024-09-02 23:59', '9/2/2024 11:59:00 PM', '2015-08-05T15:53:16Z', '9999-12-31T23:59:59-14:00', '0001-01-01T00:00:00+14:00', 'Permanent, Demo', '4', '-1', '99999999999', '0:99999999999', '1:1;1:2', 'A1B2C-D3E4F-G5H6J-K7L8M'),
);
const qlmChild = fc.oneof(
  fc.tuple(fc.constantFrom(...QLM_CHILD_NAMES), qlmTextValue).map(([n, v]) => `<${n}>${v}</${n}>`),
  fc.tuple(fc.integer({ min: 0, max: 300 }), qlmTextValue).map(([c, v]) => `<error code="${c}">${v}</error>`),
  fc.array(fc.stringMatching(/^[A-Z0-9]{3,5}(-[A-Z0-9]{3,5}){2,4}$/), { maxLength: 3 }).map((ks) => `<licenses>${ks.map((k) => `<license><activationKey>${k}</activationKey></license>`).join('')}</licenses>`),
);
const validQlmXml = fc
  .record({ children: fc.array(qlmChild, { maxLength: 6 }), bom: fc.boolean(), prolog: fc.boolean(), wrap: fc.constantFrom('root', 'asmx-string', 'fragment') })
  .map(({ children, bom, prolog, wrap }) => {
    const inner = children.join('');
    const doc = wrap === 'fragment' ? inner : `<QuickLicenseManager>${inner}</QuickLicenseManager>`;
    const body = wrap === 'asmx-string' ? `<string xmlns="http://tempuri.org/">${escapeXml(doc)}</string>` : doc;
    return `${bom ? '\uFEFF' : ''}${prolog ? '<?xml version="1.0" encoding="utf-8"?>\r\n' : ''}${body}`;
  });
const anyQlmXml = fc.oneof(
  validQlmXml,
  mutated(validQlmXml, [...XML_TOKENS, '<html>', '<body>', '<!doctype html>', '<string>', '</QuickLicenseManager>', '<error>', 'Error ']),
  fc.string({ maxLength: 200 }),
);
const longQlmXml = pathological(
  ['<!---->', '<!-- a -->', '<', '<a>', ' ', 'error ', 'exceeded ', '(error 1)', '&amp;', '<string>&lt;', '<![CDATA[x]]>'],
  ['', '<QuickLicenseManager><error>', '<QuickLicenseManager><error>Error', '<error>exceeded ', '<!doctype html>'],
  ['', 'x', '<x/>', '</error></QuickLicenseManager>', '<QuickLicenseManager/>'],
);

describe('QLM XML (parseQlmXml, readQlmError, extractActivationKeys)', () => {
  it('random and mutated XML parses to a node or is refused with BAD_RESPONSE, and what is read from it is consistent', () => {
    fc.assert(
      fc.property(anyQlmXml, (body) => {
        timed(() => {
          let root: ReturnType<typeof parseQlmXml>;
          try {
            root = parseQlmXml(body, 'QLM server https://qlm.example');
          } catch (e) {
            expectCleanError(e, ['BAD_RESPONSE'], 'QLM server https://qlm.example');
            return;
          }
          expect(typeof root).toBe('object');
          const error = readQlmError(root);
          if (error) {
            expect(typeof error.text).toBe('string');
            if (error.code !== null) expect(Number.isInteger(error.code) && error.code >= 0).toBe(true);
          }
          const keys = extractActivationKeys(root);
          expect(new Set(keys).size).toBe(keys.length);
          for (const k of keys) expect(k).toBe(k.trim());
          for (const k of keys) expect(k.length).toBeGreaterThan(0);
          for (const name of QLM_CHILD_NAMES) {
            const t = childText(root, name);
            expect(t === null || typeof t === 'string').toBe(true);
          }
        });
      }),
      SEED_RUNS(1_500),
    );
  });

  it('a number in the error text is found wherever the documented forms put it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.constantFrom('Error %: x', 'Error code % - x', 'Error #%', '[%] x', '% - x', 'x (error %)', 'error no. %: x'), fc.nat(300), (code, form, pad) => {
        const text = form.replace('%', String(code)).replace('x', `${'y '.repeat(pad)}x`);
        expect(readQlmError({ error: text })?.code).toBe(code);
      }),
      SEED_RUNS(300),
    );
  });

  const SECRET = 'qlm-Pr0p/S3cret=+';
  const clientFor = () => new QlmClient({ http: transport, baseUrl: `${server.url}/qlm/qlmservice.asmx`, vendor: 'acme', user: 'robot', secret: SECRET, timeoutMs: 2_000 });
  const QLM_CODES: ErrorCode[] = ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'NOT_FOUND', 'HTTP_STATUS'];

  /** A ValidateLicenseHttp answer: every field present, each valid, at an edge, or garbage. */
  const licenseAnswer = fc
    .record({
      status: fc.constantFrom('4', '2', '0', 'Permanent, Demo', 'Expired', '-1', 'x', '99999999'),
      features: fc.constantFrom('', '0:3;1:1', '0:0', '0:2147483647', '0:2147483648', '0:99999999999', '1:1;1:2', '99999999999999999999:1', '0:3;', 'garbage'),
      expiryDate: fc.constantFrom('2024-09-02 23:59', '9/2/2024 11:59:00 PM', '0001-01-01', '9999-12-31T23:59:59-14:00', '2024-02-30', '', 'never'),
      serverDate: fc.constantFrom('2015-08-05T15:53:16Z', '9999-12-31T23:59:59-14:00', '0002-01-01T00:00:00+14:00', 'x'),
      productID: fc.constantFrom('1', '007', '-5', '99999999999999999', 'x'),
      numActivationsAllowed: fc.constantFrom('1', '0', '-1', '1e3', '123456789012345'),
    })
    .map((f) => `<?xml version="1.0"?><QuickLicenseManager>${Object.entries(f).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</QuickLicenseManager>`);

  it('through the client: ValidateLicenseHttp gives a consistent license or a clean error', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(httpStatus, fc.oneof(licenseAnswer, anyQlmXml.filter((b) => b.length < 500_000)), async (status, body) => {
        answerWith(status, body, 'text/xml');
        let info: Awaited<ReturnType<QlmClient['validateLicense']>>;
        try {
          info = await client.validateLicense('A1B2C-D3E4F-G5H6J-K7L8M');
        } catch (e) {
          expect(expectCleanError(e, QLM_CODES).message).not.toContain(SECRET);
          return;
        }
        expect(Number.isInteger(info.status) && info.status >= 0).toBe(true);
        expect(Array.isArray(info.statusWords)).toBe(true);
        if (info.features.length > 0) expect(() => serializeFeatures(info.features)).not.toThrow();
        for (const d of [info.expiresAt, info.maintenanceRenewalDate]) {
          if (d) {
            expect(isRealDate(d.date), d.date).toBe(true);
            expect(isInstant(d.instant), d.instant).toBe(true);
          }
        }
        if (info.serverDate) expect(isInstant(info.serverDate), info.serverDate).toBe(true);
        for (const n of [info.productId, info.majorVersion, info.minorVersion, info.numActivationsAllowed]) if (n !== null) expect(Number.isSafeInteger(n)).toBe(true);
        expect(info.raw).not.toContain(SECRET);
      }),
      { numRuns: 400, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('through the client: creating keys yields keys, or LOST_ANSWER for an answer that cannot be read', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(httpStatus, anyQlmXml.filter((b) => b.length < 500_000), async (status, body) => {
        answerWith(status, body, 'text/xml');
        try {
          const { keys } = await client.createKeys({ productId: 1, majorVersion: 1, minorVersion: 0, expiry: { days: 30 } });
          expect(keys.length).toBeGreaterThan(0);
          for (const k of keys) expect(k).toMatch(/^\S(.*\S)?$/);
        } catch (e) {
          const err = expectCleanError(e, [...QLM_CODES, 'LOST_ANSWER']);
          expect(err.message).not.toContain(SECRET);
          expect(JSON.stringify(err.details ?? {})).not.toContain(SECRET);
          if (status === 200 && err.code === 'BAD_RESPONSE') {
            // A 200 the client refused outright must be one that is clearly not a License Server answer.
            expect(err.message).toMatch(/HTML page|not XML|empty body/);
          }
        }
      }),
      { numRuns: 300, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// iSymphony and Webitel JSON
// ---------------------------------------------------------------------------------------------

/** Up to 9999-12-31T23:59:59.999Z: later instants have no four-digit-year form. */
const MAX_MS = 253_402_300_799_999;
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.double({ noNaN: true }));
const ISYM_FIELDS = {
  id: { ok: fc.string(), bad: fc.oneof(notAString, fc.constant(null)) },
  serial: { ok: fc.string(), bad: fc.oneof(notAString, fc.constant(null)) },
  type: { ok: fc.string(), bad: fc.oneof(notAString, fc.constant(null)) },
  licensedTo: { ok: fc.option(fc.string()), bad: notAString },
  expirationDate: { ok: fc.option(fc.integer({ min: 0, max: MAX_MS })), bad: fc.oneof(fc.string(), fc.integer({ max: -1 }), fc.constant(253_402_300_800_000), fc.constant(1.5), fc.boolean()) },
  maintenanceExpirationDate: { ok: fc.option(fc.integer({ min: 0, max: MAX_MS })), bad: fc.oneof(fc.string(), fc.integer({ max: -1 }), fc.constant(2.5)) },
  clientConnections: { ok: fc.option(fc.integer({ min: -1, max: 1_000_000 })), bad: fc.oneof(fc.string(), fc.integer({ max: -2 }), fc.constant(0.5), fc.boolean()) },
  configuredUsers: { ok: fc.option(fc.integer({ min: -1, max: 1_000_000 })), bad: fc.oneof(fc.string(), fc.integer({ max: -2 }), fc.constant(0.5)) },
} as const;
type IsymField = keyof typeof ISYM_FIELDS;
const isymLicense = fc.record(Object.fromEntries(Object.entries(ISYM_FIELDS).map(([k, v]) => [k, v.ok])) as { [K in IsymField]: fc.Arbitrary<unknown> });
const isymOneBad = fc.constantFrom(...(Object.keys(ISYM_FIELDS) as IsymField[])).chain((field) =>
  fc.tuple(fc.constant(field), isymLicense, ISYM_FIELDS[field].bad).map(([f, lic, bad]) => ({ field: f, license: { ...lic, [f]: bad } })),
);

const int64 = fc.oneof(fc.integer({ min: 0, max: MAX_MS }).map(String), fc.integer({ min: 0, max: MAX_MS }));
const WEBITEL_FIELDS = {
  id: { ok: fc.oneof(fc.string({ minLength: 1 }), fc.nat()), bad: fc.oneof(fc.constant(''), fc.constant(-1), fc.constant(1.5), fc.boolean(), fc.constant(null), fc.constant({})) },
  product: { ok: fc.string({ minLength: 1 }), bad: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null), fc.constant([])) },
  name: { ok: fc.option(fc.string()), bad: fc.oneof(fc.integer(), fc.boolean(), fc.constant({})) },
  scope: { ok: fc.option(fc.array(fc.string(), { maxLength: 3 })), bad: fc.oneof(fc.string(), fc.constant([1]), fc.constant({})) },
  competitive: { ok: fc.option(fc.boolean()), bad: fc.oneof(fc.constant('true'), fc.constant(1)) },
  limit: { ok: fc.oneof(fc.nat(), fc.nat().map(String)), bad: fc.oneof(fc.constant(-1), fc.constant(1.5), fc.constant('abc'), fc.boolean(), fc.constant({})) },
  remain: { ok: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }).map(String)), bad: fc.oneof(fc.constant(1.5), fc.constant('x'), fc.boolean()) },
  not_before: { ok: fc.option(int64), bad: fc.oneof(fc.constant(-1), fc.constant('abc'), fc.constant(1.5), fc.constant(1e20), fc.constant(8.64e15), fc.constant(MAX_MS + 1), fc.boolean()) },
  not_after: { ok: fc.option(int64), bad: fc.oneof(fc.constant(-1), fc.constant('12a'), fc.constant(2.5), fc.constant('99999999999999999999'), fc.constant(String(MAX_MS + 1))) },
  status: { ok: fc.option(fc.record({ errors: fc.array(fc.string(), { maxLength: 2 }), notify: fc.array(fc.string(), { maxLength: 2 }) })), bad: fc.oneof(fc.string(), fc.integer()) },
} as const;
type WebitelField = keyof typeof WEBITEL_FIELDS;
const webitelLicense = fc.record(Object.fromEntries(Object.entries(WEBITEL_FIELDS).map(([k, v]) => [k, v.ok])) as { [K in WebitelField]: fc.Arbitrary<unknown> });

function checkIsymLicense(l: Awaited<ReturnType<ISymphonyClient['readLicense']>>): void {
  for (const s of [l.id, l.serial, l.type]) expect(typeof s).toBe('string');
  for (const d of [l.expiresAt, l.maintenanceExpiresAt]) if (d !== null) expect(isRealDate(d), d).toBe(true);
  for (const n of [l.clientConnections, l.configuredUsers]) if (n !== null) expect(Number.isInteger(n) && n >= 0).toBe(true);
}

function checkWebitelLicense(l: Awaited<ReturnType<WebitelClient['listLicenses']>>[number]): void {
  expect(l.id.length).toBeGreaterThan(0);
  expect(l.product.length).toBeGreaterThan(0);
  expect(l.used).toBe(l.limit - l.remain);
  expect(Number.isSafeInteger(l.limit) && l.limit >= 0).toBe(true);
  for (const t of [l.validFrom, l.validTill]) if (t !== null) expect(isInstant(t), t).toBe(true);
  expect(l.scope.every((s) => typeof s === 'string')).toBe(true);
}

describe('iSymphony JSON (ISymphonyClient)', () => {
  const clientFor = () => new ISymphonyClient({ http: transport, baseUrl: `${server.url}/isym`, secret: 'isym-S3cret', timeoutMs: 2_000 });

  it('a license with valid fields reads back consistently', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(isymLicense, async (license) => {
        answerWith(200, JSON.stringify(license), 'application/json');
        const l = await client.readLicense('default');
        checkIsymLicense(l);
        expect(l.serial).toBe(license.serial);
      }),
      { numRuns: 150, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('one field of the wrong type gives BAD_RESPONSE naming that field', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(isymOneBad, async ({ field, license }) => {
        answerWith(200, JSON.stringify(license), 'application/json');
        const e = await client.readLicense('default').then(
          () => null,
          (err: unknown) => err,
        );
        const err = expectCleanError(e, ['BAD_RESPONSE']);
        expect(err.details?.field).toBe(field);
        expect(err.message).toContain(`field ${field}`);
      }),
      { numRuns: 200, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('any JSON or text gives core servers / a license, or a clean error', async () => {
    const client = clientFor();
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      mutated(isymLicense.map((l) => JSON.stringify(l)), ['{', '}', '[', ']', '"', ',', ':', 'null', '1e999', '\\u0000', '\\ud800']),
      fc.string({ maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(httpStatus, body, fc.boolean(), async (status, text, list) => {
        answerWith(status, text, 'application/json');
        try {
          if (list) {
            for (const s of await client.listCoreServers()) for (const v of [s.id, s.slug, s.name]) expect(typeof v).toBe('string');
          } else {
            checkIsymLicense(await client.readLicense('default'));
          }
        } catch (e) {
          const err = expectCleanError(e, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'NOT_FOUND', 'HTTP_STATUS'], 'iSymphony');
          if (err.code === 'BAD_RESPONSE' && err.details) expect(err.message).toContain(String(err.details.field));
        }
      }),
      { numRuns: 400, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});

describe('Webitel JSON (WebitelClient)', () => {
  const clientFor = () => new WebitelClient({ http: transport, baseUrl: `${server.url}/webitel`, secret: 'wbt-T0ken', timeoutMs: 2_000 });

  it('a page of valid licenses reads back consistently', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(fc.array(webitelLicense, { maxLength: 5 }), async (items) => {
        answerWith(200, JSON.stringify({ page: 1, next: false, items }), 'application/json');
        const licenses = await client.listLicenses();
        for (const l of licenses) checkWebitelLicense(l);
        expect(licenses.length).toBe(new Set(items.map((i) => String(i.id))).size);
      }),
      { numRuns: 150, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('one field of the wrong type gives BAD_RESPONSE naming that field', async () => {
    const client = clientFor();
    const oneBad = fc.tuple(fc.array(webitelLicense, { minLength: 1, maxLength: 4 }), fc.nat(), fc.constantFrom(...(Object.keys(WEBITEL_FIELDS) as WebitelField[]))).chain(([items, at, field]) =>
      WEBITEL_FIELDS[field].bad.map((bad) => {
        const index = at % items.length;
        const copy = items.map((i) => ({ ...i }));
        copy[index] = { ...copy[index]!, [field]: bad };
        // A field before it that is also wrong would be reported first; every other item is valid.
        return { items: copy, path: `items[${index}].${field}` };
      }),
    );
    await fc.assert(
      fc.asyncProperty(oneBad, async ({ items, path }) => {
        answerWith(200, JSON.stringify({ page: 1, next: false, items }), 'application/json');
        const e = await client.listLicenses().then(
          () => null,
          (err: unknown) => err,
        );
        const err = expectCleanError(e, ['BAD_RESPONSE'], 'Webitel');
        // The field itself, or a part of it (scope [1] is reported at scope[0]).
        const field = String(err.details?.field);
        expect(field === path || field.startsWith(`${path}[`) || field.startsWith(`${path}.`), `${field} names ${path}`).toBe(true);
        expect(err.message).toContain(field);
      }),
      { numRuns: 250, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('any JSON or text gives licenses / a customer, or a clean error', async () => {
    const client = clientFor();
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.array(webitelLicense, { maxLength: 3 }).chain((items) => mutated(fc.constant(JSON.stringify({ page: 1, next: false, items })), ['{', '}', '[', ']', '"', ',', 'true', 'null', '-', '1e400'])),
      fc.string({ maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(httpStatus, body, fc.boolean(), async (status, text, customer) => {
        answerWith(status, text, 'application/json');
        try {
          if (customer) {
            const c = await client.getCustomer();
            for (const t of [c.issuedAt, c.validFrom, c.validTill]) if (t !== null) expect(isInstant(t), t).toBe(true);
            for (const g of c.grants) checkWebitelLicense(g);
          } else {
            for (const l of await client.listLicenses()) checkWebitelLicense(l);
          }
        } catch (e) {
          const err = expectCleanError(e, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'NOT_FOUND', 'HTTP_STATUS', 'VENDOR_REFUSED'], 'Webitel');
          if (err.code === 'BAD_RESPONSE' && err.details) expect(err.message).toContain(String(err.details.field));
        }
      }),
      { numRuns: 400, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// CSV import
// ---------------------------------------------------------------------------------------------

const CSV_HEADERS = ['name', 'Instance', 'kind', 'Type', 'vendor', 'url', 'base url', 'Address', 'client', 'customer', 'user', 'login', 'tags', 'group', 'core-server', 'notes', 'secret'];
const csvField = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9 ._-]{0,20}$/) },
  { weight: 2, arbitrary: fc.constantFrom('queuemetrics', 'ISymphony', 'webitel', 'qlm', 'https://pbx.example.com/qm', 'http://10.0.0.1:8080', 'ftp://x', 'http://host/?pwd=x', 'not a url', 'a;b|c') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'http:'), fc.string({ unit: fc.constantFrom('a', '1', '.', '/', ':', '[', ']', '%', '#', '?', '|', '^', '`', '{', '"', '<', '\\', ' ', 'é', '\u00a0', '@', '2F', '::1'), maxLength: 16 }))
      .map(([scheme, rest]) => scheme + rest),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', ';', '|', 'é', '\u0000'), maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 55, max: 2_100 }).map((n) => (n % 2 ? 't'.repeat(n) : `http://h/${'p'.repeat(n)}`)) },
);
const quoteCsv = (f: string, always: boolean) => (always || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
const validRow = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,30}$/),
    kind: fc.constantFrom('queuemetrics', 'isymphony', 'webitel', 'QueueMetrics'),
    url: fc.constantFrom('https://pbx.example.com/qm', 'http://10.0.0.1:8080', 'https://w.example/api'),
    client: fc.constantFrom('', 'Acme', 'acme', 'Globex', 'Initech'),
    user: fc.constantFrom('', 'manager', 'keyupdater'),
  })
  .map((r) => [r.name, r.kind, r.url, r.client, r.user]);
const csvText = fc
  .record({
    header: fc.option(fc.shuffledSubarray(CSV_HEADERS, { minLength: 1, maxLength: 7 }), { nil: null }),
    rows: fc.array(fc.oneof(validRow, fc.array(csvField, { maxLength: 8 })), { maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n'),
    quoteAll: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ header, rows, eol, quoteAll, bom }) => {
    const lines = (header ? [header, ...rows] : rows).map((r) => r.map((f) => quoteCsv(f, quoteAll)).join(','));
    return `${bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
  });
const anyCsv = fc.oneof(csvText, mutated(csvText, [',', '"', '\n', '\r\n', '""', ' ', ';', '\uFEFF']), fc.string({ maxLength: 200 }));

describe('CSV import (importInstancesCsv)', () => {
  let ctx: Context;
  let vault: MemoryVault;
  let baseline: StoreData;

  beforeAll(async () => {
    vault = new MemoryVault();
    ctx = openContext({ dataDir: tempDir('kf-csv-prop-'), vault, now: () => new Date('2025-01-15T10:00:00Z'), timeZone: 'UTC' });
    await importInstancesCsv(ctx, 'name,kind,url,client\nexisting-qm,queuemetrics,https://qm.example.com,Acme\n');
    baseline = ctx.store.data;
  });

  it('random CSV never crashes; it imports a valid set, or reports numbered lines and imports nothing; the store stays valid', async () => {
    await fc.assert(
      fc.asyncProperty(anyCsv, fc.boolean(), fc.option(fc.constantFrom('shared-S3cret'), { nil: undefined }), async (text, validOnly, sharedSecret) => {
        ctx.store.commit(baseline);
        vault.items.clear();
        const before = ctx.store.data;
        let result: Awaited<ReturnType<typeof importInstancesCsv>>;
        try {
          result = await importInstancesCsv(ctx, text, { validOnly, sharedSecret, fileName: '/tmp/fleet.csv' });
        } catch (e) {
          const err = expectCleanError(e, ['BAD_INPUT']);
          expect(err.message).toMatch(/CSV/);
          expect(ctx.store.data).toBe(before);
          return;
        }
        const after = ctx.store.data;
        const physicalLines = text.split(/\r\n|\r|\n/).length;
        for (const { line, message } of result.errors) {
          expect(Number.isInteger(line) && line >= 1 && line <= physicalLines).toBe(true);
          expect(message.length).toBeGreaterThan(0);
          expect(message).not.toContain('shared-S3cret');
        }
        if (result.errors.length > 0 && !validOnly) {
          expect(result.imported).toBe(0);
          expect(after).toBe(before);
        }
        expect(after.instances.length - before.instances.length).toBe(result.imported);
        expect(after.clients.length - before.clients.length).toBe(result.clientsCreated);
        if (result.imported === 0) expect(after).toBe(before);
        expect(vault.items.size).toBe(result.imported > 0 && sharedSecret ? 1 : 0);
        // Every imported record satisfies the store schema, and the file on disk reloads as it is.
        expect(StoreDataSchema.safeParse(after).success).toBe(true);
        expect(JSON.parse(JSON.stringify(loadStoreFile(ctx.store.file).data))).toEqual(JSON.parse(JSON.stringify(after)));
        const names = after.instances.map((i) => i.name.toLowerCase());
        expect(new Set(names).size).toBe(names.length);
        for (const i of after.instances.slice(before.instances.length)) if (i.clientId) expect(after.clients.some((c) => c.id === i.clientId)).toBe(true);
      }),
      { numRuns: 400, timeout: 5_000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Long repetitive inputs, run in a worker thread that is killed when it does not finish
// ---------------------------------------------------------------------------------------------

/**
 * A catastrophic regex blocks the thread it runs on, so neither a timer nor fast-check's
 * timeout can stop it in-process. These inputs go to a worker instead: a hang fails the
 * property (the worker is terminated and replaced) instead of freezing the test run.
 */
const MODULES = Object.fromEntries(
  Object.entries({
    ppk: '../../electron/core/vendors/queuemetrics/ppk.ts',
    loway: '../../electron/core/vendors/queuemetrics/loway.ts',
    qlmXml: '../../electron/core/vendors/qlm/xml.ts',
    qm: '../../electron/core/vendors/queuemetrics/client.ts',
    isym: '../../electron/core/vendors/isymphony/client.ts',
    webitel: '../../electron/core/vendors/webitel/client.ts',
    http: '../../electron/core/net/http.ts',
  }).map(([k, rel]) => [k, fileURLToPath(new URL(rel, import.meta.url))]),
);

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const ready = (async () => {
  const m = {};
  for (const [k, file] of Object.entries(workerData)) m[k] = await import(pathToFileURL(file).href);
  return m;
})();
const run = async (m, fn, input) => {
  const http = new m.http.NodeHttpTransport();
  switch (fn) {
    case 'parsePpk': return m.ppk.parsePpk(input);
    case 'parseLowayResponse': return m.loway.parseLowayResponse(input, 'ks.example:8080');
    case 'qlm': {
      const root = m.qlmXml.parseQlmXml(input, 'QLM server https://qlm.example');
      return { error: m.qlmXml.readQlmError(root), keys: m.qlmXml.extractActivationKeys(root) };
    }
    case 'qmReadKey':
      return (await new m.qm.QueueMetricsClient({ http, baseUrl: input, user: 'keyupdater', secret: 'worker-S3cret', timeoutMs: 5000 }).readKey()).key;
    case 'isymReadLicense':
      return await new m.isym.ISymphonyClient({ http, baseUrl: input, secret: 'worker-S3cret', timeoutMs: 5000 }).readLicense('default');
    case 'webitelList':
      return await new m.webitel.WebitelClient({ http, baseUrl: input, secret: 'worker-S3cret', timeoutMs: 5000 }).listLicenses();
  }
  throw new Error('unknown function ' + fn);
};
parentPort.on('message', async ({ id, fn, input }) => {
  const m = await ready;
  const started = performance.now();
  try {
    const value = await run(m, fn, input);
    parentPort.postMessage({ id, ok: true, value, ms: performance.now() - started });
  } catch (e) {
    const error = { name: e && e.name, code: e && e.code, message: String(e && e.message !== undefined ? e.message : e) };
    parentPort.postMessage({ id, ok: false, error, ms: performance.now() - started });
  }
});
`;

type GuardedFn = 'parsePpk' | 'parseLowayResponse' | 'qlm' | 'qmReadKey' | 'isymReadLicense' | 'webitelList';
type Guarded = { ok: true; value: unknown; ms: number } | { ok: false; error: { name: string; code?: string; message: string }; ms: number };

class ParserWorker {
  #worker!: Worker;
  #next = 0;
  readonly #pending = new Map<number, { resolve: (r: Guarded) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor() {
    this.#spawn();
  }

  #spawn(): void {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: MODULES });
    this.#worker.on('message', (m: Guarded & { id: number }) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      clearTimeout(p.timer);
      p.resolve(m);
    });
    this.#worker.on('error', (e) => {
      for (const [id, p] of this.#pending) {
        clearTimeout(p.timer);
        this.#pending.delete(id);
        p.reject(e);
      }
    });
  }

  call(fn: GuardedFn, input: string, timeoutMs = 10_000): Promise<Guarded> {
    return new Promise((resolve, reject) => {
      const id = ++this.#next;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        void this.#worker.terminate();
        this.#spawn();
        reject(new Error(`${fn} did not finish within ${timeoutMs} ms on a ${input.length}-character input: it hangs`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#worker.postMessage({ id, fn, input });
    });
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** The budget for one long input: linear work on ~1 MB is a few ms; quadratic is seconds. */
const LONG_INPUT_BUDGET_MS = 750;

function expectGuardedError(r: Guarded, codes: readonly ErrorCode[], mentions?: string): void {
  if (r.ok) return;
  expect(r.error.name, r.error.message).toBe('KeyfleetError');
  expect(codes, r.error.message).toContain(r.error.code);
  expect(r.error.message).not.toMatch(/[\r\n]/);
  expect(r.error.message.length).toBeLessThan(1_200);
  if (mentions) expect(r.error.message).toContain(mentions);
}

describe('long repetitive inputs finish in linear time (in a worker killed on a hang)', () => {
  let worker: ParserWorker;
  beforeAll(async () => {
    worker = new ParserWorker();
    await worker.call('parsePpk', 'warm-up', 30_000); // module loading
  }, 60_000);
  afterAll(() => worker.close());

  const longRuns = { numRuns: 40, timeout: 15_000 };

  it('PPK strings', async () => {
    await fc.assert(
      fc.asyncProperty(longPpkText, async (text) => {
        const r = await worker.call('parsePpk', text);
        expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS);
        if (r.ok) checkPpkRecord(text, r.value as ReturnType<typeof parsePpk>);
        else expectGuardedError(r, ['BAD_INPUT'], 'PPK');
      }),
      longRuns,
    );
  });

  it('Loway answers', async () => {
    await fc.assert(
      fc.asyncProperty(longLowayText, async (text) => {
        const r = await worker.call('parseLowayResponse', text);
        expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS);
        if (r.ok) checkLowayRecord(r.value as ReturnType<typeof parseLowayResponse>);
        else expectGuardedError(r, ['BAD_RESPONSE', 'VENDOR_REFUSED'], 'key server ks.example:8080');
      }),
      longRuns,
    );
  });

  it('QLM XML', async () => {
    await fc.assert(
      fc.asyncProperty(longQlmXml, async (text) => {
        const r = await worker.call('qlm', text);
        expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS);
        expectGuardedError(r, ['BAD_RESPONSE'], 'QLM server https://qlm.example');
      }),
      longRuns,
    );
  });

  const bigBodies = (tokens: readonly string[], prefixes: readonly string[]) => pathological(tokens, prefixes, ['', 'x', '>', '"}'], 900_000);

  it('XML-RPC answers through the QueueMetrics client (bodies up to 900 kB)', async () => {
    await fc.assert(
      fc.asyncProperty(httpStatus, fc.oneof(longXmlRpc, bigBodies(['<', '<a', ' ', '<!---->'], ['', '<methodResponse>', '<html>'])), async (status, body) => {
        answerWith(status, body, 'text/xml');
        const r = await worker.call('qmReadKey', `${server.url}/queuemetrics`);
        expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS * 2);
        expectGuardedError(r, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'HTTP_STATUS']);
      }),
      longRuns,
    );
  });

  it('JSON and HTML answers through the iSymphony and Webitel clients (bodies up to 900 kB)', async () => {
    const body = bigBodies(['[', '{"a":', '<', '<b', ' ', '"\\u00', '\\'], ['', '[', '<html>', '{"id":"', '{"detail":"']);
    await fc.assert(
      fc.asyncProperty(httpStatus, body, fc.boolean(), async (status, text, isym) => {
        answerWith(status, text, 'application/json');
        const r = await worker.call(isym ? 'isymReadLicense' : 'webitelList', `${server.url}/${isym ? 'isym' : 'webitel'}`);
        expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS * 2);
        expectGuardedError(r, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'NOT_FOUND', 'HTTP_STATUS', 'VENDOR_REFUSED'], isym ? 'iSymphony' : 'Webitel');
      }),
      longRuns,
    );
  });
});
