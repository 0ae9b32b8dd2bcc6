// Long by design: one simulated server; every License Server method shares the flavour's routing, the credentials check, the key store and the recorded requests.
import crypto from 'node:crypto';
import type http from 'node:http';
import { sendText, startHttpServer, type RunningServer } from '../../helpers/servers.ts';

/**
 * A Soraco QLM License Server over real HTTP: the ASMX flavor (v19 and older,
 * `/qlm/qlmservice.asmx/<Method>`) or the v20 ASP.NET Core flavor
 * (`/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi/<Method>`). Query strings are decoded the
 * way ASP.NET decodes them (a raw `+` becomes a space), answers are `<QuickLicenseManager>`
 * XML, failures are `<error>` bodies with the documented codes.
 */

export type QlmSimFlavor = 'asmx' | 'v20';

/**
 * normal: answer; lose-create-answer: create and record the keys, then drop the connection;
 * truncate-create-answer: create, then send half the XML and end; html: every answer is an
 * HTML page (status 200); hang: never answer.
 */
export type QlmSimMode = 'normal' | 'lose-create-answer' | 'truncate-create-answer' | 'html' | 'hang';

/** How the error code appears in an `<error>` (the real form is undocumented). */
export type QlmSimErrorStyle = 'prefix' | 'dash' | 'attribute' | 'element' | 'text';

export interface QlmSimOptions {
  flavor: QlmSimFlavor;
  vendor: string;
  user: string;
  password: string;
  /** Methods switched off in Server Properties (answer error 7). */
  disabled?: string[];
  /** Prefix bodies with a UTF-8 BOM. */
  bom?: boolean;
  /** Start bodies with `<?xml version="1.0" encoding="utf-8"?>` (default true). */
  prolog?: boolean;
  /** Default 'prefix': `<error>Error 8: …</error>`. */
  errorStyle?: QlmSimErrorStyle;
  /** How is_expdate is read (web.config dateFormat): yyyy-MM-dd (default), MM/dd/yyyy or dd/MM/yyyy. */
  dateFormat?: 'yyyy-MM-dd' | 'MM/dd/yyyy' | 'dd/MM/yyyy';
  /** Answer creations with a bare `<result>KEY</result>` like older servers. */
  legacyCreateAnswer?: boolean;
  serverVersion?: string;
  /** Product names by product id. */
  products?: Record<number, string>;
  /** GetLicensesHttp without is_format answers in this format (default xml). */
  listDefaultFormat?: QlmListFormat;
  /** How GetLicensesHttp lays out its rows (see QlmListStyle). */
  listStyle?: QlmListStyle;
  /** Milliseconds each GetLicensesHttp page waits before answering (a slow server). */
  listDelayMs?: number;
  now?: () => Date;
}

export type QlmListFormat = 'xml' | 'json';

/**
 * GetLicensesHttp's answer is undocumented beyond "the list of licenses in the requested format":
 * dataset: XML `<NewDataSet><Table>…` (a .NET DataSet) and a bare JSON array of rows;
 * qlm: XML `<QuickLicenseManager><licenses><license>…` and JSON `{"licenses":[…]}`.
 */
export type QlmListStyle = 'dataset' | 'qlm';

/** What can change on the server behind Keyfleet's back. */
export interface QlmSimAlteration {
  expiresAt?: Date | null;
  revoked?: boolean;
  quantity?: number;
  maintenanceRenewal?: Date | null;
  userCompany?: string;
  userEmail?: string;
  listColumns?: Record<string, string | null>;
}

export interface QlmSimProperty {
  value: string;
  expires?: string;
}

export interface QlmSimLicense {
  key: string;
  /** Keys made by the same request share an order id. */
  orderId: number;
  productId: number;
  majorVersion: number;
  minorVersion: number;
  expiresAt: Date | null;
  licenseModel: string;
  features: string;
  quantity: number;
  oneKeyForAllSeats: boolean;
  activationsAllowed: number;
  additionalActivations: number;
  floating: boolean;
  floatingSeats: number;
  maintenancePlan: boolean;
  maintenanceRenewal: Date | null;
  affiliateId: string | null;
  computerType: number;
  qlmVersion: string | null;
  userData1: string | null;
  userCompany: string;
  userEmail: string;
  userFullName?: string;
  /** GetLicensesHttp columns written as given (null: left out), e.g. a date the server mangled. */
  listColumns?: Record<string, string | null>;
  revoked: boolean;
  properties: Map<string, QlmSimProperty>;
}

