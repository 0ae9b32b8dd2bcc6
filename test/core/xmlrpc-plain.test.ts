import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePlainXmlRpcResponse, decodeStringTablesResponse, encodePlainMethodCall } from '../../electron/core/net/xmlrpc-plain.ts';
import { qmBlocks } from '../../electron/core/vendors/queuemetrics/client.ts';

/**
 * The plain fast paths against the xmlrpc package they stand in for. For any response document,
 * the decoder either declines (null) or gives exactly the value xmlrpc's deserializer gives. Documents are generated
 * with every value type, random spacing and tag case, entities, bare values, self-closing tags,
 * faults, and then mutated (cut, repeated, spliced with comments, CDATA, attributes, stray tags)
 * so that the deserializer's errors and oddities are covered as well as its answers.
 */

const require = createRequire(import.meta.url);
const Deserializer = require('xmlrpc/lib/deserializer.js') as new (encoding?: string) => {
  deserializeMethodResponse(stream: NodeJS.ReadableStream, cb: (err: (Error & { faultCode?: unknown }) | null | undefined, value?: unknown) => void): void;
};
const serializer = require('xmlrpc/lib/serializer.js') as { serializeMethodResponse(value: unknown): string; serializeMethodCall(method: string, params: unknown[]): string };

type LibraryResult = { value: unknown } | { fault: unknown } | { error: string };

/** What the deserializer makes of `text`, the way the QueueMetrics client calls it. */
function library(text: string): Promise<LibraryResult> {
  return new Promise((resolve) => {
    let settled = false;
    const stream = new PassThrough();
    new Deserializer('utf8').deserializeMethodResponse(stream, (err, value) => {
      if (settled) return;
      settled = true;
      if (err && 'faultCode' in err && err.faultCode !== undefined) resolve({ fault: err });
      else if (err) resolve({ error: err.message });
      else resolve({ value });
    });
    stream.end(Buffer.from(text, 'utf8'));
  });
}

async function expectSameAsLibrary(doc: string): Promise<boolean> {
  // As the client has it: the body's bytes, and their text (a lone surrogate a cut left in a
  // generated document becomes U+FFFD on the way, for both).
  const text = Buffer.from(doc, 'utf8').toString('utf8');
  const plain = decodePlainXmlRpcResponse(text);
  if (plain === null) return false;
  const lib = await library(text);
  expect(lib, text).toStrictEqual(plain);
  return true;
}

// --- a generator of XML-RPC responses as servers write them, and as they might ---

const space = fc.constantFrom('', '', '', ' ', '\n', '\r\n', '\t', '\n  ');
/** A tag name as a server might case it. */
const cased = (name: string) => fc.constantFrom(name, name, name.toLowerCase(), name.toUpperCase());

const textChar = fc.constantFrom('a', 'Z', '0', '5', ' ', '\n', '\t', '<', '>', '&', '"', "'", '-', '.', 'é', '€', '😀', ']]>', ';', '#');
const rawText = fc.array(textChar, { maxLength: 12 }).map((cs) => cs.join(''));
/** Text as XML: the five predefined entities (sometimes where they are optional), rarely a numeric one. */
const xmlText = fc.tuple(rawText, fc.boolean(), fc.nat(20)).map(([t, verbose, odd]) =>
  t.replace(/[&<>"']/g, (c) => {
    if (c === '&') return odd === 0 ? '&#38;' : '&amp;';
    if (c === '<') return '&lt;';
    if (!verbose) return c;
    return { '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]!;
  }),
);

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noDefaultInfinity: false }).map(String),
  fc.constantFrom('', ' 7 ', '12abc', 'x', '-0', '+3', '1e3', '0x10', '9007199254740993', 'NaN', 'Infinity', '.5'),
);

const scalar: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(cased('string'), xmlText).map(([n, t]) => (t === '' && n === 'string' ? '<string/>' : `<${n}>${t}</${n}>`)),
  fc.tuple(fc.constantFrom('int', 'i4', 'INT', 'I4'), numberText).map(([n, t]) => `<${n}>${t}</${n}>`),
  fc.tuple(cased('i8'), numberText).map(([n, t]) => `<${n}>${t}</${n}>`),
  fc.tuple(cased('double'), numberText).map(([n, t]) => `<${n}>${t}</${n}>`),
  fc.tuple(cased('boolean'), fc.constantFrom('0', '1', '1', 'true', ' 1', '')).map(([n, t]) => `<${n}>${t}</${n}>`),
  fc.constantFrom('<nil/>', '<nil></nil>', '<NIL/>'),
  fc.constantFrom('<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>', '<base64>aGk=</base64>'),
);

