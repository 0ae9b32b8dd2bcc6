import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLicenseListing, type QlmLicensePage } from '../../../electron/core/vendors/qlm/listing.ts';
import { QlmClient } from '../../../electron/core/vendors/qlm/client.ts';
import { ASYNC_TIMEOUT_MS, SEED_RUNS, XML_TOKENS, answeringServer, escapeXml, expectCleanError, httpStatus, isInstant, isRealDate, mutated, timed, transport } from '../../helpers/properties.ts';

/**
 * Property tests of the one adapter that reads GetLicensesHttp answers, whose shape Soraco does
 * not document: any of the accepted layouts (JSON array, JSON object wrapping one array, XML
 * DataSet, QLM's own licenses/license), any column casing, any subset of optional columns gives
 * back exactly the licenses that were written; anything else is a page of consistent licenses
 * or a clean error; and through the client, over HTTP, the password never leaks.
 */

const WHERE = 'QLM server https://qlm.example';

interface Written {
  key: string;
  productId: number | null;
  major: number | null;
  minor: number | null;
  expiry: string | null;
  seats: number | null;
  revoked: boolean | null;
  company: string | null;
  email: string | null;
}

const dateArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const textArb = fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), { nil: null });
const writtenArb: fc.Arbitrary<Written> = fc.record({
  key: fc.stringMatching(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}-[0-9A-Z]{6}$/),
  productId: fc.option(fc.integer({ min: 0, max: 99_999 }), { nil: null }),
  major: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }),
  minor: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }),
  expiry: fc.option(dateArb, { nil: null }),
  seats: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
  revoked: fc.option(fc.boolean(), { nil: null }),
  company: textArb,
  email: textArb,
});

/** A column name as some server might case it. */
const casing = fc.constantFrom<(s: string) => string>((s) => s, (s) => s.toLowerCase(), (s) => s.toUpperCase(), (s) => s[0]!.toLowerCase() + s.slice(1));

const layoutArb = fc.constantFrom('json-array', 'json-wrapped', 'json-nested', 'json-string', 'xml-dataset', 'xml-qlm', 'xml-asmx-string');
const dateStyleArb = fc.constantFrom('iso', 'iso-offset', 'qlm', 'us', 'legacy-json');

function writeDate(d: string, style: string, json: boolean): string {
  const [y, m, day] = d.split('-');
  switch (style) {
    case 'iso-offset':
      return `${d}T23:59:00+00:00`;
    case 'qlm':
      return `${d} 23:59`;
    case 'us':
      return `${Number(m)}/${Number(day)}/${y} 11:59:00 PM`;
    case 'legacy-json':
      return json ? `/Date(${Date.parse(`${d}T23:59:00Z`)})/` : `${d}T23:59:00`;
    default:
      return `${d}T23:59:00`;
  }
}

function columns(w: Written, dateStyle: string, json: boolean): Array<[string, string | number | boolean | null]> {
  const cols: Array<[string, string | number | boolean | null]> = [['ActivationKey', w.key]];
  if (w.productId !== null) cols.push(['ProductID', w.productId]);
  if (w.major !== null) cols.push(['MajorVersion', w.major]);
  if (w.minor !== null) cols.push(['MinorVersion', w.minor]);
  if (w.expiry !== null) cols.push(['ExpiryDate', writeDate(w.expiry, dateStyle, json)]);
  if (w.seats !== null) cols.push(['NumLicenses', w.seats]);
  if (w.revoked !== null) cols.push(['Revoked', json ? w.revoked : w.revoked ? 'true' : '0']);
  cols.push(['Company', w.company], ['Email', w.email]);
  return cols;
}