export interface QlmSimRequest {
  method: string;
  path: string;
  /** The query exactly as it arrived, still percent-encoded. */
  rawQuery: string;
  /** Decoded the ASP.NET way. */
  query: Record<string, string>;
}

export interface QlmSimulator {
  baseUrl: string;
  state: { licenses: Map<string, QlmSimLicense>; requests: QlmSimRequest[] };
  setMode(mode: QlmSimMode): void;
  setFraming(framing: { bom?: boolean; prolog?: boolean }): void;
  setErrorStyle(style: QlmSimErrorStyle): void;
  /** Switch methods off (error 7) or back on, as toggling Server Properties would. */
  setDisabled(methods: string[]): void;
  /** The next call of method answers `<error>` with this code and text. */
  failNext(method: string, code: number, text: string): void;
  /** Adds `count` licenses as if made in the QLM console; `make(i)` sets each one's fields. Returns their keys in order. */
  seedLicenses(count: number, make?: (i: number) => Partial<QlmSimLicense>): string[];
  /** Changes a license on the server without Keyfleet knowing (for reconciliation). */
  alter(key: string, change: QlmSimAlteration): void;
  setListStyle(style: QlmListStyle): void;
  close(): Promise<void>;
}

const BASE_PATH: Record<QlmSimFlavor, string> = {
  asmx: '/qlm/qlmservice.asmx',
  v20: '/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi',
};

const ENABLE_GATED = ['GetActivationKeyWithExpiryDate', 'UpdateLicenseHttp', 'RenewSubscriptionHttp', 'RevokeLicenseHttp', 'ValidateLicenseHttp', 'GetLicensesHttp'];

