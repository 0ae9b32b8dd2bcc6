import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpTarget } from '../../../electron/core/net/http-target.ts';
import { queueMetricsXmlRpcEndpoint } from '../../../electron/core/vendors/queuemetrics/url.ts';
import { KeyfleetError } from '../../../electron/core/errors.ts';
import { QueueMetricsClient } from '../../../electron/core/vendors/queuemetrics/client.ts';
import type { HttpTransport } from '../../../electron/core/net/http.ts';

/** Building a client sends nothing. */
const unused: HttpTransport = { request: () => Promise.reject(new Error('not sent')) };

/**
 * The QueueMetrics client hands the transport its endpoint already split, so that the transport
 * does not parse the address again. The split must say exactly what the endpoint's URL says:
 * otherwise a request would go somewhere other than where every message says it went.
 */
describe('QueueMetrics endpoint, split for the transport', () => {
  const scheme = fc.constantFrom('', 'http://', 'https://', 'HTTP://', 'Https://', 'ftp://');
  const host = fc.constantFrom('qm.example', 'QM.Example.NET', '10.0.0.5', '[::1]', '[2001:DB8::5]', 'xn--bcher-kva.example', 'bücher.example', 'host', 'a-b.c-d', '%41.example', '');
  const port = fc.constantFrom('', ':80', ':443', ':8080', ':18082', ':0', ':65535', ':99999', ':', ':08080');
  const segment = fc.constantFrom('queuemetrics', 'QueueMetrics', 'qm130', 'xmlrpc.do', 'XMLRPC.DO', '', '.', '..', 'a b', 'é', '%2F', '%2e', 'x;y', '~u', '\\', '@');
  const path = fc.array(segment, { maxLength: 4 }).map((s) => (s.length ? `/${s.join('/')}` : ''));
  const tail = fc.constantFrom('', '/', '//', '?', '?a=1&b=/c', '#', '#frag', '?q#f', ' ', '\t');
  const typed = fc.tuple(scheme, host, port, path, tail).map(([a, b, c, d, e]) => `${a}${b}${c}${d}${e}`);

  it('describes the endpoint URL as parsing it would, for any address the rules accept', () => {
    let accepted = 0;
    fc.assert(
      fc.property(typed, (text) => {
        let endpoint: ReturnType<typeof queueMetricsXmlRpcEndpoint>;
        try {
          endpoint = queueMetricsXmlRpcEndpoint(text);
        } catch (e) {
          // Refused addresses are refused as the user's input, never with a crash.
          expect(e, text).toBeInstanceOf(KeyfleetError);
          expect((e as KeyfleetError).code, text).toBe('BAD_INPUT');
          return;
        }
        accepted++;
        expect(endpoint.target, text).toEqual(httpTarget(new URL(endpoint.url)));
        // The client names the server in its messages by the endpoint's own host:port.
        expect(new QueueMetricsClient({ http: unused, baseUrl: text }).host, text).toBe(new URL(endpoint.url).host);
      }),
      { numRuns: 3000 },
    );
    // Most generated addresses are servers the rules take: the property was tested, not skipped.
    expect(accepted).toBeGreaterThan(1500);
  });

  it('splits the usual forms as expected', () => {
    expect(queueMetricsXmlRpcEndpoint('qm.example').target).toEqual({ protocol: 'http:', hostname: 'qm.example', port: '8080', host: 'qm.example:8080', path: '/queuemetrics/xmlrpc.do' });
    expect(queueMetricsXmlRpcEndpoint('https://[::1]:443/qm/?x=1#y').target).toEqual({ protocol: 'https:', hostname: '[::1]', port: '', host: '[::1]', path: '/qm/xmlrpc.do' });
  });
});
