/** Where a request goes, as the transport uses it: from one parse of the address. */
export interface HttpTarget {
  readonly protocol: string;
  /** As URL gives it (an IPv6 literal in brackets). */
  readonly hostname: string;
  /** '' for the scheme's own port. */
  readonly port: string;
  /** host:port as messages name it. */
  readonly host: string;
  /** Path and query. */
  readonly path: string;
}

/** The target of a parsed address (`url` exactly as its href says). */
export function httpTarget(url: URL, path = `${url.pathname}${url.search}`): HttpTarget {
  return { protocol: url.protocol, hostname: url.hostname, port: url.port, host: url.host, path };
}
