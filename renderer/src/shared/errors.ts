import type { ApiError } from './api/bridge.ts';

/** A short title per error code, so the user sees what kind of failure it was before the details. */
const TITLES: Record<string, string> = {
  BAD_INPUT: 'Check the input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  NEEDS_CONFIRMATION: 'Confirmation needed',
  KEYCHAIN_UNAVAILABLE: 'OS keychain unavailable',
  SECRET_MISSING: 'Secret missing from the keychain',
  NETWORK: 'Server unreachable',
  TIMEOUT: 'Server unreachable (timed out)',
  TLS_UNTRUSTED: 'Certificate not trusted',
  TLS_PIN_MISMATCH: 'Certificate changed',
  AUTH: 'Sign-in refused',
  DENIED: 'Not allowed',
  HTTP_STATUS: 'Unexpected HTTP status',
  VENDOR_REFUSED: 'Refused by the vendor',
  BAD_RESPONSE: 'Unreadable answer',
  BODY_TOO_LARGE: 'Answer too large',
  LOST_ANSWER: 'Answer lost: check before retrying',
  CANCELLED: 'Cancelled',
  INTERNAL: 'Something went wrong',
};

export function isUnreachable(e: Pick<ApiError, 'code'>): boolean {
  return e.code === 'NETWORK' || e.code === 'TIMEOUT';
}

/** One item's failure in a list of results: an unreachable server is marked so, the rest keep their own words. */
export function failureText(e: Pick<ApiError, 'code' | 'message'>): string {
  return `${isUnreachable(e) ? 'unreachable: ' : ''}${e.message}`;
}

export function isNotAvailableYet(e: ApiError): boolean {
  return e.code === 'INTERNAL' && /is not available in this build yet/.test(e.message);
}

export function errorTitle(e: ApiError): string {
  if (isNotAvailableYet(e)) return 'Not available in this build yet';
  return TITLES[e.code] ?? 'Error';
}

/** The message as the user should read it: unreachable servers are said plainly, vendors keep their own words. */
export function errorMessage(e: ApiError): string {
  if (isUnreachable(e)) return `The server could not be reached: ${e.message}. Everything stored stays viewable offline.`;
  return e.message;
}

/** "addInstance: url: x is not a URL" → { field: 'url', message: 'x is not a URL' } when the field is one of ours. */
export function fieldError(e: ApiError, fields: readonly string[]): { field: string; message: string } | null {
  if (e.code !== 'BAD_INPUT') return null;
  const text = e.message.startsWith(`${e.method}: `) ? e.message.slice(e.method.length + 2) : e.message;
  const m = /^([A-Za-z][\w.]*)\s*:\s*(.+)$/s.exec(text);
  if (!m) return null;
  const field = m[1]!.split('.')[0]!;
  return fields.includes(field) ? { field, message: m[2]! } : null;
}
