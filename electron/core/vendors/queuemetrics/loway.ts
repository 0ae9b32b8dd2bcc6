import { KeyfleetError } from '../../errors.ts';
import { abortableSleep } from '../../net/sleep.ts';
import { type HttpTransport, excerpt } from '../../net/http.ts';
import { VendorHttp } from '../../net/kit/vendor-http.ts';
import { parseVendorUrl } from '../../net/kit/vendor-url.ts';
import { QM_KEY_MAX_LENGTH, QM_KEY_MIN_LENGTH } from './key-length.ts';
import { parsePpk } from './ppk.ts';
import type { CallOptions, IsoDate, IsoInstant } from '../types.ts';
import { isEmailAddress } from '../../email.ts';

/**
 * Loway's key server turns a pre-purchased key (PPK) into a QueueMetrics license key with one
 * HTTP GET. The answer is plain text, one `X:value` per line; only `S:OK` is success. The
 * conversion is idempotent (same PPK → same key), so a lost answer may safely be asked again.
 * Protocol: docs/vendors/queuemetrics.md.
 */
export interface LowayConversion {
  key: string;
  /** The key server's clock when it answered (D:). */
  serverTime: IsoInstant;
  /** When the key was first issued (I:); the same on every repeat conversion. */
  issuedAt: IsoInstant;
  /** Expiry date (X:); QueueMetrics may stop any time after it. */
  expiresAt: IsoDate;
}

export interface LowayConvertRequest {
  ppk: string;
  /** End-user firm name; becomes the key name on the QueueMetrics License page. */
  enduser: string;
  /** Receives Loway's note about the new license (reference only). */
  email: string;
}

export type LowayConvertResult = LowayConversion & {
  /** serverTime − local clock at receipt, in milliseconds (positive: the server is ahead). */
  skewMs: number;
  /** How many requests were sent, retries included. */
  attempts: number;
};