function render(rows: Written[], layout: string, dateStyle: string, caseOf: (s: string) => string, wrapKey: string, rowName: string): string {
  const json = layout.startsWith('json');
  const objects = rows.map((w) => Object.fromEntries(columns(w, dateStyle, true).map(([k, v]) => [caseOf(k), v])));
  switch (layout) {
    case 'json-array':
      return JSON.stringify(objects);
    case 'json-wrapped':
      return JSON.stringify({ [wrapKey]: objects, count: objects.length });
    case 'json-nested':
      return JSON.stringify({ QuickLicenseManager: { [wrapKey]: objects } });
    case 'json-string':
      return JSON.stringify(JSON.stringify(objects));
  }
  void json;
  const xmlRows = rows
    .map((w) => `<${rowName}>${columns(w, dateStyle, false).map(([k, v]) => (v === null ? (k === 'Company' ? `<${caseOf(k)} />` : '') : `<${caseOf(k)}>${escapeXml(String(v))}</${caseOf(k)}>`)).join('')}</${rowName}>`)
    .join('');
  if (layout === 'xml-qlm') return `<?xml version="1.0" encoding="utf-8"?><QuickLicenseManager><licenses>${xmlRows}</licenses></QuickLicenseManager>`;
  const dataset = `<NewDataSet><xs:schema id="NewDataSet" xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="${rowName}"><xs:complexType><xs:sequence><xs:element name="ActivationKey" type="xs:string" minOccurs="0" /></xs:sequence></xs:complexType></xs:element></xs:schema>${xmlRows}</NewDataSet>`;
  if (layout === 'xml-asmx-string') return `<?xml version="1.0" encoding="utf-8"?><string xmlns="http://tempuri.org/">${escapeXml(dataset)}</string>`;
  return `\uFEFF<?xml version="1.0" standalone="yes"?>\r\n${dataset}`;
}

const expectedText = (s: string | null) => (s === null || s.trim() === '' ? null : s.trim());

function checkConsistent(page: QlmLicensePage): void {
  expect(page.licenses.length + page.rejected.length).toBe(page.rowCount);
  for (const l of page.licenses) {
    expect(l.activationKey).toMatch(/^\S+$/);
    for (const d of [l.expiresAt, l.maintenanceExpiresAt]) {
      if (d) {
        expect(isRealDate(d.date), d.date).toBe(true);
        expect(isInstant(d.instant), d.instant).toBe(true);
      }
    }
    for (const n of [l.productId, l.majorVersion, l.minorVersion, l.seats]) if (n !== null) expect(Number.isSafeInteger(n)).toBe(true);
    expect(typeof l.revoked).toBe('boolean');
  }
  for (const r of page.rejected) {
    expect(r.message).toMatch(new RegExp(`^row ${r.row}\\b`));
    expect(r.message).not.toMatch(/[\r\n]/);
  }
}

