// Long by design: the one tolerant adapter for GetLicensesHttp: the request and every JSON and XML shape a server may answer with, read into one row form.
import { KeyfleetError } from '../../errors.ts';
import { excerpt, type HttpResponse } from '../../net/http.ts';
import type { VendorHttp } from '../../net/kit/vendor-http.ts';
import { parseQlmDateTime, type QlmDateTime } from './dates.ts';
import { QLM_ENABLE_PROPERTY, qlmServerErrorToKeyfleet } from './errors.ts';
import type { QlmParams } from './requests.ts';
import { asArray, isNode, parseQlmXml, readQlmError, textOf, type QlmServerError, type XmlNode } from './xml.ts';

/**
 * GetLicensesHttp: the License Server's list of licenses, page by page. Soraco documents the
 * answer only as "the list of licenses in the requested format" with the columns of the
 * server's qryLicenseInfo view, so everything below about its shape is INFERRED and read by one
 * tolerant adapter (readLicenseListing); docs/vendors/qlm.md records what is accepted.
 */

export const LIST_METHOD = 'GetLicensesHttp';
export type QlmListFormat = 'xml' | 'json';

/** Whether an error is the server saying listing is switched off (error 7 for GetLicensesHttp), so the recorded keys can be read one by one instead. */
export function isListingDisabled(e: unknown): boolean {
  return e instanceof KeyfleetError && e.code === 'DENIED' && e.details?.['enableProperty'] === QLM_ENABLE_PROPERTY[LIST_METHOD];
}

export interface QlmListRequest {
  /** is_filter: an expression on the qryLicenseInfo view, e.g. `ProductID=1`. */
  filter?: string | undefined;
  /** is_batchsize: licenses per page. */
  batchSize?: number | undefined;
  /** is_offset: zero-based position of the page's first license. */
  offset?: number | undefined;
  /** is_format; default json, which reads about ten times faster than the same rows in XML. */
  format?: QlmListFormat | undefined;
}

/** What a license is and until when, as both the listing and GetLicenseInfo read it. */
export interface QlmLicenseProduct {
  activationKey: string;
  productId: number | null;
  productName: string | null;
  majorVersion: number | null;
  minorVersion: number | null;
  licenseModel: string | null;
  expiresAt: QlmDateTime | null;
}

/** One license as the server listed it, its columns read. */
export interface QlmListedLicense extends QlmLicenseProduct {
  /** 1-based position in the whole listing (offset + row in page), for messages. */
  row: number;
  maintenanceExpiresAt: QlmDateTime | null;
  seats: number | null;
  revoked: boolean;
  company: string | null;
  email: string | null;
  fullName: string | null;
  features: string | null;
}

/** A row that could not be read: not imported, reported with what was wrong. */
export interface QlmRejectedRow {
  row: number;
  key: string | null;
  message: string;
}

export interface QlmLicensePage {
  licenses: QlmListedLicense[];
  rejected: QlmRejectedRow[];
  /** Rows in the answer, read or not: a page shorter than the batch size is the last. */
  rowCount: number;
}

export const DEFAULT_LIST_BATCH_SIZE = 500;
export const DEFAULT_LIST_FORMAT: QlmListFormat = 'json';
export const MAX_LIST_BATCH_SIZE = 10_000;
const MAX_FILTER_LENGTH = 1000;

function bad(message: string): never {
  throw new KeyfleetError('BAD_INPUT', message);
}

/** The is_* arguments of one GetLicensesHttp page (without vendor and credentials). */
export function listLicensesParams(req: QlmListRequest): QlmParams {
  const format = req.format ?? DEFAULT_LIST_FORMAT;
  if (format !== 'xml' && format !== 'json') bad(`format must be xml or json, got ${JSON.stringify(format)}`);
  const p: QlmParams = [['is_format', format]];
  if (req.filter !== undefined) {
    const filter = req.filter.trim();
    if (filter === '') bad('filter must not be empty (leave it out to list every license)');
    if (filter.length > MAX_FILTER_LENGTH) bad(`filter is longer than ${MAX_FILTER_LENGTH} characters`);
    if (/[\u0000-\u001f\u007f]/.test(filter)) bad('filter must not contain control characters');
    p.push(['is_filter', filter]);
  }
  const batchSize = req.batchSize ?? DEFAULT_LIST_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_LIST_BATCH_SIZE) bad(`batch size must be a whole number from 1 to ${MAX_LIST_BATCH_SIZE}, got ${batchSize}`);
  const offset = req.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) bad(`offset must be a whole number ≥ 0, got ${offset}`);
  p.push(['is_batchsize', String(batchSize)], ['is_offset', String(offset)]);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Reading rows, whatever the container