export interface LowayKeyServerOptions {
  http: HttpTransport;
  /** The activation URL the reseller was given, e.g. http://my.server/llm/licence_wsvc_gen.do */
  activationUrl: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Re-sends after the first attempt when the answer was lost (default 2, i.e. 3 attempts in all). */
  retries?: number;
  /** First back-off delay; doubles on each retry (default 500 ms). */
  retryBaseDelayMs?: number;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const LOWAY_DEFAULT_TIMEOUT_MS = 20_000;
/** The real answer is a few hundred bytes. */
export const LOWAY_DEFAULT_MAX_BYTES = 64 * 1024;
export const LOWAY_DEFAULT_RETRIES = 2;
export const LOWAY_DEFAULT_RETRY_BASE_DELAY_MS = 500;
export { QM_KEY_MIN_LENGTH as LOWAY_KEY_MIN_LENGTH, QM_KEY_MAX_LENGTH as LOWAY_KEY_MAX_LENGTH };

/**
 * The key server writes `2011-08-26 15:51:58` with no zone and Loway does not say which zone it
 * is. We read it as UTC (offset 0). Correct it here, in this one place, if better facts turn up.
 */
export const LOWAY_SERVER_UTC_OFFSET_MINUTES = 0;

/** A key-server timestamp (`YYYY-MM-DD HH:MM:SS`, or a bare date) as an ISO instant, or null if it is not one. */
export function lowayTimestampToInstant(text: string): IsoInstant | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  // Not Date.UTC: it reads years 0–99 as 1900–1999, so "0050-01-01" would become 1950.
  const wall = new Date(0);
  wall.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  wall.setUTCHours(Number(h), Number(mi), Number(s), 0);
  // Reject impossible calendar values (2011-02-30) that Date would silently roll over.
  if (wall.getUTCFullYear() !== Number(y) || wall.getUTCMonth() !== Number(mo) - 1 || wall.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const date = new Date(wall.getTime() - LOWAY_SERVER_UTC_OFFSET_MINUTES * 60_000);
  // The store keeps four-digit years only; an offset must not push year 0000 or 9999 out of range.
  const iso = date.toISOString();
  return /^\d{4}-/.test(iso) ? iso : null;
}

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function badResponse(label: string, what: string, body: string, details: Record<string, unknown> = {}): KeyfleetError {
  const got = excerpt(body);
  return new KeyfleetError('BAD_RESPONSE', `${label} ${what}${got ? `; got: ${got}` : ''}`, details);
}

/**
 * Parse the key server's `X:value` answer. `host` only flavours the messages.
 * Throws VENDOR_REFUSED for an S:KO (or any non-OK status) with the server's own words, and
 * BAD_RESPONSE for anything that is not this format; an S:OK answer missing lines is marked
 * `details.incomplete` because it looks cut off (a retry may fix it).
 */
export function parseLowayResponse(text: string, host?: string): LowayConversion {
  const label = host ? `key server ${host}` : 'key server';
  const body = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (body.trim() === '') throw new KeyfleetError('BAD_RESPONSE', `${label} sent an empty answer`);
  // trimEnd, not /\s+$/: that regex is quadratic on a long run of spaces inside a line.
  const lines = body.split(/\r\n|\r|\n/).map((l) => l.trimEnd());
  const first = lines[0] ?? '';
  if (!first.startsWith('S:')) {
    throw badResponse(label, 'did not answer in the key-server format (expected a first line starting with "S:")', body);
  }
  const status = first.slice(2).trim();
  if (!status.startsWith('OK')) {
    // "S:KO - Key not found U:1234" → "Key not found U:1234"
    const reason = status.replace(/^KO\b\s*(?:-\s*)?/, '') || status || 'no reason given';
    throw new KeyfleetError('VENDOR_REFUSED', `${label} refused: ${excerpt(reason, 200)}`, { serverStatus: excerpt(status, 200), reason: excerpt(reason, 200) });
  }

  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const m = /^([A-Za-z]):(.*)$/.exec(line);
    if (m && !fields.has(m[1]!.toUpperCase())) fields.set(m[1]!.toUpperCase(), m[2]!.trim());
  }
  const missing = (['D', 'K', 'I', 'X'] as const).filter((f) => (fields.get(f) ?? '') === '');
  if (missing.includes('K') && fields.get('K') === undefined) {
    throw badResponse(label, 'answered S:OK without a K: line (no license key)', body, { incomplete: true, missing });
  }
  const key = fields.get('K') ?? '';
  if (key === '' || key.toLowerCase() === 'n/a') {
    throw badResponse(label, `answered S:OK but gave no license key (K:${key})`, body);
  }
  if (/\s/.test(key)) throw new KeyfleetError('BAD_RESPONSE', `${label} answered a license key containing spaces, which is not a key`);
  if (key.length < QM_KEY_MIN_LENGTH || key.length > QM_KEY_MAX_LENGTH) {
    throw new KeyfleetError(
      'BAD_RESPONSE',
      `${label} answered a ${key.length}-character license key; expected ${QM_KEY_MIN_LENGTH}–${QM_KEY_MAX_LENGTH} characters`,
    );
  }
  if (missing.length > 0) {
    const names = missing.map((f) => ({ D: 'D: (server time)', K: 'K:', I: 'I: (issue date)', X: 'X: (expiry date)' })[f]).join(', ');
    throw badResponse(label, `answered S:OK but is missing ${names}`, body, { incomplete: true, missing });
  }
  const serverTime = lowayTimestampToInstant(fields.get('D')!);
  if (!serverTime) throw new KeyfleetError('BAD_RESPONSE', `${label} sent an unreadable server time D:${excerpt(fields.get('D')!, 40)}`);
  const issuedAt = lowayTimestampToInstant(fields.get('I')!);
  if (!issuedAt) throw new KeyfleetError('BAD_RESPONSE', `${label} sent an unreadable issue date I:${excerpt(fields.get('I')!, 40)}`);
  const expiresAt = fields.get('X')!;
  if (!isIsoDate(expiresAt)) throw new KeyfleetError('BAD_RESPONSE', `${label} sent an unreadable expiry date X:${excerpt(expiresAt, 40)}`);
  return { key, serverTime, issuedAt, expiresAt };
}

