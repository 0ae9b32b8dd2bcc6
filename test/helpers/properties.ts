import type http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { KeyfleetError, type ErrorCode } from '../../electron/core/errors.ts';
import { NodeHttpTransport } from '../../electron/core/net/http.ts';
import { startHttpServer, type RunningServer } from './servers.ts';

/**
 * Shared pieces of the property tests of every parser of outside input: random and mutated
 * inputs never crash, never hang, and never yield an inconsistent record. Sync parsers get a time
 * budget per input (a catastrophic regex shows up as seconds on long repetitive inputs); async
 * ones run under fast-check's per-run timeout.
 */

export const SEED_RUNS = (n: number) => ({ numRuns: n });
/** A sync parse of inputs up to ~200 kB must stay well under this (quadratic regexes take many seconds). */
export const SYNC_BUDGET_MS = 400;
/** Per async run: a real HTTP exchange plus parsing. */
export const ASYNC_TIMEOUT_MS = 3_000;

export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isInstant(s: string): boolean {
  return ISO_INSTANT.test(s) && Number.isFinite(Date.parse(s));
}

/** A thrown value must be a KeyfleetError of one of these codes, with a one-line, bounded message. */
export function expectCleanError(e: unknown, codes: readonly ErrorCode[], mentions?: string): KeyfleetError {
  if (!(e instanceof KeyfleetError)) throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not a KeyfleetError`);
  if (!codes.includes(e.code)) throw new Error(`code ${e.code} not in ${codes.join('/')}: ${e.message}`);
  expect(e.message.length).toBeGreaterThan(0);
  expect(e.message.length).toBeLessThan(1_200);
  expect(e.message).not.toMatch(/[\r\n]/);
  if (mentions) expect(e.message).toContain(mentions);
  return e;
}

/** Runs f and fails when it took longer than the budget, whether it returned or threw. */
export function timed<T>(f: () => T): T {
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

export interface Mutation {
  kind: 'truncate' | 'insert' | 'delete' | 'duplicate' | 'replace' | 'swap-case';
  at: number;
  len: number;
  token: string;
}

export function mutationArb(tokens: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constantFrom('truncate', 'insert', 'delete', 'duplicate', 'replace', 'swap-case'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.nat({ max: 40 }),
    token: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 3 })),
  });
}

export function applyMutation(text: string, m: Mutation): string {
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
export function mutated(valid: fc.Arbitrary<string>, tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(mutationArb(tokens), { maxLength: 4 })).map(([text, ms]) => ms.reduce(applyMutation, text));
}

/** Long repetitive inputs: the shape that makes a backtracking regex take quadratic or exponential time. */
export function pathological(tokens: readonly string[], prefixes: readonly string[], suffixes: readonly string[] = ['', 'x', '\n', '>'], maxChars = 200_000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...prefixes), fc.constantFrom(...tokens), fc.integer({ min: 5_000, max: maxChars }), fc.constantFrom(...suffixes))
    .map(([prefix, token, n, suffix]) => `${prefix}${token.repeat(Math.ceil(n / token.length)).slice(0, n)}${suffix}`);
}

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const xmlText = fc.string({ maxLength: 24 }).map(escapeXml);
export const XML_TOKENS = ['<', '>', '</value>', '<value>', '&', '&amp;', '&#0;', '&#xFFFF;', '<![CDATA[', ']]>', '<struct>', '<array>', '<data>', '</data>', '<member>', '<name>', '<!--', '-->', '<?xml version="1.0"?>', '\u0000', '"', "'", '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '&a;'];

/** One HTTP server whose next answer each property sets (the clients parse real HTTP bodies). */
export interface AnsweringServer {
  readonly url: string;
  answerWith(status: number, body: string | Buffer, type: string): void;
}

/** Starts the server before the file's tests and stops it after them. */
export function answeringServer(): AnsweringServer {
  let answer: { status: number; body: Buffer; type: string } = { status: 200, body: Buffer.alloc(0), type: 'text/plain' };
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startHttpServer((_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length });
      res.end(answer.body);
    });
  });
  afterAll(() => server?.close());
  return {
    get url() {
      if (!server) throw new Error('the answering server starts in beforeAll: read its url inside a test');
      return server.url;
    },
    answerWith(status, body, type) {
      answer = { status, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, type };
    },
  };
}

export const transport = new NodeHttpTransport();

export const httpStatus = fc.oneof({ weight: 6, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(201, 204, 301, 400, 401, 403, 404, 500, 503) });

/** Up to 9999-12-31T23:59:59.999Z: later instants have no four-digit-year form. */
export const MAX_MS = 253_402_300_799_999;