/** A row's columns by lower-cased name; values as text (null: empty or absent). */
type Row = Map<string, string | null>;

/** Column names per field, lower-cased, in order of preference. */
const COLUMNS = {
  key: ['activationkey', 'avkey', 'licensekey'],
  productId: ['productid'],
  productName: ['productname'],
  major: ['majorversion'],
  minor: ['minorversion'],
  model: ['licensemodel'],
  expiry: ['expirydate', 'expdate'],
  maintenance: ['maintenancerenewaldate', 'maintenanceplanexpirydate', 'maintenanceexpirydate'],
  seats: ['numlicenses', 'quantity', 'numactivationsallowed'],
  revoked: ['revoked', 'isrevoked'],
  company: ['company', 'usercompany'],
  email: ['email', 'useremail'],
  fullName: ['fullname', 'username', 'contactname'],
  features: ['features'],
} as const;

/** Every column name that identifies a license row. */
const KEY_COLUMNS: ReadonlySet<string> = new Set(COLUMNS.key);

/** The first present column of a field: [column name as listed, text]. */
function cell(row: Row, names: readonly string[]): [string, string | null] | null {
  for (const n of names) if (row.has(n)) return [n, row.get(n) ?? null];
  return null;
}

function jsonScalar(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function jsonRow(value: Record<string, unknown>): Row {
  const row: Row = new Map();
  for (const [k, v] of Object.entries(value)) {
    const text = jsonScalar(v);
    if (text !== undefined && !row.has(k.toLowerCase())) row.set(k.toLowerCase(), text);
  }
  return row;
}

function isRowObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Arrays of row objects within `depth` levels of an object, with where they were found. */
function jsonArrays(value: Record<string, unknown>, depth: number, path: string, out: Array<{ path: string; rows: unknown[] }>): void {
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (Array.isArray(v)) {
      if (v.length === 0 || v.every(isRowObject)) out.push({ path: here, rows: v });
    } else if (isRowObject(v) && depth > 1) {
      jsonArrays(v, depth - 1, here, out);
    }
  }
}

const hasKeyColumn = (row: Row) => [...KEY_COLUMNS].some((c) => row.has(c));

/** An answer's JSON error, in any of the shapes an API may use; null when it is not one. */
function jsonError(value: Record<string, unknown>): QlmServerError | null {
  const entry = Object.entries(value).find(([k]) => /^(error|errors|errormessage|fault)$/i.test(k));
  const code = Object.entries(value).find(([k]) => /^(errorcode|code)$/i.test(k))?.[1];
  const statusIsError = Object.entries(value).some(([k, v]) => /^(status|result)$/i.test(k) && typeof v === 'string' && /^(error|failed|failure)$/i.test(v));
  if (!entry && !statusIsError) return null;
  let text = '';
  let number: number | null = typeof code === 'number' ? code : typeof code === 'string' && /^\d{1,6}$/.test(code) ? Number(code) : null;
  const inner = entry?.[1];
  if (typeof inner === 'string') text = inner;
  else if (isRowObject(inner)) {
    const msg = Object.entries(inner).find(([k]) => /^(message|text|description|details)$/i.test(k))?.[1];
    text = typeof msg === 'string' ? msg : JSON.stringify(inner);
    const c = Object.entries(inner).find(([k]) => /^(code|errorcode|number)$/i.test(k))?.[1];
    if (number === null && (typeof c === 'number' || (typeof c === 'string' && /^\d{1,6}$/.test(c)))) number = Number(c);
  } else if (Array.isArray(inner)) text = inner.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; ');
  if (!text) {
    const msg = Object.entries(value).find(([k]) => /^(message|detail|title)$/i.test(k))?.[1];
    text = typeof msg === 'string' ? msg : '';
  }
  if (entry && !text && number === null && (inner === null || inner === false || inner === '')) return null; // "error": null is no error
  // A number the server gave wins; else the same reading of the words as for XML errors.
  const fromWords = readQlmError({ error: text });
  return { code: number ?? fromWords?.code ?? null, text };
}