function validateRequest(req: LowayConvertRequest): { ppk: string; enduser: string; email: string } {
  const enduser = (req.enduser ?? '').trim();
  const email = (req.email ?? '').trim();
  if (enduser === '') throw new KeyfleetError('BAD_INPUT', 'end-user name (K_enduser) is empty', { field: 'enduser' });
  if (enduser.length > 200) throw new KeyfleetError('BAD_INPUT', `end-user name (K_enduser) is too long (${enduser.length} characters, at most 200)`, { field: 'enduser' });
  if (/[\x00-\x1f\x7f]/.test(enduser)) throw new KeyfleetError('BAD_INPUT', 'end-user name (K_enduser) contains control characters', { field: 'enduser' });
  if (email === '') throw new KeyfleetError('BAD_INPUT', 'e-mail address (K_email) is empty', { field: 'email' });
  if (!isEmailAddress(email) || email.length > 254) {
    throw new KeyfleetError('BAD_INPUT', `e-mail address (K_email) ${JSON.stringify(email.slice(0, 80))} is not an e-mail address`, { field: 'email' });
  }
  const ppk = parsePpk(req.ppk ?? '').ppk;
  return { ppk, enduser, email };
}

/** Append the three K_ parameters, URL-encoded, to whatever query the activation URL already has. */
function activationRequestUrl(base: URL, p: { ppk: string; enduser: string; email: string }): string {
  const params = [`K_enduser=${encodeURIComponent(p.enduser)}`, `K_email=${encodeURIComponent(p.email)}`, `K_id=${encodeURIComponent(p.ppk)}`].join('&');
  const search = base.search.length > 1 ? `${base.search}&${params}` : `?${params}`;
  return `${base.origin}${base.pathname}${search}`;
}

/** A lost answer: the server may have converted, and asking again returns the same key. */
function isLostAnswer(e: unknown): boolean {
  if (!(e instanceof KeyfleetError)) return false;
  if (e.code === 'NETWORK' || e.code === 'TIMEOUT') return true;
  if (e.code === 'HTTP_STATUS') return typeof e.details?.status === 'number' && e.details.status >= 500;
  if (e.code === 'BAD_RESPONSE') return e.details?.incomplete === true;
  return false;
}


