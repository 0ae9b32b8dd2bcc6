import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISymphonyClient } from '../../../electron/core/vendors/isymphony/client.ts';
import { ASYNC_TIMEOUT_MS, MAX_MS, answeringServer, expectCleanError, httpStatus, isRealDate, mutated, transport } from '../../helpers/properties.ts';
import { longJsonAnswersFinishInLinearTime } from '../../helpers/parser-worker.ts';

/** Property tests of iSymphony JSON answers read by the client over real HTTP. */

const server = answeringServer();

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

function checkIsymLicense(l: Awaited<ReturnType<ISymphonyClient['readLicense']>>): void {
  for (const s of [l.id, l.serial, l.type]) expect(typeof s).toBe('string');
  for (const d of [l.expiresAt, l.maintenanceExpiresAt]) if (d !== null) expect(isRealDate(d), d).toBe(true);
  for (const n of [l.clientConnections, l.configuredUsers]) if (n !== null) expect(Number.isInteger(n) && n >= 0).toBe(true);
}

describe('iSymphony JSON (ISymphonyClient)', () => {
  const clientFor = () => new ISymphonyClient({ http: transport, baseUrl: `${server.url}/isym`, secret: 'isym-S3cret', timeoutMs: 2_000 });

  it('a license with valid fields reads back consistently', async () => {
    const client = clientFor();
    await fc.assert(
      fc.asyncProperty(isymLicense, async (license) => {
        server.answerWith(200, JSON.stringify(license), 'application/json');
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
        server.answerWith(200, JSON.stringify(license), 'application/json');
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
        server.answerWith(status, text, 'application/json');
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

longJsonAnswersFinishInLinearTime('isymReadLicense', { vendor: 'iSymphony', server, path: '/isym' });