/** Rows of a JSON answer: an array of row objects, or an object wrapping one such array. */
function jsonRows(text: string, where: string, clean: (s: string) => string, nested = false): Row[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new KeyfleetError('BAD_RESPONSE', `${where} answered with JSON that is cut short or malformed (${excerpt(clean((e as Error).message))})`);
  }
  // ASP.NET may hand back a serialised string as a JSON string: read what it holds, once.
  if (typeof value === 'string' && !nested) return rowsOf(value, where, clean, true);
  if (Array.isArray(value)) {
    if (!value.every(isRowObject)) throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with a JSON list that does not hold license rows (objects): ${excerpt(clean(text))}`);
    return value.map(jsonRow);
  }
  if (!isRowObject(value)) throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with JSON that is not a list of licenses: ${excerpt(clean(text))}`);
  const error = jsonError(value);
  if (error) throw qlmServerErrorToKeyfleet(LIST_METHOD, { ...error, text: clean(error.text) }, where.replace(/^QLM server /, ''));
  const found: Array<{ path: string; rows: unknown[] }> = [];
  jsonArrays(value, 3, '', found);
  const withKeys = found.filter((f) => f.rows.some((r) => hasKeyColumn(jsonRow(r as Record<string, unknown>))));
  const pick = withKeys.length > 0 ? withKeys : found.filter((f) => f.rows.length > 0).length === 0 ? found.slice(0, 1) : found.filter((f) => f.rows.length > 0);
  if (pick.length === 1) return pick[0]!.rows.map((r) => jsonRow(r as Record<string, unknown>));
  if (pick.length > 1) {
    throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with several lists (${excerpt(pick.map((f) => f.path).join(', '), 200)}) and none is clearly the licenses`);
  }
  // One license on its own, not in a list.
  const single = jsonRow(value);
  if (hasKeyColumn(single)) return [single];
  if (Object.keys(value).length === 0) return [];
  throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with JSON holding no list of licenses: ${excerpt(clean(text))}`);
}

/** A column value: text, an element with only attributes (xsi:nil, empty), or null when it has children. */
function xmlLeaf(value: unknown): string | null | undefined {
  if (Array.isArray(value)) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (isNode(value)) {
    const keys = Object.keys(value).filter((k) => !k.startsWith('@_'));
    if (keys.length === 0) return null;
    if (keys.length === 1 && keys[0] === '#text') {
      const t = textOf(value)?.trim() ?? '';
      return t === '' ? null : t;
    }
  }
  return undefined;
}

/** A node is a row when it has children and every child is a column (a leaf). */
function xmlRow(node: unknown): Row | null {
  if (!isNode(node)) return null;
  const row: Row = new Map();
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_') || k === '#text') continue;
    const leaf = xmlLeaf(v);
    if (leaf === undefined) return null;
    row.set(k.toLowerCase(), leaf);
  }
  return row.size > 0 ? row : null;
}

/** Groups of same-named sibling rows anywhere under `node` (e.g. NewDataSet/Table, licenses/license). */
function xmlRowGroups(node: XmlNode, path: string, out: Array<{ path: string; rows: Row[] }>, depth = 0): void {
  if (depth > 8) return;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_') || k === '#text') continue;
    const items = asArray(v);
    const rows = items.map(xmlRow);
    const here = path ? `${path}/${k}` : k;
    if (items.length > 0 && rows.every((r) => r !== null)) out.push({ path: here, rows: rows as Row[] });
    else for (const item of items) if (isNode(item)) xmlRowGroups(item, here, out, depth + 1);
  }
}

/** Whether the document holds any text at all (an empty container is an empty list). */
function hasText(node: unknown): boolean {
  if (typeof node === 'string') return node.trim() !== '';
  if (Array.isArray(node)) return node.some(hasText);
  if (isNode(node)) return Object.entries(node).some(([k, v]) => !k.startsWith('@_') && hasText(v));
  return false;
}

