// Long by design: one wire client; every QLM License Server method shares the URL flavour, the credentials, the XML answer parsing and the error mapping.
import { KeyfleetError } from '../../errors.ts';
import { DEFAULT_MAX_BYTES, type HttpResponse, excerpt } from '../../net/http.ts';
import { VendorHttp } from '../../net/kit/vendor-http.ts';
import type { CallOptions, IsoInstant, VendorEndpoint } from '../types.ts';
import { DEFAULT_QLM_DATE_FORMAT, parseQlmDateTime, validateQlmDateFormat, type QlmDateTime } from './dates.ts';
import { qlmServerErrorToKeyfleet } from './errors.ts';
import { parseFeatures, validateFeatures, type QlmFeature } from './features.ts';
import { hasRelativeProperty, type QlmProductProperty } from './properties.ts';
import {
  checkActivationKey,
  createKeysParams,
  renewSubscriptionParams,
  updateLicenseParams,
  type QlmCreateRequest,
  type QlmExpiry,
  type QlmParams,
  type QlmUpdate,
} from './requests.ts';
import { QLM_STATUS_BITS, qlmStatusWords, type QlmStatusWord } from './status.ts';
import { buildQlmUrl, normalizeQlmBaseUrl, qlmUrlFlavor, type QlmUrlFlavor } from './url.ts';
import { MALFORMED_XML, childText, extractActivationKeys, parseQlmXml, readQlmError, type XmlNode } from './xml.ts';
import { LIST_METHOD, listLicensesParams, readListingAnswer, type QlmLicensePage, type QlmLicenseProduct, type QlmListRequest } from './listing.ts';

export { buildQlmUrl, normalizeQlmBaseUrl, qlmUrlFlavor, type QlmUrlFlavor } from './url.ts';
export { serializeFeatures, parseFeatures, featureBitsToList, type QlmFeature } from './features.ts';
export {
  buildProductProperties,
  parseProductProperties,
  type QlmProductProperty,
  type QlmPropertyValue,
  type ParsedQlmProductProperty,
} from './properties.ts';
export { qlmStatusWords, QLM_STATUS_BITS, type QlmStatusWord } from './status.ts';
export { formatQlmDate, parseQlmDateTime, type QlmDateTime } from './dates.ts';
export { QLM_ENABLE_PROPERTY, QLM_ERROR } from './errors.ts';
export {
  QLM_LICENSE_MODELS,
  type QlmCreateRequest,
  type QlmUpdate,
  type QlmExpiry,
  type QlmLicenseModel,
  type QlmComputerType,
} from './requests.ts';

export interface QlmClientOptions extends VendorEndpoint {
  /** is_vendor: one of the vendors the License Server supports. */
  vendor: string;
  /** The License Server's dateFormat (web.config) used for is_expdate; default yyyy-MM-dd. */
  dateFormat?: string;
  /** Clock for skew measurement (tests). */
  now?: () => number;
}

export interface QlmPing {
  message: string;
  serverDate: IsoInstant | null;
  serverVersion: string | null;
  /** Server clock minus local clock, measured at the middle of the exchange. */
  skewMs: number | null;
}

export interface QlmCreatedKeys {
  keys: string[];
  /** The server's answer (never contains is_pwd). */
  raw: string;
}

export interface QlmWriteResult {
  /** The server's `<result>` text, '' when it sent none. */
  message: string;
  raw: string;
}

export interface QlmLicenseInfo extends QlmLicenseProduct {
  maintenanceRenewalDate: QlmDateTime | null;
  status: number;
  statusWords: QlmStatusWord[];
  features: QlmFeature[];
  numActivationsAllowed: number | null;
  availableLicenses: number | null;
  floatingSeats: number | null;
  userCompany: string | null;
  userEmail: string | null;
  serverDate: IsoInstant | null;
  result: string | null;
  raw: string;
}

