import { parseVendorUrl } from '../../net/kit/vendor-url.ts';

/**
 * QLM License Server addresses. Up to v19 the service is an ASMX page
 * (`https://server/dir/qlmservice.asmx/<Method>`); from v20 it is an ASP.NET Core API
 * (`http://host/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi/<Method>`). Users paste either
 * base, sometimes with a method (and even a query) already appended.
 */
export type QlmUrlFlavor = 'asmx' | 'v20' | 'unknown';

/** Method names Keyfleet may find pasted at the end of a base URL. */
const KNOWN_METHOD_SEGMENT = /^(?:PingHttp|GetActivationKey\w*|UpdateLicenseHttp|RenewSubscriptionHttp|RevokeLicenseHttp|ValidateLicenseHttp|\w+Http)$/i;

/** The path segment a QLM base ends with, per flavor. */
const BASE_SEGMENT: Record<Exclude<QlmUrlFlavor, 'unknown'>, RegExp> = {
  asmx: /^qlmservice\.asmx$/i,
  v20: /^qlmapi$/i,
};

/**
 * The base URL with no trailing slash, no method, no query and no fragment.
 * A query is dropped on purpose: a pasted URL may carry is_pwd, which must not be stored.
 */
export function normalizeQlmBaseUrl(input: string): string {
  const { url } = parseVendorUrl(input, {
    name: 'QLM server URL',
    example: 'https://server/qlm/qlmservice.asmx',
    credentialsBelong: 'enter them in the key source settings',
  });
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const baseIndex = segments.findIndex((s) => BASE_SEGMENT.asmx.test(s) || BASE_SEGMENT.v20.test(s));
  let kept: string[];
  if (baseIndex >= 0) kept = segments.slice(0, baseIndex + 1);
  else if (segments.length > 0 && KNOWN_METHOD_SEGMENT.test(segments[segments.length - 1]!)) kept = segments.slice(0, -1);
  else kept = segments;
  return `${url.origin}${kept.length ? `/${kept.join('/')}` : ''}`;
}

export function qlmUrlFlavor(base: string): QlmUrlFlavor {
  const last = new URL(base).pathname.split('/').filter(Boolean).pop() ?? '';
  if (BASE_SEGMENT.asmx.test(last)) return 'asmx';
  if (BASE_SEGMENT.v20.test(last)) return 'v20';
  return 'unknown';
}

/** Query values are always percent-encoded, so a `+` reaches the server as %2B, never as a space. */
export function encodeQlmQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** `<base>/<Method>?<query>`: the one place a QLM request URL is built. */
export function buildQlmUrl(base: string, method: string, params: ReadonlyArray<readonly [string, string]>): string {
  const query = encodeQlmQuery(params);
  return `${base}/${method}${query ? `?${query}` : ''}`;
}
