// Long by design: one matrix, every vendor client against every fault scenario of one fault server, with the shared checks that a failure leaves everything untouched.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyfleetError, type ErrorCode } from '../../electron/core/errors.ts';
import { NodeHttpTransport, type HttpRequest, type HttpResponse, type HttpTransport } from '../../electron/core/net/http.ts';
import { openContext } from '../../electron/core/open.ts';
import type { Context } from '../../electron/core/context.ts';
import { MemoryVault } from '../../electron/core/vault/vault.ts';
import { JOURNAL_FILE, KEYS_JOURNAL_FILE } from '../../electron/core/store/journal.ts';
import { addInstance } from '../../electron/core/services/instances.ts';
import { addSource } from '../../electron/core/services/sources.ts';
import { addPpks } from '../../electron/core/vendors/queuemetrics/ppk-stock.ts';
import { readInstance } from '../../electron/core/services/instance-check.ts';
import { qlmCreate, qlmPing } from '../../electron/core/vendors/qlm/service.ts';
import { convertPpk } from '../../electron/core/vendors/queuemetrics/activation.ts';
import { LowayKeyServer } from '../../electron/core/vendors/queuemetrics/loway.ts';
import { QueueMetricsClient } from '../../electron/core/vendors/queuemetrics/client.ts';
import { ISymphonyClient } from '../../electron/core/vendors/isymphony/client.ts';
import { WebitelClient } from '../../electron/core/vendors/webitel/client.ts';
import { QlmClient } from '../../electron/core/vendors/qlm/client.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FAULT_SCENARIOS, startFaultServer, type FaultScenario, type FaultServer, type FaultVendor } from './fault-server.ts';

/**
 * Every vendor client, through the service that names the instance or key source, against
 * one fault-injecting server: each fault must end in a KeyfleetError of the right class whose
 * message names the instance and the cause, carries no secret, and leaves the store, the key
 * receipts and the licenses untouched (the event journal may only gain the failure).
 */

/** The deadline every exchange gets here: short enough that hang and slow-drip resolve quickly, long enough that a loaded CI machine answers the other scenarios in time. */
const DEADLINE_MS = 3_000;

/** The real transport with a shorter deadline (services build clients with their defaults). */
class ShortDeadlineTransport implements HttpTransport {
  readonly #inner = new NodeHttpTransport();
  request(req: HttpRequest): Promise<HttpResponse> {
    return this.#inner.request({ ...req, timeoutMs: Math.min(req.timeoutMs ?? DEADLINE_MS, DEADLINE_MS) });
  }
}

type Column = 'loway convert' | 'QM read' | 'iSymphony read' | 'Webitel read' | 'QLM ping' | 'QLM create';
const COLUMNS: ReadonlyArray<{ column: Column; vendor: FaultVendor }> = [
  { column: 'loway convert', vendor: 'loway' },
  { column: 'QM read', vendor: 'queuemetrics' },
  { column: 'iSymphony read', vendor: 'isymphony' },
  { column: 'Webitel read', vendor: 'webitel' },
  { column: 'QLM ping', vendor: 'qlm' },
  { column: 'QLM create', vendor: 'qlm' },
];

const SECRETS = {
  queuemetrics: 'qm-S3cret/pw=+!',
  isymphony: 'isym-S3cret/pw=+!',
  webitel: 'wbt-T0ken/abc=+xyz',
  qlm: 'qlm-S3cret/pw=+!',
} as const;

const BASE_EXPECTED: Record<FaultScenario, ErrorCode> = {
  refused: 'NETWORK',
  'reset-mid-body': 'NETWORK',
  hang: 'TIMEOUT',
  'slow-drip': 'TIMEOUT',
  'http500-html': 'HTTP_STATUS',
  http401: 'AUTH',
  http403: 'DENIED',
  'redirect-loop': 'HTTP_STATUS',
  'huge-streamed': 'BODY_TOO_LARGE',
  'huge-declared': 'BODY_TOO_LARGE',
  'invalid-utf8': 'BAD_RESPONSE',
  truncated: 'BAD_RESPONSE',
};