const { value } = fc.letrec<{ value: string; array: string; struct: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(space, scalar, space).map(([a, v, b]) => `<value>${a}${v}${b}</value>`),
    xmlText.map((t) => `<value>${t}</value>`),
    fc.constant('<value/>'),
    tie('array').map((a) => `<value>${a}</value>`),
    tie('struct').map((s) => `<value>${s}</value>`),
  ),
  array: fc.tuple(fc.array(fc.tuple(tie('value'), space), { maxLength: 4 }), space).map(([items, s]) =>
    items.length === 0 ? `<array>${s}<data/>${s}</array>` : `<array><data>${items.map(([v, sp]) => v + sp).join('')}</data></array>`,
  ),
  struct: fc
    .array(fc.tuple(fc.oneof({ weight: 9, arbitrary: xmlText }, { weight: 1, arbitrary: fc.constant('__proto__') }), tie('value'), space, fc.nat(15)), { maxLength: 4 })
    .map((members) => `<struct>${members.map(([name, v, s, odd]) => `<member>${s}${odd === 0 ? '' : `<name>${name}</name>`}${s}${v}</member>`).join('')}</struct>`),
}));

const faultDoc = fc
  .tuple(fc.integer(), xmlText)
  .map(([code, msg]) => `<fault><value><struct><member><name>faultCode</name><value><int>${code}</int></value></member><member><name>faultString</name><value><string>${msg}</string></value></member></struct></value></fault>`);

const body = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(value, space).map(([v, s]) => `<params>${s}<param>${s}${v}${s}</param>${s}</params>`) },
  { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 2 }).map((vs) => `<params>${vs.map((v) => `<param>${v}</param>`).join('')}</params>`) },
  { weight: 1, arbitrary: fc.constantFrom('<params/>', '<params></params>', '') },
  { weight: 1, arbitrary: faultDoc },
);

const documents = fc
  .tuple(fc.constantFrom('<?xml version="1.0"?>', "<?xml version='1.0'?>", '<?xml version="1.0" encoding="UTF-8"?>', ''), space, cased('methodResponse'), body, space)
  .map(([decl, s, root, inner, tail]) => `${decl}${s}<${root}>${s}${inner}${s}</${root}>${tail}`);

const splice = fc.constantFrom('<', '>', '&', '&bogus;', '<!-- note -->', '<![CDATA[x<y]]>', '<value>', '</value>', '</data>', '<struct>', '<foo>', '</foo>', ' a="1"', '/', 'text', '<?pi x?>', '<!DOCTYPE x>', '\uFEFF');
const mutated = fc.tuple(documents, fc.nat(), fc.nat(), fc.nat(3), splice).map(([doc, a, b, how, insert]) => {
  const i = a % (doc.length + 1);
  const j = Math.min(doc.length, i + (b % 12));
  if (how === 0) return doc.slice(0, i) + doc.slice(j); // cut
  if (how === 1) return doc.slice(0, j) + doc.slice(i, j) + doc.slice(j); // repeat
  return doc.slice(0, i) + insert + doc.slice(i); // splice in
});