describe('GetLicensesHttp adapter (readLicenseListing)', () => {
  it('every accepted layout, casing and date style gives back exactly the licenses written', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(writtenArb, { maxLength: 12, selector: (w) => w.key }),
        layoutArb,
        dateStyleArb,
        casing,
        fc.constantFrom('licenses', 'Table', 'data', 'items', 'Result'),
        fc.constantFrom('Table', 'license', 'Row', 'qryLicenseInfo'),
        fc.nat(5_000),
        (rows, layout, dateStyle, caseOf, wrapKey, rowName, offset) => {
          const body = render(rows, layout, dateStyle, caseOf, wrapKey, rowName);
          const page = timed(() => readLicenseListing(body, { where: WHERE, offset }));
          checkConsistent(page);
          expect(page.rejected).toEqual([]);
          expect(page.rowCount).toBe(rows.length);
          page.licenses.forEach((l, i) => {
            const w = rows[i]!;
            expect(l.row).toBe(offset + i + 1);
            expect(l.activationKey).toBe(w.key);
            expect([l.productId, l.majorVersion, l.minorVersion, l.seats]).toEqual([w.productId, w.major, w.minor, w.seats]);
            expect(l.expiresAt?.date ?? null).toBe(w.expiry);
            expect(l.revoked).toBe(w.revoked ?? false);
            expect(l.company).toBe(expectedText(w.company));
            expect(l.email).toBe(expectedText(w.email));
          });
        },
      ),
      SEED_RUNS(600),
    );
  });

  it('a row without a key or with an unreadable column is reported by row (and column), the others still read', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(writtenArb, { minLength: 2, maxLength: 8, selector: (w) => w.key }),
        fc.nat(),
        fc.constantFrom(['ExpiryDate', '2024-02-30'], ['ExpiryDate', 'never'], ['NumLicenses', 'ten'], ['Revoked', 'maybe'], ['ActivationKey', null], ['ProductID', '1.5']),
        (rows, pick, [column, value]) => {
          const bad = pick % rows.length;
          const objects = rows.map((w, i) => {
            const o: Record<string, unknown> = Object.fromEntries(columns(w, 'iso', true));
            if (i === bad) o[column as string] = value;
            return o;
          });
          const page = readLicenseListing(JSON.stringify(objects), { where: WHERE });
          checkConsistent(page);
          expect(page.licenses.map((l) => l.activationKey)).toEqual(rows.filter((_, i) => i !== bad).map((w) => w.key));
          expect(page.rejected).toHaveLength(1);
          expect(page.rejected[0]!.row).toBe(bad + 1);
          if (value === null) expect(page.rejected[0]!.message).toMatch(/has no activation key/);
          else expect(page.rejected[0]!.message).toContain(`column ${(column as string).toLowerCase()}`);
        },
      ),
      SEED_RUNS(300),
    );
  });

  const valid = fc
    .tuple(fc.uniqueArray(writtenArb, { maxLength: 6, selector: (w) => w.key }), layoutArb, dateStyleArb, casing)
    .map(([rows, layout, style, caseOf]) => render(rows, layout, style, caseOf, 'licenses', 'Table'));
  const anyBody = fc.oneof(
    valid,
    mutated(valid, [...XML_TOKENS, '{', '}', '[', ']', '"', ':', ',', 'null', '"error":', '<html>', '<error>', 'Error 7: disabled', '<!doctype html>']),
    fc.json(),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('<!DOCTYPE html><html><body>Sign in</body></html>', '{"error":{"code":7,"message":"disabled"}}', '{"error":"Authentication failed"}', '<QuickLicenseManager><error>Error 8: x</error></QuickLicenseManager>', '[]', '{}', '<NewDataSet />', '"just text"', '[1,2,3]'),
  );

  it('random and mutated answers give consistent licenses or a clean error', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        let page: QlmLicensePage;
        try {
          page = timed(() => readLicenseListing(body, { where: WHERE }));
        } catch (e) {
          expectCleanError(e, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'NOT_FOUND']);
          return;
        }
        checkConsistent(page);
      }),
      SEED_RUNS(1_500),
    );
  });

  const server = answeringServer();
  const SECRET = 'list-Pr0p/S3cret=+';

  it('through the client over HTTP: a page or a clean error, never the password', async () => {
    const client = new QlmClient({ http: transport, baseUrl: `${server.url}/qlm/qlmservice.asmx`, vendor: 'acme', user: 'robot', secret: SECRET, timeoutMs: 2_000 });
    await fc.assert(
      fc.asyncProperty(httpStatus, fc.oneof(anyBody, anyBody.map((b) => `${b}${SECRET}`)), fc.constantFrom('text/xml', 'application/json', 'text/html'), async (status, body, type) => {
        server.answerWith(status, body, type);
        try {
          checkConsistent(await client.listLicenses({ format: type === 'application/json' ? 'json' : 'xml', batchSize: 50 }));
        } catch (e) {
          const err = expectCleanError(e, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'NOT_FOUND', 'HTTP_STATUS']);
          expect(err.message).not.toContain(SECRET);
          expect(JSON.stringify(err.details ?? {})).not.toContain(SECRET);
        }
      }),
      { numRuns: 300, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});
