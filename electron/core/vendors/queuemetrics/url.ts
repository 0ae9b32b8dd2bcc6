import { hasScheme, parseVendorUrl } from '../../net/kit/vendor-url.ts';
import { httpTarget, type HttpTarget } from '../../net/http-target.ts';

/**
 * Where a QueueMetrics instance answers XML-RPC, from what a person typed. Kept apart from the
 * XML-RPC client (which loads the xmlrpc package) so that adding an instance and comparing
 * instances' endpoints costs nothing more than this.
 *
 * The rule, in full:
 * - `http://host:8080/queuemetrics` (the webapp) gets `/xmlrpc.do` appended;
 * - a URL with no path (`http://host:18082`, `https://host`) means QueueMetrics' default webapp,
 *   `/queuemetrics`, on the port given (or the scheme's own: 80, 443);
 * - a URL already ending in `/xmlrpc.do` is the endpoint itself;
 * - a bare `host` or `host:port` (no `http://`) means `http://host:port/queuemetrics`, port 8080
 *   when none is given (QueueMetrics' Tomcat default). Instance add takes only a bare host:port or
 *   dotted host (isBareQueueMetricsAddress); a bare word is more often a typo than a server.
 * Query strings and fragments play no part.
 */
export const QM_DEFAULT_PORT = 8080;
export const QM_DEFAULT_WEBAPP = '/queuemetrics';
const XMLRPC_PATH = /\/xmlrpc\.do$/i;

function parse(baseUrl: string): { url: URL; schemeTyped: boolean; path: string } {
  return parseVendorUrl(baseUrl, {
    name: 'QueueMetrics URL',
    field: 'baseUrl',
    example: 'http://qm.example:8080/queuemetrics',
    schemeless: true,
    // A bare host:port is QueueMetrics' Tomcat; with a scheme the port is the scheme's own.
    defaultPort: { port: QM_DEFAULT_PORT, unless: 'scheme' },
  });
}

/**
 * What a bare `host[:port][/path]` stands for, written out: `http://host:port/path`, with port
 * 8080 and path `/queuemetrics` when they are missing. A URL with a scheme is returned as typed.
 */
export function queueMetricsBaseUrl(baseUrl: string): string {
  const { url, schemeTyped } = parse(baseUrl);
  if (schemeTyped) return baseUrl.trim();
  const path = url.pathname.replace(/\/+$/, '') || QM_DEFAULT_WEBAPP;
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * The XML-RPC endpoint for what the user typed: a webapp URL (`http://host:8080/queuemetrics`),
 * a bare host (QueueMetrics' default `http://host:8080/queuemetrics` is assumed), or the
 * endpoint itself (`…/xmlrpc.do`).
 */
export function queueMetricsXmlRpcUrl(baseUrl: string): string {
  return queueMetricsXmlRpcEndpoint(baseUrl).url;
}

/**
 * The XML-RPC endpoint (as queueMetricsXmlRpcUrl) and the same endpoint split for the transport
 * (which then does not parse it again; its `host` names the server in messages), from one parse of
 * the address.
 */
export function queueMetricsXmlRpcEndpoint(baseUrl: string): { url: string; target: HttpTarget } {
  const { url, path: typed } = parse(baseUrl);
  let path = typed || QM_DEFAULT_WEBAPP;
  if (!XMLRPC_PATH.test(path)) path = `${path}/xmlrpc.do`;
  // The parse dropped any query and fragment: the endpoint is the path alone.
  const target = httpTarget(url, path);
  return { url: `${target.protocol}//${target.host}${path}`, target };
}

/** Whether the text names no scheme, read as `http://host[:8080]`. */
export function isBareQueueMetricsHost(text: string): boolean {
  return !hasScheme(text.trim());
}

/**
 * Whether schemeless text names a server rather than being a word typed by mistake: it has a
 * port (`pbx:8080`) or a dotted host (`qm.example`, `10.0.0.5`). What instance add accepts
 * without http://; the client reads both the same way.
 */
export function isBareQueueMetricsAddress(text: string): boolean {
  const t = text.trim();
  if (hasScheme(t)) return false;
  const authority = t.split('/', 1)[0] ?? '';
  return /^[A-Za-z0-9.-]+:\d{1,5}$/.test(authority) || /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(authority);
}
