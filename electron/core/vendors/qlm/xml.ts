import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { excerpt } from '../../net/http.ts';
import { KeyfleetError } from '../../errors.ts';

/** A parsed element: children by name, attributes as `@_name`, text as `#text`. */
export type XmlNode = Record<string, unknown>;

/** Marks a body that started as XML but is not well-formed (a cut answer, typically). */
export const MALFORMED_XML = 'malformed-xml';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keys, versions and ids stay text: "007" must not become 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
});

const ROOT = 'QuickLicenseManager';

/**
 * The text after any leading comments. A loop, not a repeated lazy group in one regex
 * (`(?:<!--[\s\S]*?-->\s*)*`), which backtracks exponentially when what follows does not match.
 */
function skipLeadingComments(text: string): string {
  let rest = text;
  while (rest.startsWith('<!--')) {
    const end = rest.indexOf('-->', 4);
    if (end < 0) return rest;
    rest = rest.slice(end + 3).trimStart();
  }
  return rest;
}

function looksLikeHtml(text: string): boolean {
  const start = text.slice(0, 2000);
  return /^<!doctype\s+html/i.test(skipLeadingComments(text)) || /^<html[\s>]/i.test(start) || /<body[\s>]/i.test(start);
}

function validate(text: string): true | string {
  const result = XMLValidator.validate(text);
  return result === true ? true : result.err.msg;
}

/** Children of a node by name, ignoring case (servers differ in casing: productID / productId). */
export function child(node: XmlNode | null | undefined, name: string): unknown {
  if (!node) return undefined;
  if (name in node) return node[name];
  const lower = name.toLowerCase();
  const key = Object.keys(node).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : node[key];
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of an element, whether it parsed as a plain string or as a node with attributes. */
export function textOf(value: unknown): string | null {
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'string') return value;
  if (isNode(value)) {
    const t = value['#text'];
    if (typeof t === 'string') return t;
    return Object.keys(value).every((k) => k.startsWith('@_')) ? '' : null;
  }
  return null;
}

export function childText(node: XmlNode | null | undefined, name: string): string | null {
  const value = child(node, name);
  return value === undefined ? null : textOf(value);
}

/**
 * Parses a License Server answer into the content of its `<QuickLicenseManager>` element.
 * Tolerates a UTF-8 BOM, an `<?xml …?>` prolog, a root-less fragment and the ASMX habit of
 * wrapping a string result in `<string xmlns=…>` with the XML escaped inside.
 * An HTML page, plain text or broken XML is a BAD_RESPONSE (broken XML carries
 * details.reason = MALFORMED_XML so callers can tell a cut answer from a wrong server).
 * `clean` is applied to every piece of server text quoted in an error (to mask secrets).
 */
