/**
 * Fast paths for XML-RPC in its plain form, beside the xmlrpc package that handles every form.
 *
 * Responses: an optional `<?xml …?>` declaration, elements without attributes, text with only the
 * five predefined entities, and the value types an answer of strings, numbers, booleans, nils,
 * arrays and structs needs. The xmlrpc package's deserializer (a character-by-character SAX
 * parser behind two streams) costs ~0.15–0.3 ms an answer, as much CPU as the whole HTTP
 * exchange, and a bulk refresh decodes thousands. This decoder applies the same rules as that
 * deserializer to the same events (text collected since the last opening tag, a bare <value>
 * being a string, structs pairing names with values in order…), and answers null for anything
 * else — a fault, a date, base64, a comment, CDATA, an attribute, a malformed document, a value
 * the deserializer would refuse — so the caller hands those to the full parser, which answers as
 * it always has.
 *
 * Calls: string parameters of printable ASCII without markup characters are written as the
 * package's serializer writes them (it builds a DOM with xmlbuilder first, ~25 µs a call); any
 * other parameter is left to the serializer.
 *
 * Property tests hold both to the package's results on generated input.
 */

type Kind = 'methodresponse' | 'params' | 'param' | 'value' | 'string' | 'name' | 'int' | 'i8' | 'double' | 'boolean' | 'nil' | 'array' | 'struct' | 'data' | 'member';

/** Element names (matched case-insensitively, as the deserializer's SAX parser does) and what each one is. */
const KINDS = new Map<string, Kind>([
  ['methodresponse', 'methodresponse'],
  ['params', 'params'],
  ['param', 'param'],
  ['value', 'value'],
  ['string', 'string'],
  ['name', 'name'],
  ['int', 'int'],
  ['i4', 'int'],
  ['i8', 'i8'],
  ['double', 'double'],
  ['boolean', 'boolean'],
  ['nil', 'nil'],
  ['array', 'array'],
  ['struct', 'struct'],
  ['data', 'data'],
  ['member', 'member'],
]);

const XML_DECLARATION = /<\?xml(?:[ \t\r\n][^<>?]*)?\?>/y;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;
const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const ENTITY_TEXT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const I8 = /^-?\d+$/;

/** Not in the plain subset: the full parser decides. */
class Unplain extends Error {}
const UNPLAIN = new Unplain();

function textOf(raw: string): string {
  if (!raw.includes('&')) return raw;
  if (raw.replace(ENTITY, '').includes('&')) throw UNPLAIN;
  return raw.replace(ENTITY, (_, name: string) => ENTITY_TEXT[name]!);
}

/** The element's name as the parser compares names (case-insensitively), if it is one this decoder knows. */
function knownName(raw: string): string {
  if (KINDS.has(raw)) return raw;
  const name = raw.toLowerCase();
  if (!KINDS.has(name)) throw UNPLAIN;
  return name;
}

/** The deserializer's state and its handlers for opening tags, text and closing tags. */
class Decoding {
  readonly stack: unknown[] = [];
  readonly marks: number[] = [];
  data = '';
  /** Inside a <value> whose content is still bare text (no type element opened since). */
  bareValue = false;
  sawMethodResponse = false;
  sawParams = false;

  open(kind: Kind): void {
    if (kind === 'array' || kind === 'struct') this.marks.push(this.stack.length);
    this.data = '';
    this.bareValue = kind === 'value';
  }