describe('plain XML-RPC responses decoded without the SAX parser', () => {
  it('gives exactly what the xmlrpc deserializer gives, or declines', async () => {
    let decoded = 0;
    await fc.assert(
      fc.asyncProperty(documents, async (doc) => {
        if (await expectSameAsLibrary(doc)) decoded++;
      }),
      { numRuns: 1500 },
    );
    // The fast path is really taken (most generated documents are plain).
    expect(decoded).toBeGreaterThan(300);
  });

  it('declines whatever the deserializer refuses or reads otherwise: mutated documents', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (doc) => {
        await expectSameAsLibrary(doc);
      }),
      { numRuns: 2500 },
    );
  });

  it('decodes the answers of the xmlrpc serializer and of Python QueueMetrics simulators', async () => {
    const row = (label: string, v: string) => `<value><array><data>\n<value><string>${label}</string></value>\n<value><string>${v}</string></value>\n</data></array></value>\n`;
    const python =
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>result</name>\n<value><array><data>\n" +
      row('Status', 'OK') +
      row('Key', '5231317C000000017C4B46424E43487C307C') +
      '</data></array></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n';
    expect(await expectSameAsLibrary(python)).toBe(true);
    expect(decodePlainXmlRpcResponse(python)).toEqual({ value: { result: [['Status', 'OK'], ['Key', '5231317C000000017C4B46424E43487C307C']] } });
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue().filter((v) => JSON.stringify(v).length < 2000),
        async (v) => {
          // The serializer writes strings with markup characters as CDATA, which the fast path leaves to the parser.
          const doc = serializer.serializeMethodResponse(v);
          const taken = await expectSameAsLibrary(doc);
          if (!doc.includes('CDATA')) expect(taken, doc).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('declines a struct whose members fall out of step, where the deserializer uses a value as a name', async () => {
    // Found by the mutation property: the first member has no name, so the second's name is paired
    // with the first's value and its value (a struct with no prototype, from a member named
    // __proto__) becomes a name, which the deserializer cannot convert.
    const doc =
      '<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><struct><member><value/></member>' +
      '<member><name></name><value><struct><member><name>__proto__</name><value><nil/></value></member></struct></value></member>' +
      '</struct></value></data></array></value></param></params></methodResponse>';
    expect(await library(doc)).toEqual({ error: 'Cannot convert object to primitive value' });
    expect(decodePlainXmlRpcResponse(doc)).toBeNull();
    // Out of step with names that convert, the decoder declines too; the deserializer decides.
    const shifted = doc.replace('<name>__proto__</name>', '<name>a</name>');
    expect(decodePlainXmlRpcResponse(shifted)).toBeNull();
    expect(await library(shifted)).toHaveProperty('value');
  });

  it('leaves faults, dates, base64, comments and CDATA to the full parser', () => {
    const wrap = (v: string) => `<?xml version="1.0"?><methodResponse><params><param><value>${v}</value></param></params></methodResponse>`;
    expect(decodePlainXmlRpcResponse(wrap('<string>ok</string>'))).toEqual({ value: 'ok' });
    for (const v of ['<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>', '<base64>aGk=</base64>', '<string><![CDATA[a<b]]></string>', '<!-- c --><string>x</string>', '<string a="1">x</string>', '<string>&#60;</string>']) {
      expect(decodePlainXmlRpcResponse(wrap(v)), v).toBeNull();
    }
    expect(decodePlainXmlRpcResponse('<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member></struct></value></fault></methodResponse>')).toBeNull();
  });
});

/** QueueMetrics' answer shape (a struct of tables of strings), as servers might space and escape it. */
const tableCell = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(space, xmlText, space).map(([a, t, b]) => (t === '' ? `<value>${a}<string/>${b}</value>` : `<value>${a}<string>${t}</string>${b}</value>`)) },
  { weight: 1, arbitrary: fc.tuple(cased('string'), xmlText).map(([n, t]) => `<value><${n}>${t}</${n}></value>`) },
  { weight: 1, arbitrary: xmlText.map((t) => `<value>${t}</value>`) },
);
const tableRow = fc
  .tuple(fc.array(fc.tuple(tableCell, space), { maxLength: 4 }), space)
  .map(([cells, s]) => `<value>${s}<array>${s}<data>${s}${cells.map(([c, sp]) => c + sp).join('')}</data>${s}</array>${s}</value>`);
const tableMember = fc
  .tuple(fc.oneof(fc.constantFrom('result', 'info', 'result', 'Key', '__proto__'), xmlText), fc.array(fc.tuple(tableRow, space), { maxLength: 5 }), space)
  .map(([name, rows, s]) => `<member>${s}<name>${name}</name>${s}<value>${s}<array>${s}<data>${s}${rows.map(([r, sp]) => r + sp).join('')}</data>${s}</array>${s}</value>${s}</member>`);
const tableDocuments = fc
  .tuple(fc.constantFrom('<?xml version="1.0"?>', "<?xml version='1.0'?>", ''), space, fc.array(fc.tuple(tableMember, space), { maxLength: 3 }), space)
  .map(([decl, s, members, tail]) => `${decl}${s}<methodResponse>${s}<params>${s}<param>${s}<value>${s}<struct>${s}${members.map(([m, sp]) => m + sp).join('')}</struct>${s}</value>${s}</param>${s}</params>${s}</methodResponse>${tail}`);

/** The same mutations (cut, repeat, splice) on QueueMetrics-shaped answers. */
const mutatedTables = fc.tuple(tableDocuments, fc.nat(), fc.nat(), fc.nat(3), splice).map(([doc, a, b, how, insert]) => {
  const i = a % (doc.length + 1);
  const j = Math.min(doc.length, i + (b % 12));
  if (how === 0) return doc.slice(0, i) + doc.slice(j);
  if (how === 1) return doc.slice(0, j) + doc.slice(i, j) + doc.slice(j);
  return doc.slice(0, i) + insert + doc.slice(i);
});

