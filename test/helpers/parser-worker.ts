import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../electron/core/errors.ts';
import { httpStatus, pathological, type AnsweringServer } from './properties.ts';

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

export type GuardedFn = 'parsePpk' | 'parseLowayResponse' | 'qlm' | 'qmReadKey' | 'isymReadLicense' | 'webitelList';
export type Guarded = { ok: true; value: unknown; ms: number } | { ok: false; error: { name: string; code?: string; message: string }; ms: number };

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
export const LONG_INPUT_BUDGET_MS = 750;

export function expectGuardedError(r: Guarded, codes: readonly ErrorCode[], mentions?: string): void {
  if (r.ok) return;
  expect(r.error.name, r.error.message).toBe('KeyfleetError');
  expect(codes, r.error.message).toContain(r.error.code);
  expect(r.error.message).not.toMatch(/[\r\n]/);
  expect(r.error.message.length).toBeLessThan(1_200);
  if (mentions) expect(r.error.message).toContain(mentions);
}

/** A body up to 900 kB of one repeated token. */
export const bigBodies = (tokens: readonly string[], prefixes: readonly string[]) => pathological(tokens, prefixes, ['', 'x', '>', '"}'], 900_000);

export const longRuns = { numRuns: 40, timeout: 15_000 };

/** A worker for the file's tests, warmed up on fn (module loading) before they start. */
export function parserWorker(fn: GuardedFn, warmUpInput: string): { call: ParserWorker['call'] } {
  let worker: ParserWorker | undefined;
  beforeAll(async () => {
    worker = new ParserWorker();
    await worker.call(fn, warmUpInput, 30_000);
  }, 60_000);
  afterAll(() => worker?.close());
  return {
    call: (f, input, timeoutMs) => {
      if (!worker) throw new Error('the parser worker starts in beforeAll: call it inside a test');
      return worker.call(f, input, timeoutMs);
    },
  };
}

const LINEAR_TIME = 'long repetitive inputs finish in linear time (in a worker killed on a hang)';

/** A parser given long repetitive text in the worker: within the budget, and `check` holds for what it returns or throws. */
export function longInputsFinishInLinearTime(fn: GuardedFn, warmUpInput: string, title: string, inputs: fc.Arbitrary<string>, check: (r: Guarded, text: string) => void): void {
  describe(LINEAR_TIME, () => {
    const worker = parserWorker(fn, warmUpInput);
    it(title, async () => {
      await fc.assert(
        fc.asyncProperty(inputs, async (text) => {
          const r = await worker.call(fn, text);
          expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS);
          check(r, text);
        }),
        longRuns,
      );
    });
  });
}

/**
 * A vendor client reading long repetitive HTTP bodies from `server` in the worker (`fn` is given
 * the base URL): within twice the budget (the exchange is part of it), and only a clean error.
 */
export function longAnswersFinishInLinearTime(
  fn: GuardedFn,
  opts: { title: string; server: AnsweringServer; path: string; contentType: string; bodies: fc.Arbitrary<string>; codes: readonly ErrorCode[]; mentions?: string },
): void {
  describe(LINEAR_TIME, () => {
    const worker = parserWorker(fn, `http://127.0.0.1:1${opts.path}`);
    it(opts.title, async () => {
      await fc.assert(
        fc.asyncProperty(httpStatus, opts.bodies, async (status, body) => {
          opts.server.answerWith(status, body, opts.contentType);
          const r = await worker.call(fn, `${opts.server.url}${opts.path}`);
          expect(r.ms).toBeLessThan(LONG_INPUT_BUDGET_MS * 2);
          expectGuardedError(r, opts.codes, opts.mentions);
        }),
        longRuns,
      );
    });
  });
}

/**
 * longAnswersFinishInLinearTime for a JSON client (`vendor` as its messages name it): bodies of a
 * repeated JSON or HTML token, answered with any status, give only the errors a JSON client has.
 */
export function longJsonAnswersFinishInLinearTime(fn: GuardedFn, opts: { vendor: string; server: AnsweringServer; path: string }): void {
  longAnswersFinishInLinearTime(fn, {
    title: `JSON and HTML answers through the ${opts.vendor} client (bodies up to 900 kB)`,
    server: opts.server,
    path: opts.path,
    contentType: 'application/json',
    bodies: bigBodies(['[', '{"a":', '<', '<b', ' ', '"\\u00', '\\'], ['', '[', '<html>', '{"id":"', '{"detail":"']),
    codes: ['BAD_RESPONSE', 'AUTH', 'DENIED', 'NOT_FOUND', 'HTTP_STATUS', 'VENDOR_REFUSED'],
    mentions: opts.vendor,
  });
}