/**
 * Creating QLM keys is not idempotent: once the request may have reached the server, any fault
 * in the answer is LOST_ANSWER (keys may exist), recorded as a pending operation.
 */
const QLM_CREATE_LOST: ReadonlySet<FaultScenario> = new Set(['http500-html', 'reset-mid-body', 'hang', 'slow-drip', 'huge-streamed', 'huge-declared', 'invalid-utf8', 'truncated']);

function expectedCode(column: Column, scenario: FaultScenario): ErrorCode {
  if (column === 'QLM create' && QLM_CREATE_LOST.has(scenario)) return 'LOST_ANSWER';
  return BASE_EXPECTED[scenario];
}

/** What the message must say about the cause, beyond the code. */
const CAUSE: Record<FaultScenario, RegExp> = {
  refused: /refused/i,
  'reset-mid-body': /reset|closed/i,
  hang: /did not answer within/i,
  'slow-drip': /did not answer within/i,
  'http500-html': /\b500\b/,
  http401: /\b401\b|password refused/,
  http403: /\b403\b/,
  'redirect-loop': /\b302\b/,
  'huge-streamed': /limit/i,
  'huge-declared': /limit/i,
  'invalid-utf8': /UTF-8/,
  truncated: /cut|incomplete|missing|malformed|not valid JSON|not JSON|XML-RPC/i,
};