/** read: retried once on NETWORK/TIMEOUT; write: idempotent, not retried; unsafe: a lost answer is LOST_ANSWER. */
type CallKind = 'read' | 'write' | 'unsafe-write';

const DEFAULT_QLM_TIMEOUT_MS = 20_000;

/** What a lost answer may have left behind, per method. */
const LOST_CONSEQUENCE: Readonly<Record<string, string>> = {
  GetActivationKeyWithExpiryDate: 'keys may have been created on the server; check the server (Manage Keys) before trying again',
  UpdateLicenseHttp: 'the relative product property change may have been applied on the server; check the license on the server before trying again',
  RenewSubscriptionHttp: 'the subscription may have been renewed on the server; check the license on the server before trying again',
};

/**
 * Whether a failed exchange may have reached the License Server: the transport says whether
 * the request was written out; an unknown error is treated as "maybe processed".
 */
function requestMayHaveReachedServer(e: unknown): boolean {
  return !(e instanceof KeyfleetError && e.details?.requestSent === false);
}

function intOrNull(text: string | null): number | null {
  const t = text?.trim();
  return t && /^-?\d{1,15}$/.test(t) ? Number(t) : null;
}

function textOrNull(text: string | null): string | null {
  const t = text?.trim();
  return t ? t : null;
}

/** status is a number; some servers may write the enum names ("Permanent, Demo"). */
function readStatus(text: string | null, what: string, clean: (s: string) => string): number {
  const t = text?.trim() ?? '';
  if (/^\d{1,6}$/.test(t)) return Number(t);
  const words = t.split(/[\s,|]+/).filter(Boolean);
  if (words.length > 0) {
    let status = 0;
    for (const w of words) {
      const bit = QLM_STATUS_BITS.find(([, name]) => name.toLowerCase() === w.toLowerCase());
      if (bit) status |= bit[0];
      else if (w.toLowerCase() !== 'notfound') status = -1;
      if (status < 0) break;
    }
    if (status >= 0) return status;
  }
  throw new KeyfleetError('BAD_RESPONSE', `${what} answered ValidateLicenseHttp without a readable status (got "${excerpt(clean(t), 60)}")`);
}

/** A QLM License Server account (is_vendor, is_user, is_pwd). Protocol: docs/vendors/qlm.md. */
export class QlmClient {
  readonly baseUrl: string;
  readonly flavor: QlmUrlFlavor;
  readonly #endpoint: VendorEndpoint;
  readonly #http: VendorHttp;
  readonly #vendor: string;
  readonly #dateFormat: string;
  readonly #now: () => number;