describe('QueueMetrics answers (a struct of tables of strings) read by two regular expressions', () => {
  it('gives exactly what the xmlrpc deserializer gives, or declines', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(tableDocuments, mutatedTables), async (doc) => {
        const text = Buffer.from(doc, 'utf8').toString('utf8');
        const fast = decodeStringTablesResponse(text);
        if (fast === null) return;
        taken++;
        expect(await library(text), text).toStrictEqual(fast);
        // The QueueMetrics client uses it as its blocks as they are: folding it into blocks changes nothing.
        expect(qmBlocks(fast.value), text).toStrictEqual(fast.value);
        expect(Object.getPrototypeOf(fast.value), text).toBe(Object.prototype);
      }),
      { numRuns: 2000 },
    );
    // The path is really taken: generated text often holds an entity, and a cell other casing or a bare value, which it declines.
    expect(taken).toBeGreaterThan(200);
  });

  it('takes the answers QueueMetrics servers and the simulators write, and declines entities, other casing and bare values', () => {
    const answer = '<?xml version="1.0"?>\n<methodResponse><params><param><value><struct><member><name>result</name><value><array><data><value><array><data><value><string>Status</string></value><value><string>OK</string></value></data></array></value><value><array><data><value><string>Key</string></value><value><string>5231317C000000017C4B46424E43487C307C</string></value></data></array></value></data></array></value></member><member><name>info</name><value><array><data></data></array></value></member></struct></value></param></params></methodResponse>\n';
    const value = { result: [['Status', 'OK'], ['Key', '5231317C000000017C4B46424E43487C307C']], info: [] };
    expect(decodeStringTablesResponse(answer)).toEqual({ value });
    expect(decodePlainXmlRpcResponse(answer)).toEqual({ value });
    const python = answer.replaceAll('><', '>\n<').replace('"1.0"', "'1.0'");
    expect(decodeStringTablesResponse(python)).toEqual({ value });
    for (const declined of [answer.replace('>OK<', '>O&amp;K<'), answer.replace('<string>Status</string>', 'Status'), answer.replace('<string>OK</string>', '<STRING>OK</STRING>'), answer.replace('>OK<', '>O\r\nK<'), ` ${answer}`, answer.replace('<data></data>', '<data/>')]) {
      expect(decodeStringTablesResponse(declined), declined).toBeNull();
      // The general decoder still reads what it can.
      if (!declined.startsWith(' ')) expect(decodePlainXmlRpcResponse(declined)).not.toBeNull();
    }
  });
});

describe('plain XML-RPC calls written without xmlbuilder', () => {
  const serialize = (method: string, params: string[]): string | Error => {
    try {
      return serializer.serializeMethodCall(method, params);
    } catch (e) {
      return e as Error;
    }
  };
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: fc.constantFrom('a', '0', ' ', '<', '>', '&', ']', '"', "'", '\t', '\r', '\n', '\u0000', '\u007f', 'é', '\ud800'), maxLength: 10 }),
  );
  const plainString = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)).filter((c) => !'<>&'.includes(c)), maxLength: 30 });

  it('writes exactly what the serializer writes, or declines', () => {
    fc.assert(
      fc.property(fc.oneof(plainString, anyString), fc.array(fc.oneof(plainString, anyString, fc.constant('')), { maxLength: 4 }), (method, params) => {
        const plain = encodePlainMethodCall(method, params);
        if (plain !== null) expect(plain).toBe(serialize(method, params));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes every call of printable ASCII without markup characters itself', () => {
    fc.assert(
      fc.property(plainString.filter((m) => m !== ''), fc.array(plainString, { maxLength: 4 }), (method, params) => {
        expect(encodePlainMethodCall(method, params)).toBe(serialize(method, params));
      }),
      { numRuns: 1000 },
    );
    expect(encodePlainMethodCall('QM.setActivationKey', ['keyupdater', 'pa&ss', ''])).toBeNull();
    expect(encodePlainMethodCall('QM.setActivationKey', ['keyupdater', 'secret', ''])).toBe(
      '<?xml version="1.0"?><methodCall><methodName>QM.setActivationKey</methodName><params><param><value><string>keyupdater</string></value></param><param><value><string>secret</string></value></param><param><value><string/></value></param></params></methodCall>',
    );
  });
});