export function parseQlmXml(body: string, what: string, clean: (serverText: string) => string = (t) => t): XmlNode {
  const text = body.replace(/^[\uFEFF\s]+/, '');
  if (!text) throw new KeyfleetError('BAD_RESPONSE', `${what} answered with an empty body instead of QLM XML`);
  if (looksLikeHtml(text)) {
    throw new KeyfleetError('BAD_RESPONSE', `${what} answered with an HTML page instead of QLM XML (is the server URL right?): ${excerpt(clean(text))}`);
  }
  if (!text.startsWith('<')) throw new KeyfleetError('BAD_RESPONSE', `${what} answered with text that is not XML: ${excerpt(clean(text))}`);

  let xml = text;
  let problem = validate(xml);
  if (problem !== true && /multiple possible root/i.test(problem)) {
    xml = `<${ROOT}>${text.replace(/^<\?xml[^>]*\?>\s*/i, '')}</${ROOT}>`;
    problem = validate(xml);
  }
  if (problem !== true) {
    throw new KeyfleetError('BAD_RESPONSE', `${what} answered with XML that is cut short or malformed (${excerpt(clean(problem))})`, { reason: MALFORMED_XML });
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (e) {
    // The validator passes some documents the parser still refuses (e.g. nesting deeper than it allows).
    throw new KeyfleetError('BAD_RESPONSE', `${what} answered with XML that cannot be read (${excerpt(clean((e as Error).message))})`, { reason: MALFORMED_XML });
  }

  const wrapped = child(doc, 'string');
  const inner = textOf(wrapped);
  if (wrapped !== undefined && inner && inner.trim().startsWith('<')) return parseQlmXml(inner, what, clean);

  if (child(doc, 'html') !== undefined) {
    throw new KeyfleetError('BAD_RESPONSE', `${what} answered with an HTML page instead of QLM XML (is the server URL right?): ${excerpt(clean(text))}`);
  }
  const root = child(doc, ROOT);
  if (root === undefined) return doc;
  return isNode(root) ? root : { '#text': textOf(root) ?? '' };
}

/** A server-reported failure: the code when one could be found, and the server's words. */
export interface QlmServerError {
  code: number | null;
  text: string;
}

/**
 * Where a number may sit in the text. Matched against the first and last PROBE_CHARS only, and
 * written without adjacent `\s*` runs, which backtrack polynomially on long runs of spaces.
 */
const PROBE_CHARS = 300;
const CODE_AT_START: readonly RegExp[] = [
  /^\s*err(?:or)?(?:\s*(?:code|no\.?|number))?[\s:#]*(\d{1,4})\b/i, // "Error 8: …", "Error code 8 - …", "Error #8"
  /^\s*\[(\d{1,4})\]/, // "[8] …"
  /^\s*(\d{1,4})\s*[:\-–—.)]/, // "8 - …", "8: …"
];
const CODE_AT_END = /\((?:error code|error|code)[\s:#]*(\d{1,4})\)[\s.]*$/i; // "… (error 8)"


/** Meaning guessed from the words when a server gives no number. Order matters. */
const CODE_BY_WORDS: ReadonlyArray<readonly [number, RegExp]> = [
  [7, /\bdisabled\b|not enabled|\benable[A-Z]\w*/i],
  [201, /\brevoked\b/i],
  [209, /\bexpired\b/i],
  [210, /no more activations|maximum number of activations|activations? exceeded|exceeded [^\n]{0,80}activations/i],
  [8, /authenticat|credential|password|unauthori[sz]ed|invalid user|access denied/i],
  [203, /not found|does not exist|unknown (?:activation |license )?key|invalid (?:activation |license )?key/i],
  [208, /\bmissing\b|\brequired\b/i],
];

function numberFrom(value: unknown): number | null {
  const t = textOf(value)?.trim();
  return t && /^\d{1,6}$/.test(t) ? Number(t) : null;
}

/**
 * INFERRED: Soraco documents `<error>Details</error>` and the numeric codes, but not how the
 * number appears. Accepted: an attribute (`<error code="8">`), a child (`<error><code>8</code>
 * <message>…</message></error>`), a sibling `<errorCode>`, a number leading or closing the
 * text ("Error 8: …", "8 - …", "[8] …", "… (error 8)"), or words alone (guessed from them).
 * Returns null when the answer carries no error.
 */
export function readQlmError(root: XmlNode): QlmServerError | null {
  const error = child(root, 'error');
  const siblingCode = numberFrom(child(root, 'errorCode'));
  if (error === undefined && siblingCode === null) return null;

  const node = isNode(error) ? error : null;
  let text = textOf(error) ?? '';
  if (node && !text) text = childText(node, 'message') ?? childText(node, 'description') ?? childText(node, 'text') ?? '';
  if (!text) text = childText(root, 'errorMessage') ?? childText(root, 'result') ?? '';
  text = text.trim();

  let code =
    numberFrom(node?.['@_code']) ??
    numberFrom(node?.['@_errorCode']) ??
    numberFrom(node?.['@_number']) ??
    numberFrom(child(node, 'code')) ??
    numberFrom(child(node, 'errorCode')) ??
    siblingCode;
  if (code === null) {
    const head = text.slice(0, PROBE_CHARS);
    for (const re of CODE_AT_START) {
      const m = re.exec(head);
      if (m) {
        code = Number(m[1]);
        break;
      }
    }
    const m = code === null ? CODE_AT_END.exec(text.slice(-PROBE_CHARS)) : null;
    if (m) code = Number(m[1]);
  }
  const words = text.slice(0, 4 * PROBE_CHARS);
  if (code === null) code = CODE_BY_WORDS.find(([, re]) => re.test(words))?.[0] ?? null;
  return { code, text };
}

const KEY_SHAPE = /^[A-Z0-9]{3,}(?:-[A-Z0-9]{3,}){2,}$/i;

/**
 * The activation keys in a GetActivationKeyWithExpiryDate answer. Documented form:
 * `<licenses><license><activationKey>…</activationKey></license>…</licenses>`.
 * INFERRED for older servers: `<activationKey>` directly under the root, or a `<result>`
 * holding the key(s) (several separated by `;`, `,` or spaces).
 */
export function extractActivationKeys(root: XmlNode): string[] {
  const keys: string[] = [];
  const add = (k: string | null) => {
    const key = k?.trim();
    if (key && !keys.includes(key)) keys.push(key);
  };
  const licenses = [
    ...asArray(child(root, 'licenses')).flatMap((l) => asArray(isNode(l) ? child(l, 'license') : undefined)),
    ...asArray(child(root, 'license')),
  ];
  for (const license of licenses) {
    if (isNode(license)) add(childText(license, 'activationKey') ?? childText(license, 'avkey'));
    else add(textOf(license));
  }
  for (const k of asArray(child(root, 'activationKey'))) add(textOf(k));
  if (keys.length === 0) {
    for (const token of (childText(root, 'result') ?? '').split(/[;,\s]+/)) if (KEY_SHAPE.test(token)) add(token);
  }
  return keys;
}