  constructor(opts: QlmClientOptions) {
    if (typeof opts.vendor !== 'string' || opts.vendor.trim() === '') throw new KeyfleetError('BAD_INPUT', 'QLM vendor (is_vendor) must be a non-empty text');
    this.baseUrl = normalizeQlmBaseUrl(opts.baseUrl);
    this.flavor = qlmUrlFlavor(this.baseUrl);
    this.#dateFormat = opts.dateFormat ?? DEFAULT_QLM_DATE_FORMAT;
    validateQlmDateFormat(this.#dateFormat);
    this.#vendor = opts.vendor.trim();
    this.#now = opts.now ?? Date.now;
    this.#endpoint = { ...opts };
    this.#http = new VendorHttp({
      transport: opts.http,
      label: `QLM server ${this.baseUrl}`,
      timeoutMs: opts.timeoutMs ?? DEFAULT_QLM_TIMEOUT_MS,
      maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      pinSha256: opts.pinSha256,
      secrets: [opts.secret],
    });
  }

  /** Checks the URL (PingHttp takes no credentials) and measures clock skew. */
  async ping(opts: CallOptions = {}): Promise<QlmPing> {
    const { root, sentAt, receivedAt } = await this.#call('PingHttp', [], 'read', opts, false);
    const message = childText(root, 'result')?.trim() ?? '';
    const serverDate = parseQlmDateTime(childText(root, 'serverDate'))?.instant ?? null;
    if (!message && !serverDate) {
      throw new KeyfleetError('BAD_RESPONSE', `${this.baseUrl} answered PingHttp without a result or serverDate; is this a QLM License Server?`);
    }
    return {
      message,
      serverDate,
      serverVersion: textOrNull(childText(root, 'serverVersion')),
      skewMs: serverDate ? Date.parse(serverDate) - Math.round((sentAt + receivedAt) / 2) : null,
    };
  }

  /** Creates activation keys. Never retried: a lost answer is LOST_ANSWER (keys may exist). */
  async createKeys(req: QlmCreateRequest, opts: CallOptions = {}): Promise<QlmCreatedKeys> {
    const method = 'GetActivationKeyWithExpiryDate';
    const params = createKeysParams(req, this.#dateFormat);
    const { root, raw } = await this.#call(method, params, 'unsafe-write', opts);
    const keys = extractActivationKeys(root);
    if (keys.length === 0) throw this.#lostAnswer(method, params, `the answer carried no activation key: ${excerpt(raw)}`);
    return { keys, raw };
  }

  /** Changes a license in place. With relative product properties it is not idempotent. */
  async updateLicense(avkey: string, changes: QlmUpdate, opts: CallOptions = {}): Promise<QlmWriteResult> {
    const params: QlmParams = [['is_avkey', checkActivationKey(avkey)], ...updateLicenseParams(changes, this.#dateFormat)];
    const kind: CallKind = hasRelativeProperty(changes.productProperties) ? 'unsafe-write' : 'write';
    return this.#writeResult(await this.#call('UpdateLicenseHttp', params, kind, opts));
  }

  /** Renews a subscription. A renewal by days (or relative properties) is not idempotent. */
  async renewSubscription(avkey: string, expiry: QlmExpiry, productProperties?: QlmProductProperty[], opts: CallOptions = {}): Promise<QlmWriteResult> {
    const params: QlmParams = [['is_avkey', checkActivationKey(avkey)], ...renewSubscriptionParams(expiry, productProperties, this.#dateFormat)];
    const kind: CallKind = params.some(([k]) => k === 'is_expduration') || hasRelativeProperty(productProperties) ? 'unsafe-write' : 'write';
    return this.#writeResult(await this.#call('RenewSubscriptionHttp', params, kind, opts));
  }

  /** Revokes (true) or reinstates (false) a license. */
  async revokeLicense(avkey: string, revoke: boolean, opts: CallOptions = {}): Promise<QlmWriteResult> {
    if (typeof revoke !== 'boolean') throw new KeyfleetError('BAD_INPUT', 'revoke must be true or false');
    const params: QlmParams = [['is_avkey', checkActivationKey(avkey)], ['is_revoke', revoke ? 'true' : 'false']];
    return this.#writeResult(await this.#call('RevokeLicenseHttp', params, 'write', opts));
  }

  /** Reads a license without activating it (is_activate=false). */
  async validateLicense(avkey: string, opts: CallOptions = {}): Promise<QlmLicenseInfo> {
    const key = checkActivationKey(avkey);
    const { root, raw } = await this.#call('ValidateLicenseHttp', [['is_avkey', key], ['is_activate', 'false']], 'read', opts);
    const status = readStatus(childText(root, 'status'), this.baseUrl, (s) => this.#http.redact(s));
    let features: QlmFeature[];
    try {
      features = parseFeatures(childText(root, 'features') ?? '');
      // Masks are 32-bit and each set appears once: anything else cannot be stored or sent back.
      if (features.length > 0) validateFeatures(features, 'features');
    } catch (e) {
      throw new KeyfleetError('BAD_RESPONSE', `${this.baseUrl} answered ValidateLicenseHttp with unusable features: ${this.#http.redact((e as Error).message)}`);
    }
    return {
      activationKey: textOrNull(childText(root, 'activationKey')) ?? key,
      productId: intOrNull(childText(root, 'productID')),
      productName: textOrNull(childText(root, 'productName')),
      majorVersion: intOrNull(childText(root, 'majorVersion')),
      minorVersion: intOrNull(childText(root, 'minorVersion')),
      licenseModel: textOrNull(childText(root, 'licenseModel')),
      expiresAt: parseQlmDateTime(childText(root, 'expiryDate')),
      maintenanceRenewalDate: parseQlmDateTime(childText(root, 'maintenanceRenewalDate')),
      status,
      statusWords: qlmStatusWords(status),
      features,
      numActivationsAllowed: intOrNull(childText(root, 'numActivationsAllowed')),
      availableLicenses: intOrNull(childText(root, 'availableLicenses')),
      floatingSeats: intOrNull(childText(root, 'floatingSeats')),
      userCompany: textOrNull(childText(root, 'userCompany')),
      userEmail: textOrNull(childText(root, 'userEmail')),
      serverDate: parseQlmDateTime(childText(root, 'serverDate'))?.instant ?? null,
      result: textOrNull(childText(root, 'result')),
      raw,
    };
  }

  /** One page of GetLicensesHttp (listing.ts builds the request and reads the answer). */
  async listLicenses(req: QlmListRequest, opts: CallOptions = {}): Promise<QlmLicensePage> {
    try {
      const { sentAt: _sent, receivedAt: _received, ...page } = await this.#exchange(LIST_METHOD, listLicensesParams(req), 'read', opts, true, (res) =>
        readListingAnswer(res, this.#http, req.offset ?? 0),
      );
      return page;
    } catch (e) {
      if (e instanceof KeyfleetError && e.code === 'BODY_TOO_LARGE') {
        throw new KeyfleetError('BODY_TOO_LARGE', `${e.message} for one page of ${LIST_METHOD}; ask for smaller pages (a lower batch size)`, e.details);
      }
      throw e;
    }
  }

  /** The request URL for journaling, with is_pwd shown as ***. */
  describeRequest(method: string, params: QlmParams | Record<string, string> = []): string {
    const list: QlmParams = Array.isArray(params) ? params : Object.entries(params);
    const withAuth = this.#withAuth(list.filter(([k]) => k !== 'is_pwd' && k !== 'is_user' && k !== 'is_vendor'), true);
    const masked = withAuth.map(([k, v]): [string, string] => [k, k === 'is_pwd' ? '***' : v]);
    return buildQlmUrl(this.baseUrl, method, masked);
  }

  #withAuth(params: QlmParams, auth: boolean): QlmParams {
    if (!auth) return params;
    const out: QlmParams = [...params, ['is_vendor', this.#vendor]];
    if (this.#endpoint.user !== undefined && this.#endpoint.user !== '') out.push(['is_user', this.#endpoint.user]);
    if (this.#endpoint.secret !== undefined && this.#endpoint.secret !== '') out.push(['is_pwd', this.#endpoint.secret]);
    return out;
  }

  #writeResult(answer: { root: XmlNode; raw: string }): QlmWriteResult {
    return { message: childText(answer.root, 'result')?.trim() ?? '', raw: answer.raw };
  }

  async #call(
    method: string,
    params: QlmParams,
    kind: CallKind,
    opts: CallOptions,
    auth = true,
  ): Promise<{ root: XmlNode; raw: string; sentAt: number; receivedAt: number }> {
    return this.#exchange(method, params, kind, opts, auth, (res) => this.#interpret(method, res));
  }

  /** One request to the server (reads retried once on a lost connection), its answer read by `read`. */
  async #exchange<T extends object>(
    method: string,
    params: QlmParams,
    kind: CallKind,
    opts: CallOptions,
    auth: boolean,
    read: (res: HttpResponse) => T,
  ): Promise<T & { sentAt: number; receivedAt: number }> {
    if (opts.signal?.aborted) throw new KeyfleetError('CANCELLED', `QLM ${method} cancelled before it was sent`);
    const url = buildQlmUrl(this.baseUrl, method, this.#withAuth(params, auth));
    const attempts = kind === 'read' ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      const sentAt = this.#now();
      let res: HttpResponse;
      try {
        res = await this.#http.send({ method: 'GET', url, idempotent: kind === 'read', signal: opts.signal });
      } catch (e) {
        const retryable = e instanceof KeyfleetError && (e.code === 'NETWORK' || e.code === 'TIMEOUT');
        if (retryable && attempt < attempts && !opts.signal?.aborted) continue;
        if (kind === 'unsafe-write' && requestMayHaveReachedServer(e)) throw this.#lostAnswer(method, params, (e as Error).message);
        throw e;
      }
      const receivedAt = this.#now();
      try {
        return { ...read(res), sentAt, receivedAt };
      } catch (e) {
        const malformed = e instanceof KeyfleetError && e.details?.['reason'] === MALFORMED_XML;
        // A server error page (not a QLM <error>) says nothing about whether keys were made.
        const crashed = e instanceof KeyfleetError && e.code === 'HTTP_STATUS' && typeof e.details?.['status'] === 'number' && (e.details['status'] as number) >= 500;
        if (kind === 'unsafe-write' && (malformed || crashed)) throw this.#lostAnswer(method, params, (e as Error).message);
        throw e;
      }
    }
  }

  /** HTTP status first, then the body: HTML, broken XML, a QLM `<error>`, or the answer. */
  #interpret(method: string, res: HttpResponse): { root: XmlNode; raw: string } {
    const where = `QLM server ${this.baseUrl}`;
    if (res.status < 200 || res.status > 299) {
      let serverError: KeyfleetError | null = null;
      try {
        const qlmError = readQlmError(parseQlmXml(this.#http.text(res), where));
        if (qlmError) serverError = qlmServerErrorToKeyfleet(method, { ...qlmError, text: this.#http.redact(qlmError.text) }, this.baseUrl);
      } catch {
        // Not a QLM error document; the status speaks for itself.
      }
      if (serverError) throw serverError;
      throw this.#http.statusError(
        res,
        method,
        {
          wrongUrl: () =>
            `${where} answered 404 Not Found for ${method}: the server URL is wrong (or this License Server has no ${method}). ` +
            'Enter the base only, ending in /qlmservice.asmx (v19 and older) or /api/v1/QlmApi (v20 and newer); Keyfleet appends the method (PingHttp tests it)',
          auth: `${where} refused access to ${method} (HTTP 401)`,
          denied: `${where} forbids ${method} (HTTP 403)`,
        },
        { method },
      );
    }
    let text: string;
    try {
      text = this.#http.text(res);
    } catch (e) {
      // An answer that cannot be decoded says nothing about what the server did: as unreadable as a cut one.
      throw new KeyfleetError('BAD_RESPONSE', (e as Error).message, { reason: MALFORMED_XML });
    }
    const root = parseQlmXml(text, where, (s) => this.#http.redact(s));
    const qlmError = readQlmError(root);
    if (qlmError) throw qlmServerErrorToKeyfleet(method, { ...qlmError, text: this.#http.redact(qlmError.text) }, this.baseUrl);
    return { root, raw: this.#http.redact(text) };
  }

  #lostAnswer(method: string, params: QlmParams, reason: string): KeyfleetError {
    const consequence = LOST_CONSEQUENCE[method] ?? 'the change may have been applied on the server; check the server before trying again';
    return new KeyfleetError(
      'LOST_ANSWER',
      `QLM ${method} at ${this.baseUrl}: the request was sent but its answer was lost (${reason}); ${consequence}. Do not simply repeat it.`,
      { method, request: this.describeRequest(method, params) },
    );
  }
}
