import { KeyfleetError } from '../../errors.ts';
import { type HttpResponse, excerpt } from '../../net/http.ts';
import { collectPages } from '../../net/kit/paging.ts';
import { VendorHttp } from '../../net/kit/vendor-http.ts';
import { parseVendorUrl } from '../../net/kit/vendor-url.ts';
import type { CallOptions, VendorEndpoint } from '../types.ts';
import { isEmailAddress } from '../../email.ts';
import { customerSchema, webitelErrorText, licensePageSchema, licenseUsersPageSchema, unwrapCustomer, type WebitelCustomer, type WebitelLicense, type WebitelLicenseUser } from './wire.ts';

/**
 * Webitel license API (docs/vendors/webitel.md): REST under `https://host/api`, token in
 * `X-Webitel-Access`, JSON with proto field names, int64 milliseconds as numbers or strings.
 */

export interface WebitelUsersQuery {
  q?: string;
  page?: number;
  size?: number;
}

export const WEBITEL_TIMEOUT_MS = 15_000;
/** Lists and the customer certificate (which carries every grant) can be large. */
export const WEBITEL_LIST_MAX_BYTES = 4 * 1024 * 1024;
const WEBITEL_SMALL_MAX_BYTES = 1024 * 1024;
const PAGE_SIZE = 100;
/** A server that keeps answering `next: true` is broken; stop instead of looping for ever. */
export const WEBITEL_MAX_PAGES = 1000;
const MAX_CERTIFICATE_CHARS = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Adapters: each tolerated variant of the wire format lives in exactly one function below.
// ---------------------------------------------------------------------------------------------

/**
 * The API base as the user typed it: `https://host`, `https://host/`, `https://host/api`,
 * `https://host/api/` all become `https://host/api`. A deeper path is kept (reverse proxies).
 */
export function webitelApiBase(input: string): string {
  const { url, path } = parseVendorUrl(input, {
    name: 'Webitel URL',
    example: 'https://pbx.example.com/api',
    credentialsBelong: 'the access token is stored separately',
  });
  return `${url.origin}${/\/api$/i.test(path) ? path : `${path}/api`}`;
}

/**
 * Cheap sanity check of a pasted license key before it is sent. A Webitel certificate is a long
 * base64/base64url (possibly dotted, JWT-like) blob or a PEM block; anything else is a paste
 * mistake. Line breaks and spaces inside a bare blob are removed (keys get wrapped in e-mails).
 * Returns the text to send. Errors never repeat the key itself.
 */
export function checkCertificateShape(certificate: string): string {
  if (typeof certificate !== 'string' || certificate.trim() === '') {
    throw new KeyfleetError('BAD_INPUT', 'license key is empty');
  }
  const text = certificate.trim();
  if (text.length > MAX_CERTIFICATE_CHARS) {
    throw new KeyfleetError('BAD_INPUT', `license key is ${text.length} characters long, more than the ${MAX_CERTIFICATE_CHARS} a key can be`);
  }
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    throw new KeyfleetError('BAD_INPUT', `license key contains a control character (code ${control[0].charCodeAt(0)}) at position ${control.index + 1}`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^www\./i.test(text)) {
    throw new KeyfleetError('BAD_INPUT', 'license key looks like a web address, not a license key');
  }
  if (isEmailAddress(text)) {
    throw new KeyfleetError('BAD_INPUT', 'license key looks like an e-mail address, not a license key');
  }

  const pem = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----$/.exec(text);
  if (text.startsWith('-----BEGIN')) {
    if (!pem) throw new KeyfleetError('BAD_INPUT', 'license key starts like a PEM block but its BEGIN/END lines do not match');
    const body = (pem[2] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/=]+$/.test(body)) throw new KeyfleetError('BAD_INPUT', 'license key PEM block contains characters that are not base64');
    if (body.length < 32) throw new KeyfleetError('BAD_INPUT', `license key PEM block is too short (${body.length} characters)`);
    return text.replace(/\r\n/g, '\n');
  }

  const blob = text.replace(/\s+/g, '');
  const bad = /[^A-Za-z0-9+/=_\-.]/.exec(blob);
  if (bad) {
    throw new KeyfleetError('BAD_INPUT', `license key contains "${bad[0]}" at position ${bad.index + 1}; a key is a block of letters, digits and + / = - _ .`);
  }
  if (blob.length < 32) {
    throw new KeyfleetError('BAD_INPUT', `license key is too short (${blob.length} characters); paste the whole key`);
  }
  return blob;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  maxBytes: number;
  /** What a 404 means for this call; default: the URL is probably not a Webitel API. */
  notFound?: string;
  /** What a 400 is called (e.g. "refused the license key"). */
  refused?: string;
}

export class WebitelClient {
  readonly baseUrl: string;
  readonly #endpoint: VendorEndpoint;
  readonly #http: VendorHttp;