const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** QLM's key shape: five groups of five and one of six, e.g. FGGH0-S0K00-71B18-S868R-1F1J2-UQKPUN. */
function newKey(): string {
  const group = (n: number) => Array.from(crypto.randomBytes(n), (b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('');
  return [group(5), group(5), group(5), group(5), group(5), group(6)].join('-');
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function el(name: string, value: string | number | null): string {
  return `<${name}>${xmlEscape(value === null ? '' : String(value))}</${name}>`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2024-09-02 23:59`, as QLM shows expiry dates. */
function qlmDateTime(d: Date | null): string {
  if (!d) return '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function endOfDayUtc(y: number, m: number, d: number): Date | null {
  const t = new Date(Date.UTC(y, m - 1, d, 23, 59, 0));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t : null;
}

function parseDate(text: string, format: string): Date | null {
  const re = format === 'yyyy-MM-dd' ? /^(\d{4})-(\d{2})-(\d{2})$/ : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
  const m = re.exec(text.trim());
  if (!m) return null;
  if (format === 'yyyy-MM-dd') return endOfDayUtc(Number(m[1]), Number(m[2]), Number(m[3]));
  if (format === 'MM/dd/yyyy') return endOfDayUtc(Number(m[3]), Number(m[1]), Number(m[2]));
  return endOfDayUtc(Number(m[3]), Number(m[2]), Number(m[1]));
}

function addDays(from: Date, days: number): Date {
  const t = new Date(from.getTime() + days * 86_400_000);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), 23, 59, 0));
}

class QlmFailure extends Error {
  readonly qlmCode: number | null;
  constructor(code: number | null, text: string) {
    super(text);
    this.qlmCode = code;
  }
}

export async function startQlmSimulator(opts: QlmSimOptions): Promise<QlmSimulator> {
  const state = { licenses: new Map<string, QlmSimLicense>(), requests: [] as QlmSimRequest[] };
  const now = opts.now ?? (() => new Date());
  const dateFormat = opts.dateFormat ?? 'yyyy-MM-dd';
  const disabled = new Set(opts.disabled ?? []);
  const queuedFailures: Array<{ method: string; code: number; text: string }> = [];
  let mode: QlmSimMode = 'normal';
  let bom = opts.bom ?? false;
  let prolog = opts.prolog ?? true;
  let errorStyle: QlmSimErrorStyle = opts.errorStyle ?? 'prefix';
  let nextOrder = 1;
  const basePath = BASE_PATH[opts.flavor];
  let listStyle: QlmListStyle = opts.listStyle ?? 'dataset';

  const envelope = (inner: string) =>
    `${bom ? '\uFEFF' : ''}${prolog ? '<?xml version="1.0" encoding="utf-8"?>\r\n' : ''}<QuickLicenseManager>${inner}</QuickLicenseManager>`;

  const errorXml = (code: number | null, text: string): string => {
    if (code === null) return `<error>${xmlEscape(text)}</error>`;
    switch (errorStyle) {
      case 'prefix':
        return `<error>Error ${code}: ${xmlEscape(text)}</error>`;
      case 'dash':
        return `<error>${code} - ${xmlEscape(text)}</error>`;
      case 'attribute':
        return `<error code="${code}">${xmlEscape(text)}</error>`;
      case 'element':
        return `<errorCode>${code}</errorCode><error>${xmlEscape(text)}</error>`;
      default:
        return `<error>${xmlEscape(text)}</error>`;
    }
  };

  const required = (q: Record<string, string>, name: string): string => {
    const v = q[name];
    if (v === undefined || v === '') throw new QlmFailure(208, `Missing argument: ${name}`);
    return v;
  };

  const integer = (q: Record<string, string>, name: string): number | undefined => {
    const v = q[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new QlmFailure(null, `Invalid value for ${name}: '${v}'`);
    return Number(v);
  };

  const expiryFrom = (q: Record<string, string>, current: Date | null): Date | null | undefined => {
    if (q['is_expdate'] !== undefined) {
      const d = parseDate(q['is_expdate'], dateFormat);
      if (!d) throw new QlmFailure(null, `Invalid expiry date '${q['is_expdate']}'. Expected format: ${dateFormat}`);
      return d;
    }
    const days = integer(q, 'is_expduration');
    if (days === undefined) return undefined;
    const from = current && current > now() ? current : now();
    return addDays(from, days);
  };

  const license = (q: Record<string, string>): QlmSimLicense => {
    const key = required(q, 'is_avkey');
    const found = state.licenses.get(key);
    if (!found) throw new QlmFailure(203, `License key not found: ${key}`);
    return found;
  };

  const applyProperties = (lic: QlmSimLicense, pp: string) => {
    for (const item of pp.split('||')) {
      if (!item) continue;
      const [id = '', value = '', expires] = item.split('::');
      if (!/^[^.]+\.[^.]+$/.test(id)) throw new QlmFailure(null, `Invalid product property '${id}'`);
      const rel = /^([+-])(\d+)$/.exec(value);
      let next = value;
      if (rel) {
        const current = lic.properties.get(id)?.value ?? '0';
        if (!/^-?\d+$/.test(current)) throw new QlmFailure(null, `Product property ${id} is not an integer; cannot apply ${value}`);
        next = String(Number(current) + (rel[1] === '-' ? -1 : 1) * Number(rel[2]));
      }
      lic.properties.set(id, expires ? { value: next, expires } : { value: next });
    }
  };

  const statusOf = (lic: QlmSimLicense): number => {
    let status = lic.licenseModel.startsWith('permanent') ? 2 : 4;
    if (lic.expiresAt && lic.expiresAt < now()) status |= 64;
    if (lic.revoked) status |= 2048;
    return status;
  };

  const methods: Record<string, (q: Record<string, string>) => string> = {
    PingHttp: () =>
      el('result', 'Successfully connected to the License Server.') +
      el('serverDate', now().toISOString().replace(/\.\d{3}Z$/, 'Z')) +
      el('serverVersion', opts.serverVersion ?? (opts.flavor === 'v20' ? '20.0.24010.1' : '17.0.23100.1')),

    GetActivationKeyWithExpiryDate: (q) => {
      const productId = integer(q, 'is_productid') ?? Number(required(q, 'is_productid'));
      const majorVersion = integer(q, 'is_majorversion') ?? Number(required(q, 'is_majorversion'));
      const minorVersion = integer(q, 'is_minorversion') ?? Number(required(q, 'is_minorversion'));
      const expiresAt = expiryFrom(q, null);
      if (expiresAt === undefined) throw new QlmFailure(208, 'Missing argument: is_expduration or is_expdate');
      const quantity = integer(q, 'is_quantity') ?? 1;
      const oneKey = (q['is_usemultipleactivationskey'] ?? 'true').toLowerCase() !== 'false';
      const perKey = integer(q, 'is_numberofactivationsperkey');
      const additional = integer(q, 'is_additionalactivations') ?? 0;
      const floating = (q['is_floating'] ?? '').toLowerCase() === 'true';
      const maintenancePlan = q['is_maintenance_plan'] === '1';
      const maintDays = integer(q, 'is_maintduration') ?? 365;
      const computerType = integer(q, 'is_computertype') ?? 0;
      if (computerType > 2) throw new QlmFailure(null, `Invalid value for is_computertype: '${computerType}'`);
      const order = nextOrder++;
      const keys: string[] = [];
      for (let i = 0; i < (oneKey ? 1 : quantity); i++) {
        const key = newKey();
        keys.push(key);
        state.licenses.set(key, {
          key,
          orderId: order,
          productId,
          majorVersion,
          minorVersion,
          expiresAt,
          licenseModel: q['is_licensemodel'] ?? 'subscription',
          features: q['is_features'] ?? '',
          quantity,
          oneKeyForAllSeats: oneKey,
          activationsAllowed: oneKey ? quantity + additional : (perKey ?? 1),
          additionalActivations: additional,
          floating,
          floatingSeats: floating ? quantity : 0,
          maintenancePlan,
          maintenanceRenewal: maintenancePlan ? addDays(now(), maintDays) : null,
          affiliateId: q['is_affiliateid'] ?? null,
          computerType,
          qlmVersion: q['is_qlmversion'] ?? null,
          userData1: q['is_userdata1'] ?? null,
          userCompany: '',
          userEmail: '',
          revoked: false,
          properties: new Map(),
        });
      }
      if (opts.legacyCreateAnswer) return el('result', keys.join(';'));
      return `<licenses>${keys.map((k) => `<license>${el('activationKey', k)}</license>`).join('')}</licenses>`;
    },

    UpdateLicenseHttp: (q) => {
      const lic = license(q);
      const productId = integer(q, 'is_productid');
      const majorVersion = integer(q, 'is_majorversion');
      const minorVersion = integer(q, 'is_minorversion');
      const quantity = integer(q, 'is_quantity');
      const expiresAt = expiryFrom(q, null);
      if (productId !== undefined) lic.productId = productId;
      if (majorVersion !== undefined) lic.majorVersion = majorVersion;
      if (minorVersion !== undefined) lic.minorVersion = minorVersion;
      if (quantity !== undefined) {
        lic.quantity = quantity;
        lic.activationsAllowed = quantity + lic.additionalActivations;
        if (lic.floating) lic.floatingSeats = quantity;
      }
      if (expiresAt !== undefined) lic.expiresAt = expiresAt;
      if (q['is_features'] !== undefined) lic.features = q['is_features'];
      if (q['is_licensemodel'] !== undefined) lic.licenseModel = q['is_licensemodel'];
      if (q['is_affiliateid'] !== undefined) lic.affiliateId = q['is_affiliateid'];
      if (q['is_userdata1'] !== undefined) lic.userData1 = q['is_userdata1'];
      if (q['is_revoke'] !== undefined) lic.revoked = q['is_revoke'].toLowerCase() === 'true';
      if (q['is_pp'] !== undefined) applyProperties(lic, q['is_pp']);
      return el('result', 'License updated successfully.');
    },

    RenewSubscriptionHttp: (q) => {
      const lic = license(q);
      if (lic.revoked) throw new QlmFailure(201, 'The license key has been revoked.');
      const expiresAt = expiryFrom(q, lic.expiresAt);
      if (expiresAt === undefined) throw new QlmFailure(208, 'Missing argument: is_expduration or is_expdate');
      lic.expiresAt = expiresAt;
      if (q['is_pp'] !== undefined) applyProperties(lic, q['is_pp']);
      return el('result', `Subscription renewed until ${qlmDateTime(expiresAt)}.`);
    },

    RevokeLicenseHttp: (q) => {
      const lic = license(q);
      lic.revoked = (q['is_revoke'] ?? 'true').toLowerCase() !== 'false';
      return el('result', lic.revoked ? 'License revoked successfully.' : 'License reinstated successfully.');
    },

    ValidateLicenseHttp: (q) => {
      const lic = license(q);
      const status = statusOf(lic);
      return (
        el('activationKey', lic.key) +
        el('computerKey', '') +
        el('productID', lic.productId) +
        el('productName', opts.products?.[lic.productId] ?? `Product ${lic.productId}`) +
        el('majorVersion', lic.majorVersion) +
        el('minorVersion', lic.minorVersion) +
        el('licenseModel', lic.licenseModel) +
        el('expiryDate', qlmDateTime(lic.expiresAt)) +
        el('maintenanceRenewalDate', qlmDateTime(lic.maintenanceRenewal)) +
        el('status', status) +
        el('features', lic.features) +
        el('numActivationsAllowed', lic.activationsAllowed) +
        el('availableLicenses', lic.activationsAllowed) +
        el('floatingSeats', lic.floatingSeats) +
        el('userCompany', lic.userCompany) +
        el('userEmail', lic.userEmail) +
        el('result', lic.revoked ? 'The license key has been revoked.' : 'The license is valid.') +
        el('serverDate', now().toISOString().replace(/\.\d{3}Z$/, 'Z')) +
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315" />' +
        '<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1" /><Reference URI=""><DigestValue>ZHVtbXk=</DigestValue></Reference></SignedInfo>' +
        '<SignatureValue>ZHVtbXktc2lnbmF0dXJl</SignatureValue></Signature>'
      );
    },
  };

  /** `Column=N`, `Column='text'` joined by AND, as SQL Server compares them (text without regard to case). */
  const LIST_FILTER_COLUMNS: Record<string, (l: QlmSimLicense) => string | number | boolean> = {
    productid: (l) => l.productId,
    majorversion: (l) => l.majorVersion,
    minorversion: (l) => l.minorVersion,
    company: (l) => l.userCompany,
    email: (l) => l.userEmail,
    licensemodel: (l) => l.licenseModel,
    revoked: (l) => l.revoked,
  };
  const listFilter = (expr: string | undefined): ((l: QlmSimLicense) => boolean) => {
    if (expr === undefined || expr.trim() === '') return () => true;
    const tests = expr.split(/\s+AND\s+/i).map((part) => {
      const m = /^\s*\[?(\w+)\]?\s*=\s*(?:'((?:[^']|'')*)'|(-?\d+)|(true|false))\s*$/i.exec(part);
      if (!m) throw new QlmFailure(null, `Incorrect syntax near '${part.trim()}'.`);
      const column = LIST_FILTER_COLUMNS[m[1]!.toLowerCase()];
      if (!column) throw new QlmFailure(null, `Invalid column name '${m[1]}'.`);
      const text = m[2]?.replace(/''/g, "'");
      return (l: QlmSimLicense) => {
        const v = column(l);
        if (typeof v === 'boolean') return String(v) === (m[4] ?? (m[3] === '1' ? 'true' : 'false')).toLowerCase();
        if (text !== undefined) return String(v).toLowerCase() === text.toLowerCase();
        return String(v) === m[3];
      };
    });
    return (l) => tests.every((t) => t(l));
  };

  /** The qryLicenseInfo columns of one license. */
  const listRow = (l: QlmSimLicense) => ({
    ActivationKey: l.key,
    ProductID: l.productId,
    ProductName: opts.products?.[l.productId] ?? `Product ${l.productId}`,
    MajorVersion: l.majorVersion,
    MinorVersion: l.minorVersion,
    LicenseModel: l.licenseModel,
    ExpiryDate: l.expiresAt,
    MaintenancePlanExpiryDate: l.maintenanceRenewal,
    NumLicenses: l.quantity,
    Revoked: l.revoked,
    Company: l.userCompany || null,
    Email: l.userEmail || null,
    FullName: l.userFullName ?? null,
    Features: l.features || null,
    OrderID: l.orderId,
    ...l.listColumns,
  });

  const answerListing = (query: Record<string, string>, res: http.ServerResponse) => {
    const format = (query['is_format'] ?? opts.listDefaultFormat ?? 'xml').toLowerCase() === 'json' ? 'json' : 'xml';
    const fail = (code: number | null, text: string) => {
      if (format === 'json') {
        // INFERRED shape: an object naming the error, sent as application/json with a 4xx status.
        const body = JSON.stringify({ error: { code, message: text } });
        return sendText(res, code === 8 ? 401 : 400, body, 'application/json; charset=utf-8');
      }
      return sendText(res, 200, envelope(errorXml(code, text)), 'text/xml; charset=utf-8');
    };
    if (disabled.has('GetLicensesHttp')) return fail(7, 'GetLicensesHttp is disabled on this server. Set the server property enableGetLicensesHttp to true.');
    if (query['is_vendor'] !== opts.vendor || query['is_user'] !== opts.user || query['is_pwd'] !== opts.password) {
      return fail(8, 'Authentication failed. Invalid vendor, user or password.');
    }
    let rows: QlmSimLicense[];
    try {
      rows = [...state.licenses.values()].filter(listFilter(query['is_filter']));
    } catch (e) {
      if (!(e instanceof QlmFailure)) throw e;
      return fail(e.qlmCode, e.message);
    }
    const batch = Number(query['is_batchsize'] ?? '-1');
    const offset = Number(query['is_offset'] ?? '0');
    if (!Number.isInteger(batch) || !Number.isInteger(offset) || offset < 0) return fail(null, 'Invalid is_batchsize or is_offset.');
    const page = rows.slice(offset, batch > 0 ? offset + batch : undefined).map(listRow);
    if (format === 'json') {
      // ASP.NET Core's serializer: ISO dates without a zone, nulls kept.
      const json = page.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 19) : v])));
      return sendText(res, 200, JSON.stringify(listStyle === 'qlm' ? { licenses: json } : json), 'application/json; charset=utf-8');
    }
    const cells = (r: ReturnType<typeof listRow>, date: (d: Date) => string) =>
      Object.entries(r)
        .map(([k, v]) => (v === null ? '' : el(k, v instanceof Date ? date(v) : typeof v === 'boolean' ? String(v) : v)))
        .join('');
    if (listStyle === 'qlm') {
      return sendText(res, 200, envelope(`<licenses>${page.map((r) => `<license>${cells(r, qlmDateTime)}</license>`).join('')}</licenses>`), 'text/xml; charset=utf-8');
    }
    // A DataSet's WriteXml: dates with their offset, empty values left out.
    const dataset = `<NewDataSet>${page.map((r) => `<Table>${cells(r, (d) => `${d.toISOString().slice(0, 19)}+00:00`)}</Table>`).join('')}</NewDataSet>`;
    return sendText(res, 200, `${bom ? '\uFEFF' : ''}${prolog ? '<?xml version="1.0" standalone="yes"?>\r\n' : ''}${dataset}`, 'text/xml; charset=utf-8');
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const rawQuery = q >= 0 ? url.slice(q + 1) : '';
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawQuery)) if (!(k in query)) query[k] = v;
    const prefix = `${basePath.toLowerCase()}/`;
    const method = path.toLowerCase().startsWith(prefix) ? path.slice(prefix.length) : '';
    state.requests.push({ method, path, rawQuery, query });

    if (mode === 'hang') return;
    if (mode === 'html') {
      return sendText(
        res,
        200,
        '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Please sign in</h1><p>Corporate proxy</p></body></html>',
        'text/html; charset=utf-8',
      );
    }
    if (method === 'GetLicensesHttp' && req.method === 'GET') {
      if (opts.listDelayMs) setTimeout(() => answerListing(query, res), opts.listDelayMs);
      else answerListing(query, res);
      return;
    }
    const run = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (req.method !== 'GET' || !run) {
      return sendText(res, 404, '<!DOCTYPE html><html><body><h2>404 - File or directory not found.</h2></body></html>', 'text/html; charset=utf-8');
    }
    let inner: string;
    try {
      const failure = queuedFailures.findIndex((f) => f.method === method);
      if (failure >= 0) {
        const f = queuedFailures.splice(failure, 1)[0]!;
        throw new QlmFailure(f.code, f.text);
      }
      if (ENABLE_GATED.includes(method) && disabled.has(method)) {
        throw new QlmFailure(7, 'This operation is disabled on the License Server.');
      }
      if (method !== 'PingHttp') {
        if (query['is_vendor'] !== opts.vendor || query['is_user'] !== opts.user || query['is_pwd'] !== opts.password) {
          throw new QlmFailure(8, 'Authentication failed. Invalid vendor, user or password.');
        }
      }
      inner = run(query);
    } catch (e) {
      if (!(e instanceof QlmFailure)) throw e;
      inner = errorXml(e.qlmCode, e.message);
    }
    const body = envelope(inner);
    const isCreate = method === 'GetActivationKeyWithExpiryDate' && !inner.startsWith('<error') && !inner.startsWith('<errorCode');
    if (isCreate && mode === 'lose-create-answer') {
      req.socket.destroy();
      return;
    }
    if (isCreate && mode === 'truncate-create-answer') {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    sendText(res, 200, body, 'text/xml; charset=utf-8');
  };

  const server: RunningServer = await startHttpServer(handler);
  return {
    baseUrl: `${server.url}${basePath}`,
    state,
    setMode: (m) => {
      mode = m;
    },
    setFraming: (f) => {
      if (f.bom !== undefined) bom = f.bom;
      if (f.prolog !== undefined) prolog = f.prolog;
    },
    setErrorStyle: (s) => {
      errorStyle = s;
    },
    setDisabled: (methods) => {
      disabled.clear();
      for (const m of methods) disabled.add(m);
    },
    failNext: (method, code, text) => {
      queuedFailures.push({ method, code, text });
    },
    seedLicenses: (count, make) => {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const key = newKey();
        keys.push(key);
        state.licenses.set(key, {
          key,
          orderId: nextOrder++,
          productId: 1,
          majorVersion: 5,
          minorVersion: 0,
          expiresAt: addDays(now(), 30 + (i % 700)),
          licenseModel: 'subscription',
          features: '',
          quantity: 1 + (i % 20),
          oneKeyForAllSeats: true,
          activationsAllowed: 1 + (i % 20),
          additionalActivations: 0,
          floating: false,
          floatingSeats: 0,
          maintenancePlan: false,
          maintenanceRenewal: null,
          affiliateId: null,
          computerType: 0,
          qlmVersion: null,
          userData1: null,
          userCompany: `Customer ${i}`,
          userEmail: `it@customer${i}.test`,
          revoked: false,
          properties: new Map(),
          ...make?.(i),
        });
      }
      return keys;
    },
    alter: (key, change) => {
      const lic = state.licenses.get(key);
      if (!lic) throw new Error(`no license ${key} on the simulator`);
      if (change.quantity !== undefined) {
        lic.quantity = change.quantity;
        lic.activationsAllowed = change.quantity + lic.additionalActivations;
      }
      const { quantity: _q, ...rest } = change;
      Object.assign(lic, rest);
    },
    setListStyle: (style) => {
      listStyle = style;
    },
    close: () => server.close(),
  };
}