  close(kind: Kind): void {
    const data = this.data;
    switch (kind) {
      case 'boolean':
        if (data !== '1' && data !== '0') throw UNPLAIN;
        this.push(data === '1');
        break;
      case 'int': {
        const n = parseInt(data, 10);
        if (Number.isNaN(n)) throw UNPLAIN;
        this.push(n);
        break;
      }
      case 'i8':
        if (!I8.test(data)) throw UNPLAIN;
        this.push(data);
        break;
      case 'double': {
        const n = parseFloat(data);
        if (Number.isNaN(n)) throw UNPLAIN;
        this.push(n);
        break;
      }
      case 'string':
      case 'name':
        this.push(data);
        break;
      case 'nil':
        this.push(null);
        break;
      case 'array': {
        const mark = this.marks.pop()!;
        this.stack.splice(mark, this.stack.length - mark, this.stack.slice(mark));
        this.bareValue = false;
        break;
      }
      case 'struct': {
        const mark = this.marks.pop()!;
        const items = this.stack.slice(mark);
        const struct: Record<string, unknown> = {};
        for (let i = 0; i < items.length; i += 2) {
          const name = items[i];
          // Members out of step (one without a name) put a value where a name belongs; the
          // deserializer then uses that value as a key, and fails on one that will not convert
          // (a struct whose prototype a member named __proto__ cleared). Left to it.
          if (typeof name !== 'string') throw UNPLAIN;
          struct[name] = items[i + 1];
        }
        this.stack.splice(mark, this.stack.length - mark, struct);
        this.bareValue = false;
        break;
      }
      case 'value':
        if (this.bareValue) this.push(data);
        break;
      case 'params':
        this.sawParams = true;
        break;
      case 'methodresponse':
        this.sawMethodResponse = true;
        break;
      case 'param':
      case 'data':
      case 'member':
        break;
    }
  }

  push(value: unknown): void {
    this.stack.push(value);
    this.bareValue = false;
  }
}

/**
 * The value of a plain XML-RPC method response (`{ value }`, as xmlrpc's deserializer would give
 * it), or null when `text` is anything else and the full parser must decide (faults included).
 */
export function decodePlainXmlRpcResponse(text: string): { value: unknown } | null {
  try {
    return decode(text);
  } catch (e) {
    if (e === UNPLAIN) return null;
    throw e;
  }
}

function decode(text: string): { value: unknown } {
  const d = new Decoding();
  // Names of the elements open, innermost last: a closing tag must name the innermost (<i4> is
  // closed by </i4>, not by </int>, though both are integers).
  const open: string[] = [];
  let rootClosed = false;
  let pos = 0;
  for (;;) {
    const lt = text.indexOf('<', pos);
    const raw = text.slice(pos, lt === -1 ? text.length : lt);
    if (open.length === 0) {
      // Outside the root the deserializer ignores text; a server writes at most whitespace there.
      if (!WHITESPACE_ONLY.test(raw)) throw UNPLAIN;
    } else if (raw !== '') d.data += textOf(raw);
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) {
      // Only the declaration, and only before the root.
      XML_DECLARATION.lastIndex = lt;
      if (open.length > 0 || rootClosed || !XML_DECLARATION.test(text)) throw UNPLAIN;
      pos = XML_DECLARATION.lastIndex;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt === -1) throw UNPLAIN;
    if (next === 0x2f /* / */) {
      const name = knownName(text.slice(lt + 2, gt));
      if (open.pop() !== name) throw UNPLAIN;
      d.close(KINDS.get(name)!);
      if (open.length === 0) rootClosed = true;
    } else {
      const selfClosing = text.charCodeAt(gt - 1) === 0x2f;
      const name = knownName(text.slice(lt + 1, selfClosing ? gt - 1 : gt));
      const kind = KINDS.get(name)!;
      if (open.length === 0 && (rootClosed || kind !== 'methodresponse')) throw UNPLAIN;
      d.open(kind);
      if (selfClosing) {
        d.close(kind);
        if (open.length === 0) rootClosed = true;
      } else open.push(name);
    }
    pos = gt + 1;
  }
  if (!rootClosed || open.length > 0 || d.marks.length > 0 || !d.sawMethodResponse || !d.sawParams || d.stack.length > 1) throw UNPLAIN;
  return { value: d.stack[0] };
}

/*
 * A faster path still, for the answer QueueMetrics gives every call: a struct of named tables,
 * each an array of rows, each an array of strings. A bulk refresh decodes thousands of these,
 * most of them while the decoder above is still running as unoptimised code (~40 µs an answer in
 * the first thousand); two regular expressions, which V8 compiles to machine code, recognise and
 * take apart the same document in a few. Only that shape, in lower-case tags, with white space
 * between tags and no entity or carriage return in any text, up to 64 KiB, is taken; anything
 * else is left to the decoder above (the QueueMetrics client asks this first, then that).
 */