export class LowayKeyServer {
  readonly host: string;
  readonly #http: VendorHttp;
  readonly #url: URL;
  readonly #retries: number;
  readonly #retryBaseDelayMs: number;
  readonly #now: () => Date;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(opts: LowayKeyServerOptions) {
    // The key server's own query (if any) stays: the K_ parameters are added to it.
    this.#url = parseVendorUrl(opts.activationUrl, {
      name: 'activation URL',
      field: 'activationUrl',
      example: 'http://my.server/llm/licence_wsvc_gen.do',
      query: 'keep',
    }).url;
    this.host = this.#url.host;
    this.#http = new VendorHttp({
      transport: opts.http,
      label: `key server ${this.host}`,
      timeoutMs: opts.timeoutMs ?? LOWAY_DEFAULT_TIMEOUT_MS,
      maxBytes: opts.maxBytes ?? LOWAY_DEFAULT_MAX_BYTES,
    });
    this.#retries = Math.max(0, Math.floor(opts.retries ?? LOWAY_DEFAULT_RETRIES));
    this.#retryBaseDelayMs = opts.retryBaseDelayMs ?? LOWAY_DEFAULT_RETRY_BASE_DELAY_MS;
    this.#now = opts.now ?? (() => new Date());
    this.#sleep = opts.sleep ?? abortableSleep;
  }

  /** Convert a PPK into a license key. Bad input is refused before anything is sent. */
  async convert(req: LowayConvertRequest, opts: CallOptions = {}): Promise<LowayConvertResult> {
    const input = validateRequest(req);
    const url = activationRequestUrl(this.#url, input);
    const maxAttempts = this.#retries + 1;
    // Whether any attempt may have reached the server: only then can it have spent the PPK.
    // An error says so unless the transport knows it never wrote the request out.
    let reached = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const conversion = await this.#once(url, opts.signal);
        const skewMs = Date.parse(conversion.serverTime) - conversion.receivedAt;
        return { key: conversion.key, serverTime: conversion.serverTime, issuedAt: conversion.issuedAt, expiresAt: conversion.expiresAt, skewMs, attempts: attempt };
      } catch (e) {
        if (!(e instanceof KeyfleetError && e.details?.requestSent === false)) reached = true;
        if (!isLostAnswer(e) || attempt >= maxAttempts || opts.signal?.aborted) {
          throw this.#finalError(e, attempt, reached);
        }
        try {
          await this.#sleep(this.#retryBaseDelayMs * 2 ** (attempt - 1), opts.signal);
        } catch {
          throw new KeyfleetError('CANCELLED', `conversion on key server ${this.host} cancelled after ${attempt} attempt${attempt === 1 ? '' : 's'}`, { attempts: attempt, requestSent: reached });
        }
      }
    }
  }

  /**
   * Is this a Loway key server? Asks the activation URL with no PPK, which converts nothing:
   * any answer whose first line is an `S:` status line counts (inferred: Loway documents
   * only the conversion call), and its `D:` line gives the clock skew.
   */
  async probe(opts: CallOptions = {}): Promise<{ status: string; skewMs: number | null }> {
    const res = await this.#http.send({ method: 'GET', url: this.#url.toString(), headers: { accept: 'text/plain' }, signal: opts.signal });
    const label = this.#http.label;
    const text = this.#http.text(res);
    const lines = text.split(/\r?\n/);
    const status = lines[0]?.startsWith('S:') ? lines[0].slice(2).trim() : null;
    if (res.status !== 200 || status === null) {
      throw new KeyfleetError('BAD_RESPONSE', `${label} did not answer like a Loway key server (HTTP ${res.status}: ${excerpt(text, 80) || 'empty body'})`, { status: res.status });
    }
    const d = lines.find((l) => l.startsWith('D:'));
    const serverTime = d ? lowayTimestampToInstant(d.slice(2).trim()) : null;
    return { status, skewMs: serverTime ? Date.parse(serverTime) - this.#now().getTime() : null };
  }

  async #once(url: string, signal: AbortSignal | undefined): Promise<LowayConversion & { receivedAt: number }> {
    const res = await this.#http.send({ method: 'GET', url, headers: { accept: 'text/plain' }, signal });
    const receivedAt = this.#now().getTime();
    const label = this.#http.label;
    if (res.status !== 200) {
      // The key server takes no credentials: a 401/403 comes from a proxy or firewall in front of it.
      throw this.#http.statusError(res, 'the conversion', {
        auth: `${label} answered HTTP 401 (a proxy in front of the key server wants a login)`,
        denied: `${label} answered HTTP 403 (forbidden: check that this address may use the activation URL)`,
      });
    }
    return { ...parseLowayResponse(this.#http.text(res), this.host), receivedAt };
  }

  /** details.requestSent: whether any attempt may have reached the server (false: none was written out). */
  #finalError(e: unknown, attempts: number, requestSent: boolean): KeyfleetError {
    if (!(e instanceof KeyfleetError)) {
      return new KeyfleetError('INTERNAL', `key server ${this.host}: ${e instanceof Error ? e.message : String(e)}`, { attempts, requestSent });
    }
    let message = e.message.includes(this.host) ? e.message : `key server ${this.host}: ${e.message}`;
    if (attempts > 1) message += ` (gave up after ${attempts} attempts)`;
    return new KeyfleetError(e.code, message, { ...e.details, attempts, requestSent }, { cause: e });
  }
}