interface Snapshot {
  store: string;
  keys: string;
  events: string;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function snapshot(ctx: Context): Snapshot {
  return {
    store: readOrEmpty(ctx.store.file),
    keys: readOrEmpty(path.join(ctx.dataDir, KEYS_JOURNAL_FILE)),
    events: readOrEmpty(path.join(ctx.dataDir, JOURNAL_FILE)),
  };
}

interface Cell {
  column: Column;
  scenario: FaultScenario;
  subject: string;
  host: string;
  secret: string | null;
  before: Snapshot;
  after: Snapshot;
  error: unknown;
  ms: number;
}

const PPK = 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90';

interface PreparedCell {
  ctx: Context;
  column: Column;
  scenario: FaultScenario;
  subject: string;
  host: string;
  secret: string | null;
  op: () => Promise<unknown>;
}

/** A fresh data directory holding the instance or key source under test, pointed at the fault. */
async function prepareCell(server: FaultServer, column: Column, vendor: FaultVendor, scenario: FaultScenario): Promise<PreparedCell> {
  const dataDir = tempDir('kf-fault-');
  const ctx = openContext({ dataDir, vault: new MemoryVault(), http: new ShortDeadlineTransport(), timeZone: 'UTC' });
  const url = server.baseUrl(scenario, vendor);
  let subject: string;
  let secret: string | null = null;
  let op: () => Promise<unknown>;
  switch (vendor) {
    case 'loway': {
      await addSource(ctx, { name: 'loway-main', kind: 'loway-keyserver', url, email: 'licenses@hoster.example' });
      addPpks(ctx, PPK);
      subject = 'key server loway-main';
      op = () => convertPpk(ctx, { ppk: PPK, enduser: 'Acme Call Centre', email: 'it@acme.example' });
      break;
    }
    case 'queuemetrics':
    case 'isymphony':
    case 'webitel': {
      secret = SECRETS[vendor];
      const name = `${vendor}-acme`;
      const instance = await addInstance(ctx, { name, kind: vendor, url, user: vendor === 'queuemetrics' ? 'keyupdater' : 'manager', secret });
      subject = `instance ${name}`;
      op = () => readInstance(ctx, instance);
      break;
    }
    case 'qlm': {
      secret = SECRETS.qlm;
      await addSource(ctx, { name: 'qlm-main', kind: 'qlm', url, vendor: 'acme-soft', user: 'keyfleet', secret, productDefaults: { productId: 1, major: 5, minor: 0 } });
      subject = 'key source qlm-main';
      op = column === 'QLM create' ? () => qlmCreate(ctx, { source: 'qlm-main', expiry: { days: 30 } }) : () => qlmPing(ctx, 'qlm-main');
      break;
    }
  }
  return { ctx, column, scenario, subject, host: new URL(url).host, secret, op };
}

async function runCell(p: PreparedCell): Promise<Cell> {
  const before = snapshot(p.ctx);
  const started = Date.now();
  let error: unknown = null;
  try {
    await p.op();
  } catch (e) {
    error = e;
  }
  const { column, scenario, subject, host, secret } = p;
  return { column, scenario, subject, host, secret, before, after: snapshot(p.ctx), error, ms: Date.now() - started };
}

let server: FaultServer;
const cells = new Map<string, Cell>();
const cellKey = (column: Column, scenario: FaultScenario) => `${column}\u0000${scenario}`;

function printTable(): void {
  const header = ['scenario', ...COLUMNS.map((c) => c.column)];
  const rows = FAULT_SCENARIOS.map((scenario) => [
    scenario,
    ...COLUMNS.map(({ column }) => {
      const cell = cells.get(cellKey(column, scenario));
      if (!cell) return '-';
      const got = cell.error instanceof KeyfleetError ? cell.error.code : cell.error ? `THREW ${(cell.error as Error).name}` : 'NO ERROR';
      return `${got === expectedCode(column, scenario) ? '' : '✗ '}${got} ${(cell.ms / 1000).toFixed(1)}s`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  console.log(`\nFault injection: scenario × vendor → error code (time to fail)\n${out.join('\n')}\n`);
}

beforeAll(async () => {
  server = await startFaultServer({ dripIntervalMs: 200 });
  // Set-up is synchronous-heavy (store schema compilation); done first so it cannot stall the deadlines.
  const prepared: PreparedCell[] = [];
  for (const { column, vendor } of COLUMNS) for (const scenario of FAULT_SCENARIOS) prepared.push(await prepareCell(server, column, vendor, scenario));
  for (const cell of await Promise.all(prepared.map(runCell))) cells.set(cellKey(cell.column, cell.scenario), cell);
}, 60_000);

afterAll(async () => {
  printTable();
  await server?.close();
});

describe.each(COLUMNS)('$column under faults', ({ column }) => {
  it.each(FAULT_SCENARIOS)('%s: clear error naming the instance and cause, no secret, nothing written', (scenario) => {
    const cell = cells.get(cellKey(column, scenario))!;
    const err = cell.error;
    expect(err, 'the call must fail').toBeInstanceOf(KeyfleetError);
    const e = err as KeyfleetError;
    expect(e.code).toBe(expectedCode(column, scenario));
    expect(e.message.startsWith(`${cell.subject}:`), e.message).toBe(true);
    expect(e.message).toMatch(CAUSE[scenario]);
    expect(e.message, 'the message names the server').toContain(cell.host);
    expect(e.message).not.toMatch(/\n/);
    expect(e.message.length).toBeLessThan(800);
    if (cell.secret) {
      expect(e.message).not.toContain(cell.secret);
      expect(e.message).not.toContain(encodeURIComponent(cell.secret));
      expect(JSON.stringify(e.details ?? {})).not.toContain(cell.secret);
      expect(JSON.stringify(e.details ?? {})).not.toContain(encodeURIComponent(cell.secret));
    }

    // Nothing written: receipts untouched, and the store unchanged (bar a lost-answer record).
    expect(cell.after.keys).toBe(cell.before.keys);
    const before = JSON.parse(cell.before.store) as { licenses: unknown[]; pending: Array<{ state: string }> };
    const after = JSON.parse(cell.after.store) as { licenses: unknown[]; pending: Array<{ state: string }> };
    expect(after.licenses).toEqual(before.licenses);
    if (e.code === 'LOST_ANSWER') {
      expect(after.pending.slice(0, before.pending.length)).toEqual(before.pending);
      expect(after.pending.slice(before.pending.length).map((p) => p.state)).toEqual(['answer-lost']);
      expect({ ...after, pending: before.pending }).toEqual(before);
    } else {
      expect(cell.after.store).toBe(cell.before.store);
    }

    // The event journal only gains this operation's own failure record(s).
    expect(cell.after.events.startsWith(cell.before.events)).toBe(true);
    const added = cell.after.events
      .slice(cell.before.events.length)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { outcome: string; error?: { code: string; message: string } });
    for (const ev of added) expect(['failed', 'started']).toContain(ev.outcome);
    const failures = added.filter((ev) => ev.outcome === 'failed');
    if (added.length > 0) expect(failures.map((f) => f.error?.code)).toEqual([e.code]);
    if (cell.secret) expect(cell.after.events).not.toContain(cell.secret);
  });
});

describe('error pages that quote the request', () => {
  // The fault server's error pages echo the query and body: QLM sends is_pwd in the query and
  // QueueMetrics the password in the XML-RPC body, so these messages would show them unmasked.
  it.each([
    ['QM read', 'http500-html'],
    ['QM read', 'http401'],
    ['QM read', 'http403'],
    ['QLM create', 'http500-html'],
    ['QLM create', 'http401'],
    ['QLM create', 'http403'],
  ] as Array<[Column, FaultScenario]>)('%s %s: the server text is quoted with the password masked', (column, scenario) => {
    const cell = cells.get(cellKey(column, scenario))!;
    const message = (cell.error as KeyfleetError).message;
    expect(message).toContain('***');
    expect(message).not.toContain(cell.secret!);
  });
});

describe('fault server', () => {
  it('sent each fault to the vendor it was meant for, and refused connections never arrived', () => {
    expect(server.requests.some((r) => r.scenario === 'refused')).toBe(false);
    for (const scenario of FAULT_SCENARIOS.filter((s) => s !== 'refused')) {
      const vendors = new Set(server.requests.filter((r) => r.scenario === scenario).map((r) => r.vendor));
      expect([...vendors].sort(), scenario).toEqual(['isymphony', 'loway', 'qlm', 'queuemetrics', 'webitel']);
    }
  });

  it('retried only what is safe to retry: the Loway conversion and the QLM ping, never the QLM create', () => {
    const count = (vendor: FaultVendor, scenario: FaultScenario, match: RegExp = /./) =>
      server.requests.filter((r) => r.vendor === vendor && r.scenario === scenario && match.test(r.path)).length;
    expect(count('loway', 'hang')).toBe(3);
    expect(count('loway', 'http403')).toBe(1);
    expect(count('qlm', 'hang', /PingHttp/)).toBe(2);
    expect(count('qlm', 'hang', /GetActivationKey/)).toBe(1);
    expect(count('qlm', 'truncated', /GetActivationKey/)).toBe(1);
  });
});

describe('client deadlines given directly', () => {
  let faults: FaultServer;
  beforeAll(async () => {
    faults = await startFaultServer();
    faults.setScenario('hang');
  });
  afterAll(() => faults.close());

  const base = (vendor: FaultVendor) => faults.baseUrl('hang', vendor).replace(/\/f\/hang\//, '/any/');
  const http = new NodeHttpTransport();
  const clients: Record<FaultVendor, () => Promise<unknown>> = {
    loway: () => new LowayKeyServer({ http, activationUrl: base('loway'), timeoutMs: 250, retries: 0 }).convert({ ppk: PPK, enduser: 'Acme', email: 'it@acme.example' }),
    queuemetrics: () => new QueueMetricsClient({ http, baseUrl: base('queuemetrics'), user: 'keyupdater', secret: 'x', timeoutMs: 250 }).readKey(),
    isymphony: () => new ISymphonyClient({ http, baseUrl: base('isymphony'), secret: 'x', timeoutMs: 250 }).listCoreServers(),
    webitel: () => new WebitelClient({ http, baseUrl: base('webitel'), secret: 'x', timeoutMs: 250 }).listLicenses(),
    qlm: () => new QlmClient({ http, baseUrl: base('qlm'), vendor: 'v', user: 'u', secret: 'x', timeoutMs: 250 }).ping(),
  };

  it.each(Object.keys(clients) as FaultVendor[])('%s honours timeoutMs from its options', async (vendor) => {
    const started = Date.now();
    const err = await clients[vendor]().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyfleetError);
    expect((err as KeyfleetError).code).toBe('TIMEOUT');
    expect((err as KeyfleetError).message).toContain('0.3 s');
    // QLM retries a read once; nothing waits for a default 15–20 s deadline.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
