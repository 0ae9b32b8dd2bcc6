import type { HttpTransport } from '../net/http.ts';

/**
 * What every vendor client is built from. The secret arrives from the vault at call time
 * and lives only as long as the client object; it is never logged or put in an error.
 */
export interface VendorEndpoint {
  http: HttpTransport;
  /** Base URL as the user entered it (normalised by the client). */
  baseUrl: string;
  user?: string;
  secret?: string;
  /** Pinned certificate fingerprint for self-signed servers. */
  pinSha256?: string | null;
  /** Per-request deadline; each client has a sensible default. */
  timeoutMs?: number;
  /** Largest response body accepted. */
  maxBytes?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A date-only value, YYYY-MM-DD. */
export type IsoDate = string;
/** An instant, ISO 8601 with Z. */
export type IsoInstant = string;
