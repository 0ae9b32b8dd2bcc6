import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../electron/core/errors.ts';
import { childText, extractActivationKeys, parseQlmXml, readQlmError } from '../../../electron/core/vendors/qlm/xml.ts';
import { QlmClient, serializeFeatures } from '../../../electron/core/vendors/qlm/client.ts';
import { ASYNC_TIMEOUT_MS, SEED_RUNS, XML_TOKENS, answeringServer, escapeXml, expectCleanError, httpStatus, isInstant, isRealDate, mutated, pathological, timed, transport, xmlText } from '../../helpers/properties.ts';
import { expectGuardedError, longInputsFinishInLinearTime } from '../../helpers/parser-worker.ts';

/** Property tests of QLM XML answers, parsed alone and through the client over real HTTP. */

const server = answeringServer();

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
        server.answerWith(status, body, 'text/xml');
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
        server.answerWith(status, body, 'text/xml');
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
longInputsFinishInLinearTime('qlm', '<QuickLicenseManager/>', 'QLM XML', longQlmXml, (r) => expectGuardedError(r, ['BAD_RESPONSE'], 'QLM server https://qlm.example'));
