import type { z } from 'zod';
import { KeyfleetError } from '../../errors.ts';
import { decodeUtf8, excerpt, type HttpRequest, type HttpResponse, type HttpTransport } from '../http.ts';
import type { HttpTarget } from '../http-target.ts';
import { redactValue, secretRedactor, type Redact } from './redact.ts';
import { statusError, type StatusWording } from './status.ts';
import { parseWire } from './wire-schema.ts';

export interface VendorHttpOptions {
  transport: HttpTransport;
  /** Who answers, as this client's messages name it: "Webitel pbx:443", "QLM server https://…". */
  label: string;
  timeoutMs: number;
  maxBytes: number;
  pinSha256?: string | null | undefined;
  /** Every secret the client sends (password, token, HTTP Basic credential): masked in all it lets out. */
  secrets?: ReadonlyArray<string | null | undefined>;
  /** The server's own words in an error body (default: a short excerpt of its text). */
  errorText?: (bodyText: string) => string;
}

export interface VendorRequest {
  method: HttpRequest['method'];
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** A read that may travel on a pooled connection and be re-sent once (see HttpRequest). */
  idempotent?: boolean;
  signal?: AbortSignal | undefined;
  /** `url` already split (see HttpRequest.target). */
  target?: HttpTarget;
}

/**
 * One vendor client's view of the HTTP transport: its deadline, size cap and pinned
 * certificate on every request, and one way of turning answers into values or errors. Nothing
 * leaves it with a secret in it: transport errors, quoted server text and parse errors are
 * scrubbed of every secret the client holds.
 */
export class VendorHttp {
  readonly label: string;
  readonly redact: Redact;
  readonly #opts: VendorHttpOptions;

  constructor(opts: VendorHttpOptions) {
    this.#opts = opts;
    this.label = opts.label;
    this.redact = secretRedactor(opts.secrets ?? []);
  }

  /** Send one request with this client's limits; a failure comes back scrubbed. */
  async send(req: VendorRequest): Promise<HttpResponse> {
    const full: HttpRequest = {
      method: req.method,
      url: req.url,
      timeoutMs: req.timeoutMs ?? this.#opts.timeoutMs,
      maxBytes: req.maxBytes ?? this.#opts.maxBytes,
      pinSha256: this.#opts.pinSha256 ?? null,
    };
    if (req.headers) full.headers = req.headers;
    if (req.body !== undefined) full.body = req.body;
    if (req.idempotent) full.idempotent = true;
    if (req.signal) full.signal = req.signal;
    if (req.target) full.target = req.target;
    try {
      return await this.#opts.transport.request(full);
    } catch (e) {
      throw this.scrubError(e);
    }
  }

  /** The body as UTF-8 text; BAD_RESPONSE when it is not. */
  text(res: HttpResponse, what?: string): string {
    return decodeUtf8(res.body, what ? `${this.label} (${what})` : this.label);
  }

  /** The server's own words from an error body: short, scrubbed, '' when there are none. Never throws. */
  serverWords(res: HttpResponse, max?: number): string {
    // Lenient: an error page in another encoding still shows its words, with � for the odd byte.
    // Scrubbed before it is shortened: a cut (or tag-stripped) secret would no longer be recognised.
    const text = this.redact(res.body.toString('utf8'));
    return this.#opts.errorText ? this.#opts.errorText(text) : excerpt(text, max);
  }

  /** The body as JSON; an empty body is `empty` when given, BAD_RESPONSE otherwise. */
  json(res: HttpResponse, what: string, opts: { empty?: unknown } = {}): unknown {
    const text = this.text(res, what).replace(/^\uFEFF/, '');
    if (text.trim() === '') {
      if ('empty' in opts) return opts.empty;
      throw new KeyfleetError('BAD_RESPONSE', `${this.label}: ${what} answered with an empty body where JSON was expected`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KeyfleetError('BAD_RESPONSE', `${this.label}: ${what} answered with something that is not JSON: ${excerpt(this.redact(text), 120)}`);
    }
  }

  /** A value read through its schema, or BAD_RESPONSE naming the first bad field. */
  parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    try {
      return parseWire(schema, value, this.label, what);
    } catch (e) {
      // A message may quote a bad value, shortened: it is built again from the scrubbed answer
      // so that no part of a secret the server echoed can show.
      try {
        parseWire(schema, redactValue(value, this.redact), this.label, what);
      } catch (scrubbed) {
        throw this.scrubError(scrubbed);
      }
      throw this.scrubError(e);
    }
  }

  /** The KeyfleetError for a non-2xx answer, quoting the server's own words (scrubbed). */
  statusError(res: HttpResponse, what: string, wording?: StatusWording, details?: Record<string, unknown>): KeyfleetError {
    // Scrubbed whole: a redirect's Location and the vendor's wording may quote the request too.
    return this.scrubError(statusError(res, { label: this.label, what, serverWords: this.serverWords(res), redact: this.redact, ...(details ? { details } : {}) }, wording)) as KeyfleetError;
  }

  /** The error with every secret masked in its message and details (the same error when none was there). */
  scrubError(e: unknown): unknown {
    if (!(e instanceof KeyfleetError)) return e;
    const message = this.redact(e.message);
    const details = e.details ? (redactValue(e.details, this.redact) as Record<string, unknown>) : undefined;
    if (message === e.message && JSON.stringify(details) === JSON.stringify(e.details)) return e;
    // The original (and its cause) quote the secret: it does not travel on as the cause.
    return new KeyfleetError(e.code, message, details);
  }
}
