import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebitelClient } from '../../../electron/core/vendors/webitel/client.ts';
import { ASYNC_TIMEOUT_MS, MAX_MS, answeringServer, expectCleanError, httpStatus, isInstant, mutated, transport } from '../../helpers/properties.ts';
import { longJsonAnswersFinishInLinearTime } from '../../helpers/parser-worker.ts';

/** Property tests of Webitel JSON answers read by the client over real HTTP. */

const server = answeringServer();

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

function checkWebitelLicense(l: Awaited<ReturnType<WebitelClient['listLicenses']>>[number]): void {
  expect(l.id.length).toBeGreaterThan(0);
  expect(l.product.length).toBeGreaterThan(0);
  expect(l.used).toBe(l.limit - l.remain);
  expect(Number.isSafeInteger(l.limit) && l.limit >= 0).toBe(true);
  for (const t of [l.validFrom, l.validTill]) if (t !== null) expect(isInstant(t), t).toBe(true);
  expect(l.scope.every((s) => typeof s === 'string')).toBe(true);
}

describe('Webitel JSON (WebitelClient)', () => {
  const clientFor = () => new WebitelClient({ http: transport, baseUrl: `${server.url}/webitel`, secret: 'wbt-T0ken', timeoutMs: 2_000 });

  it('a page of valid licenses reads back consistently', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(fc.array(webitelLicense, { maxLength: 5 }), async (items) => {
        server.answerWith(200, JSON.stringify({ page: 1, next: false, items }), 'application/json');
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
        server.answerWith(200, JSON.stringify({ page: 1, next: false, items }), 'application/json');
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
        server.answerWith(status, text, 'application/json');
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

longJsonAnswersFinishInLinearTime('webitelList', { vendor: 'Webitel', server, path: '/webitel' });
