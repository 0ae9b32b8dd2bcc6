import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { QueueMetricsClient } from '../../../electron/core/vendors/queuemetrics/client.ts';
import { ASYNC_TIMEOUT_MS, XML_TOKENS, answeringServer, escapeXml, expectCleanError, httpStatus, mutated, pathological, transport, xmlText } from '../../helpers/properties.ts';
import { bigBodies, longAnswersFinishInLinearTime } from '../../helpers/parser-worker.ts';

/** Property tests of XML-RPC answers read by the QueueMetrics client over real HTTP. */

const server = answeringServer();

const { value: xmlRpcValue } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlText.map((s) => `<value><string>${s}</string></value>`),
    xmlText.map((s) => `<value>${s}</value>`),
    fc.integer().map((n) => `<value><int>${n}</int></value>`),
    fc.integer().map((n) => `<value><i4>${n}</i4></value>`),
    fc.boolean().map((b) => `<value><boolean>${b ? 1 : 0}</boolean></value>`),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => `<value><double>${n}</double></value>`),
    fc.constant('<value><nil/></value>'),
    fc.base64String({ maxLength: 24 }).map((s) => `<value><base64>${s}</base64></value>`),
    fc.constantFrom('20240501T10:00:00', '2024-05-01T10:00:00Z', 'not a date').map((s) => `<value><dateTime.iso8601>${s}</dateTime.iso8601></value>`),
    fc.array(tie('value'), { maxLength: 4 }).map((vs) => `<value><array><data>${vs.join('')}</data></array></value>`),
    fc.array(fc.tuple(xmlText, tie('value')), { maxLength: 4 }).map((ms) => `<value><struct>${ms.map(([n, v]) => `<member><name>${n}</name>${v}</member>`).join('')}</struct></value>`),
  ),
}));
const QM_KEY = fc.stringMatching(/^[A-F0-9]{8}(-[A-F0-9]{8}){3,8}$/);
/** QueueMetrics' own shape: a struct of blocks, each a list of rows of strings. */
const qmBlocksArb = fc.dictionary(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/),
  fc.array(fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), { maxLength: 4 }),
  { maxKeys: 4 },
);
const qmBlocksXml = (blocks: Record<string, string[][]>) =>
  `<value><struct>${Object.entries(blocks)
    .map(
      ([name, rows]) =>
        `<member><name>${escapeXml(name)}</name><value><array><data>${rows
          .map((r) => `<value><array><data>${r.map((c) => `<value><string>${escapeXml(c)}</string></value>`).join('')}</data></array></value>`)
          .join('')}</data></array></value></member>`,
    )
    .join('')}</struct></value>`;
const methodResponse = (value: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>${value}</param></params></methodResponse>`;
const faultResponse = (code: string, text: string) =>
  `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name>${code}</member><member><name>faultString</name>${text}</member></struct></value></fault></methodResponse>`;
const validXmlRpc = fc.oneof(
  xmlRpcValue.map(methodResponse),
  fc.tuple(qmBlocksArb, QM_KEY).map(([b, key]) => methodResponse(qmBlocksXml({ ...b, result: [['Status', 'OK'], ['Key', key]] }))),
  fc.tuple(xmlRpcValue, xmlRpcValue).map(([c, t]) => faultResponse(c, t)),
  fc.constantFrom('login failed for user keyupdater', 'Missing security key KEYUPDATE', 'Something broke').map((t) => faultResponse('<value><int>1</int></value>', `<value><string>${t}</string></value>`)),
);
const anyXmlRpc = fc.oneof(
  validXmlRpc,
  mutated(validXmlRpc, XML_TOKENS),
  fc.string({ maxLength: 200 }),
);
const longXmlRpc = pathological(['<', '<value>', '<array><data>', '<!---->', ' ', '&amp;', '<struct><member><name>a</name>', '<a>'], ['', '<?xml version="1.0"?>', '<methodResponse><params><param>', '<methodResponse><fault>']);

describe('XML-RPC answers (QueueMetricsClient.readKey)', () => {
  const SECRET = 'qm-Pr0p-S3cret';
  let client: QueueMetricsClient;
  beforeEach(() => {
    client = new QueueMetricsClient({ http: transport, baseUrl: `${server.url}/queuemetrics`, user: 'keyupdater', secret: SECRET, timeoutMs: 2_000 });
  });

  it('a well-formed QueueMetrics answer reads back exactly its blocks and key', async () => {
    await fc.assert(
      fc.asyncProperty(qmBlocksArb, QM_KEY, async (blocks, key) => {
        const all = { ...blocks, result: [['Status', 'OK'], ['Key', key]] };
        server.answerWith(200, methodResponse(qmBlocksXml(all)), 'text/xml');
        const read = await client.readKey();
        expect(read.blocks).toEqual(all);
        expect(read.key).toBe(key);
      }),
      { numRuns: 150, timeout: ASYNC_TIMEOUT_MS },
    );
  });

  it('random and mutated XML never crashes or hangs: a readable key or a clean error', async () => {
    await fc.assert(
      fc.asyncProperty(httpStatus, anyXmlRpc, async (status, body) => {
        server.answerWith(status, body, 'text/xml');
        let read: Awaited<ReturnType<QueueMetricsClient['readKey']>>;
        try {
          read = await client.readKey();
        } catch (e) {
          const err = expectCleanError(e, ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'HTTP_STATUS'], new URL(server.url).host);
          expect(err.message).not.toContain(SECRET);
          return;
        }
        if (read.key !== null) expect(read.key).toMatch(/^[\x21-\x7e]{20,400}$/);
        for (const rows of Object.values(read.blocks)) for (const row of rows) for (const cell of row) expect(typeof cell).toBe('string');
      }),
      { numRuns: 600, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});
longAnswersFinishInLinearTime('qmReadKey', {
  title: 'XML-RPC answers through the QueueMetrics client (bodies up to 900 kB)',
  server,
  path: '/queuemetrics',
  contentType: 'text/xml',
  bodies: fc.oneof(longXmlRpc, bigBodies(['<', '<a', ' ', '<!---->'], ['', '<methodResponse>', '<html>'])),
  codes: ['BAD_RESPONSE', 'AUTH', 'DENIED', 'VENDOR_REFUSED', 'HTTP_STATUS'],
});