const WS = '[ \\t\\r\\n]*';
const TEXT = '[^<&\\r]*';
const CELL = `<value>${WS}(?:<string>${TEXT}</string>|<string/>)${WS}</value>`;
const ROW = `<value>${WS}<array>${WS}<data>${WS}(?:${CELL}${WS})*</data>${WS}</array>${WS}</value>`;
const MEMBER = `<member>${WS}<name>${TEXT}</name>${WS}<value>${WS}<array>${WS}<data>${WS}(?:${ROW}${WS})*</data>${WS}</array>${WS}</value>${WS}</member>`;
const STRING_TABLES = new RegExp(
  `^(?:<\\?xml(?:[ \\t\\r\\n][^<>?]*)?\\?>)?${WS}<methodResponse>${WS}<params>${WS}<param>${WS}<value>${WS}<struct>${WS}(?:${MEMBER}${WS})*</struct>${WS}</value>${WS}</param>${WS}</params>${WS}</methodResponse>${WS}$`,
);
/**
 * In a document STRING_TABLES accepted: a member's name with the opening of its table, or one
 * row (its cells in group 2). A member's table is opened right after its name, so every other
 * array opened is a row, even an empty one.
 */
const TABLE_PARTS = new RegExp(`<name>(${TEXT})</name>${WS}<value>${WS}<array>${WS}<data>|<value>${WS}<array>${WS}<data>((?:${WS}${CELL})*)${WS}</data>`, 'g');
/** The cells of a row TABLE_PARTS found: a string's text, or none for <string/>. */
const ROW_CELLS = new RegExp(`<string>(${TEXT})</string>|<string/>`, 'g');
/** Answers of a few kilobytes are what this path is for; a large one goes to the decoder above. */
const STRING_TABLES_MAX_LENGTH = 64 * 1024;

/** The value of a struct-of-string-tables answer, as decode() gives it, or null for any other document. */
export function decodeStringTablesResponse(text: string): { value: Record<string, string[][]> } | null {
  if (text.length > STRING_TABLES_MAX_LENGTH || !STRING_TABLES.test(text)) return null;
  const struct: Record<string, string[][]> = {};
  let rows: string[][] = [];
  TABLE_PARTS.lastIndex = 0;
  for (let part = TABLE_PARTS.exec(text); part !== null; part = TABLE_PARTS.exec(text)) {
    if (part[1] !== undefined) {
      // A member named __proto__ would set the struct's prototype, not a table: the decoder above decides.
      if (part[1] === '__proto__') return null;
      rows = [];
      struct[part[1]] = rows;
      continue;
    }
    const row: string[] = [];
    const cells = part[2]!;
    ROW_CELLS.lastIndex = 0;
    for (let cell = ROW_CELLS.exec(cells); cell !== null; cell = ROW_CELLS.exec(cells)) row.push(cell[1] ?? '');
    rows.push(row);
  }
  return { value: struct };
}

/** Printable ASCII without the characters the serializer escapes or wraps in CDATA. */
const PLAIN_STRING = /^[\x20-\x25\x27-\x3b\x3d\x3f-\x7e]*$/;

/**
 * The XML the xmlrpc package's serializeMethodCall writes for `method` and string `params`, or
 * null when a name or parameter is not plain and the serializer must write it.
 */
export function encodePlainMethodCall(method: string, params: readonly string[]): string | null {
  if (method === '' || !PLAIN_STRING.test(method)) return null;
  const head = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName>`;
  if (params.length === 0) return `${head}<params/></methodCall>`;
  let xml = `${head}<params>`;
  for (const p of params) {
    if (typeof p !== 'string' || !PLAIN_STRING.test(p)) return null;
    xml += p === '' ? '<param><value><string/></value></param>' : `<param><value><string>${p}</string></value></param>`;
  }
  return `${xml}</params></methodCall>`;
}
