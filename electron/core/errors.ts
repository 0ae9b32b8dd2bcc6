/**
 * One error type for everything Keyfleet reports to a person or a script.
 * The code is stable (scripts and the UI branch on it); the message is for humans
 * and always names what was wrong: the field, the instance, the server's own words.
 */
export const ERROR_CODES = [
  'BAD_INPUT', // the caller gave something malformed; nothing changed
  'NOT_FOUND', // a named client/instance/source/license does not exist
  'CONFLICT', // the action would duplicate or contradict stored state
  'NEEDS_CONFIRMATION', // a money-spending or risky step the user must confirm
  'KEYCHAIN_UNAVAILABLE', // no OS keychain to keep secrets in
  'SECRET_MISSING', // the keychain has no secret for this item
  'NETWORK', // refused, reset, DNS failure
  'TIMEOUT', // the deadline for a call passed
  'TLS_UNTRUSTED', // certificate not trusted and not pinned (details carry the fingerprint)
  'TLS_PIN_MISMATCH', // certificate differs from the pinned one
  'AUTH', // the server refused our credentials
  'DENIED', // authenticated but not allowed (403, disabled method)
  'HTTP_STATUS', // an unexpected HTTP status
  'VENDOR_REFUSED', // the vendor answered with an error of its own
  'BAD_RESPONSE', // the answer could not be understood
  'BODY_TOO_LARGE', // the answer exceeded the size cap
  'LOST_ANSWER', // a non-idempotent request was sent and its answer was lost
  'KEY_MISMATCH', // a vendor's key for it is not the key the instance runs
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class KeyfleetError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyfleetError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** Any thrown value as an ErrorInfo, without leaking stack traces or internals. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof KeyfleetError) return e.toInfo();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message || e.name };
  return { code: 'INTERNAL', message: String(e) };
}

/** Prefix a vendor/transport error with the thing it happened to ("instance qm-acme: …"). */
export function withSubject(e: unknown, subject: string): KeyfleetError {
  const info = toErrorInfo(e);
  const message = info.message.startsWith(subject) ? info.message : `${subject}: ${info.message}`;
  return new KeyfleetError(info.code, message, info.details, { cause: e });
}

/** Codes that mean "bad usage or bad input, nothing was changed" (CLI exit 2). */
export const INPUT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set(['BAD_INPUT', 'NOT_FOUND', 'CONFLICT', 'NEEDS_CONFIRMATION']);