  constructor(endpoint: VendorEndpoint) {
    this.#endpoint = endpoint;
    this.baseUrl = webitelApiBase(endpoint.baseUrl);
    this.#http = new VendorHttp({
      transport: endpoint.http,
      label: `Webitel ${new URL(this.baseUrl).host}`,
      timeoutMs: endpoint.timeoutMs ?? WEBITEL_TIMEOUT_MS,
      maxBytes: this.#listMaxBytes(),
      pinSha256: endpoint.pinSha256,
      secrets: [endpoint.secret],
      errorText: webitelErrorText,
    });
  }

  /** Every license, following `next` page by page. */
  async listLicenses(opts?: CallOptions): Promise<WebitelLicense[]> {
    return await collectPages({
      page: async (page) => {
        const { json } = await this.#call({ method: 'GET', path: '/license', query: { page, size: PAGE_SIZE }, maxBytes: this.#listMaxBytes() }, opts);
        return this.#http.parse(licensePageSchema, json, `GET /license page ${page}`);
      },
      id: (l) => l.id,
      maxPages: WEBITEL_MAX_PAGES,
      what: `${this.#http.label}: GET /license`,
    });
  }

  async getCustomer(opts?: CallOptions): Promise<WebitelCustomer> {
    return (await this.#readCustomer(opts)).customer;
  }

  /** Import a license key (`PUT /customer`). The key is checked locally first; a bad one sends nothing. */
  async importCertificate(certificate: string, opts?: CallOptions): Promise<WebitelCustomer> {
    const normalized = checkCertificateShape(certificate);
    const { json } = await this.#call(
      { method: 'PUT', path: '/customer', body: { certificate: normalized }, maxBytes: this.#listMaxBytes(), refused: 'refused the license key' },
      opts,
    );
    return this.#http.parse(customerSchema, unwrapCustomer(json), 'PUT /customer');
  }

  /** One page of the users holding a license. */
  async licenseUsers(licenseId: string, query: WebitelUsersQuery = {}, opts?: CallOptions): Promise<{ items: WebitelLicenseUser[]; next: boolean }> {
    const id = String(licenseId ?? '').trim();
    if (!id) throw new KeyfleetError('BAD_INPUT', 'license id is empty');
    const page = query.page ?? 1;
    const size = query.size ?? PAGE_SIZE;
    if (!Number.isInteger(page) || page < 1) throw new KeyfleetError('BAD_INPUT', `page must be a whole number from 1, got ${page}`);
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw new KeyfleetError('BAD_INPUT', `size must be a whole number from 1 to 1000, got ${size}`);
    const q = query.q?.trim() || undefined;
    const { json } = await this.#call(
      {
        method: 'GET',
        path: `/products/${encodeURIComponent(id)}/users`,
        query: { page, size, q },
        maxBytes: this.#listMaxBytes(),
        notFound: `license ${id} not found`,
      },
      opts,
    );
    const parsed = this.#http.parse(licenseUsersPageSchema, json, `GET /products/${id}/users page ${page}`);
    return { items: parsed.items, next: parsed.next };
  }

  /** Every user holding a license (optionally filtered by `q`), following pages. */
  async allLicenseUsers(licenseId: string, q?: string, opts?: CallOptions): Promise<WebitelLicenseUser[]> {
    return await collectPages({
      page: (page) => this.licenseUsers(licenseId, q !== undefined ? { page, size: PAGE_SIZE, q } : { page, size: PAGE_SIZE }, opts),
      id: (u) => u.userId,
      maxPages: WEBITEL_MAX_PAGES,
      what: `${this.#http.label}: users of license ${licenseId}`,
    });
  }

  /** Force a user offline, freeing a competitive seat. The server allows it only in the operator's own domain. */
  async logoutUser(userId: string | number, opts?: CallOptions): Promise<void> {
    const id = String(userId ?? '').trim();
    if (!/^\d+$/.test(id)) throw new KeyfleetError('BAD_INPUT', `user id must be a number, got "${excerpt(id, 40)}"`);
    await this.#call(
      { method: 'POST', path: `/users/${id}/logout`, body: {}, maxBytes: this.#endpoint.maxBytes ?? WEBITEL_SMALL_MAX_BYTES, notFound: `user ${id} not found` },
      opts,
    );
  }

  /** Reads the customer certificate: proves URL and token work. */
  async testConnection(opts?: CallOptions): Promise<{ organization: string; customerId: string | null; certSha256?: string }> {
    const { customer, certSha256 } = await this.#readCustomer(opts);
    const out: { organization: string; customerId: string | null; certSha256?: string } = { organization: customer.organization, customerId: customer.id };
    if (certSha256) out.certSha256 = certSha256;
    return out;
  }

  // -------------------------------------------------------------------------------------------

  #listMaxBytes(): number {
    return this.#endpoint.maxBytes ?? WEBITEL_LIST_MAX_BYTES;
  }

  async #readCustomer(opts?: CallOptions): Promise<{ customer: WebitelCustomer; certSha256?: string }> {
    const { json, res } = await this.#call({ method: 'GET', path: '/customer', maxBytes: this.#listMaxBytes() }, opts);
    const customer = this.#http.parse(customerSchema, unwrapCustomer(json), 'GET /customer');
    return res.certSha256 ? { customer, certSha256: res.certSha256 } : { customer };
  }

  async #call(call: Call, opts?: CallOptions): Promise<{ json: unknown; res: HttpResponse }> {
    const token = this.#endpoint.secret;
    if (!token) throw new KeyfleetError('SECRET_MISSING', `${this.#http.label}: no access token is stored for this instance`);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    const headers: Record<string, string> = { 'X-Webitel-Access': token, accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.#http.send({
      method: call.method,
      url: `${this.baseUrl}${call.path}${qs ? `?${qs}` : ''}`,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      maxBytes: call.maxBytes,
      idempotent: call.method === 'GET',
      signal: opts?.signal,
    });
    const what = `${call.method} ${call.path}`;
    const label = this.#http.label;
    if (res.status < 200 || res.status >= 300) {
      throw this.#http.statusError(res, what, {
        auth: `${label}: access token refused (401)`,
        denied: `${label}: ${what} denied (403)`,
        ...(call.notFound ? { missing: `${label}: ${call.notFound} (404)` } : {}),
        wrongUrl: (said) => `${label}: ${what} not found (404); is ${this.baseUrl} the Webitel API address?${said}`,
        refused: (s) => `${label} ${call.refused ?? `refused ${what}`} (${s})`,
      });
    }
    return { json: this.#http.json(res, what, { empty: {} }), res };
  }
}