function xmlRows(text: string, where: string, clean: (s: string) => string): Row[] {
  const root = parseQlmXml(text, where, clean);
  const error = readQlmError(root);
  if (error) throw qlmServerErrorToKeyfleet(LIST_METHOD, { ...error, text: clean(error.text) }, where.replace(/^QLM server /, ''));
  const groups: Array<{ path: string; rows: Row[] }> = [];
  xmlRowGroups(root, '', groups);
  const withKeys = groups.filter((g) => g.rows.some(hasKeyColumn));
  if (withKeys.length === 1) return withKeys[0]!.rows;
  if (withKeys.length > 1) {
    const largest = [...withKeys].sort((a, b) => b.rows.length - a.rows.length);
    // Two groups with key columns: the licenses are the bigger one only if the other is tiny noise.
    throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with several lists of keys (${excerpt(largest.map((g) => g.path).join(', '), 200)}) and none is clearly the licenses`);
  }
  const single = xmlRow(root);
  if (single && hasKeyColumn(single)) return [single];
  if (!hasText(root)) return [];
  // Rows without any key column are still rows (reported one by one), when there is one clear group.
  const nonEmpty = groups.filter((g) => g.rows.length > 0 && g.path.includes('/'));
  if (nonEmpty.length === 1) return nonEmpty[0]!.rows;
  throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with XML holding no list of licenses: ${excerpt(clean(text))}`);
}

/** Rows of a listing, in whichever of XML or JSON the body is (not necessarily the one asked for). */
function rowsOf(text: string, where: string, clean: (s: string) => string, nested = false): Row[] {
  const body = text.replace(/^[\uFEFF\s]+/, '');
  if (!body) throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with an empty body instead of a list of licenses`);
  if (body.startsWith('[') || body.startsWith('{') || (body.startsWith('"') && !nested)) return jsonRows(body, where, clean, nested);
  if (body.startsWith('<')) return xmlRows(body, where, clean);
  throw new KeyfleetError('BAD_RESPONSE', `${where} answered ${LIST_METHOD} with text that is neither XML nor JSON (is the server URL right?): ${excerpt(clean(body))}`);
}

// ---------------------------------------------------------------------------------------------
// Reading columns

/** ASP.NET's legacy JSON date `/Date(1735689600000)/` or `/Date(…+0100)/`. */
function legacyJsonDate(text: string): string | null {
  const m = /^\/?Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/?$/.exec(text);
  return m ? new Date(Number(m[1])).toISOString().replace('.000Z', 'Z') : null;
}

/** .NET's DateTime.MinValue, written by servers for "no date". */
const NO_DATE = /^(?:0001-01-01|0?1\/0?1\/0001)\b/;

class ColumnProblem extends Error {}

function dateColumn(row: Row, names: readonly string[]): QlmDateTime | null {
  const c = cell(row, names);
  if (!c || c[1] === null) return null;
  const [column, raw] = c;
  const parsed = parseQlmDateTime(legacyJsonDate(raw) ?? raw);
  if (parsed) return parsed;
  if (NO_DATE.test(raw)) return null;
  throw new ColumnProblem(`column ${column}: "${excerpt(raw, 40)}" is not a date`);
}

function intColumn(row: Row, names: readonly string[]): number | null {
  const c = cell(row, names);
  if (!c || c[1] === null) return null;
  // Some serialisers write whole numbers as 5.0.
  const m = /^(-?\d{1,9})(?:\.0+)?$/.exec(c[1]);
  if (!m) throw new ColumnProblem(`column ${c[0]}: "${excerpt(c[1], 40)}" is not a whole number`);
  return Number(m[1]);
}

function flagColumn(row: Row, names: readonly string[]): boolean {
  const c = cell(row, names);
  if (!c || c[1] === null) return false;
  const v = c[1].toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes' || v === '-1') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new ColumnProblem(`column ${c[0]}: "${excerpt(c[1], 40)}" is not true/false`);
}

function textColumn(row: Row, names: readonly string[], max = 500): string | null {
  const v = cell(row, names)?.[1] ?? null;
  return v === null ? null : v.slice(0, max);
}

function readRow(row: Row, position: number): QlmListedLicense | QlmRejectedRow {
  const key = textColumn(row, COLUMNS.key, 600);
  if (key === null) return { row: position, key: null, message: `row ${position} has no activation key (columns: ${[...row.keys()].slice(0, 12).join(', ') || 'none'}); it was not imported` };
  if (key.length > 512 || /[\s\u0000-\u001f\u007f]/.test(key)) return { row: position, key: null, message: `row ${position}: the activation key "${excerpt(key, 40)}" has spaces or is too long; it was not imported` };
  try {
    return {
      row: position,
      activationKey: key,
      productId: intColumn(row, COLUMNS.productId),
      productName: textColumn(row, COLUMNS.productName, 150),
      majorVersion: intColumn(row, COLUMNS.major),
      minorVersion: intColumn(row, COLUMNS.minor),
      licenseModel: textColumn(row, COLUMNS.model, 60),
      expiresAt: dateColumn(row, COLUMNS.expiry),
      maintenanceExpiresAt: dateColumn(row, COLUMNS.maintenance),
      seats: intColumn(row, COLUMNS.seats),
      revoked: flagColumn(row, COLUMNS.revoked),
      company: textColumn(row, COLUMNS.company, 200),
      email: textColumn(row, COLUMNS.email, 200),
      fullName: textColumn(row, COLUMNS.fullName, 200),
      features: textColumn(row, COLUMNS.features, 1000),
    };
  } catch (e) {
    if (!(e instanceof ColumnProblem)) throw e;
    return { row: position, key, message: `row ${position} (key ${key}): ${e.message}; it was not imported` };
  }
}

/**
 * THE adapter: one GetLicensesHttp answer (already known to be 2xx or an error document) to
 * licenses and rejected rows. `offset` numbers the rows across pages. Throws BAD_RESPONSE for
 * anything that is not a list of licenses, and the server's error (DENIED for a disabled
 * method, AUTH, …) when the answer is one.
 */
export function readLicenseListing(text: string, opts: { where: string; offset?: number; clean?: (s: string) => string }): QlmLicensePage {
  const clean = opts.clean ?? ((s: string) => s);
  const rows = rowsOf(text, opts.where, clean);
  const licenses: QlmListedLicense[] = [];
  const rejected: QlmRejectedRow[] = [];
  rows.forEach((row, i) => {
    const read = readRow(row, (opts.offset ?? 0) + i + 1);
    if ('activationKey' in read) licenses.push(read);
    else rejected.push(read);
  });
  return { licenses, rejected, rowCount: rows.length };
}

// ---------------------------------------------------------------------------------------------
// The exchange

/** A GetLicensesHttp answer read: the page, or the error the server said in the requested format, else the status. */
export function readListingAnswer(res: HttpResponse, http: VendorHttp, offset: number): QlmLicensePage {
  const read = { where: http.label, offset, clean: http.redact };
  const text = http.text(res);
  if (res.status < 200 || res.status > 299) {
    // An error in the requested format (XML or JSON) speaks for itself; anything else, the status.
    try {
      readLicenseListing(text, read);
    } catch (e) {
      if (e instanceof KeyfleetError && e.code !== 'BAD_RESPONSE') throw e;
    }
    throw http.statusError(
      res,
      LIST_METHOD,
      {
        wrongUrl: () => `${http.label} answered 404 Not Found for ${LIST_METHOD}: this License Server has no ${LIST_METHOD} (it needs a recent QLM), or the server URL is wrong`,
        auth: `${http.label} refused access to ${LIST_METHOD} (HTTP 401)`,
        denied: `${http.label} forbids ${LIST_METHOD} (HTTP 403)`,
      },
      { method: LIST_METHOD },
    );
  }
  return readLicenseListing(text, read);
}

/**
 * Pages through a listing until a short page (a server that caps pages below the size asked for
 * would end the listing early; none is known to). Yields each page as it arrives.
 */
export async function* listAllLicenses(
  listPage: (req: QlmListRequest) => Promise<QlmLicensePage>,
  req: Omit<QlmListRequest, 'offset'>,
): AsyncGenerator<QlmLicensePage & { offset: number }> {
  const batchSize = req.batchSize ?? DEFAULT_LIST_BATCH_SIZE;
  const seen = new Set<string>();
  for (let offset = 0; ; offset += batchSize) {
    const page = await listPage({ ...req, batchSize, offset });
    if (page.rowCount > batchSize) {
      // A server that ignores is_batchsize sent its whole list at once: complete, so taken as is.
      if (offset === 0) {
        yield { ...page, offset };
        return;
      }
      throw new KeyfleetError('BAD_RESPONSE', `the License Server sent ${page.rowCount} licenses for a page of ${batchSize} at offset ${offset}: it pages inconsistently, so Keyfleet cannot page through it safely`);
    }
    const fresh = page.licenses.filter((l) => !seen.has(l.activationKey));
    if (offset > 0 && page.licenses.length > 0 && fresh.length === 0) {
      throw new KeyfleetError('BAD_RESPONSE', `the License Server sent the same licenses again for offset ${offset}: it ignores is_offset, so Keyfleet cannot page through it safely`);
    }
    for (const l of fresh) seen.add(l.activationKey);
    yield { ...page, licenses: fresh, offset };
    if (page.rowCount < batchSize) return;
  }
}
