import type { StoreData } from './schema.ts';

/**
 * A record's text as it appears in the file: a string rendered here, or a range of the bytes the
 * store was loaded from (`source`, from `start`), which are already exactly that text.
 */
interface Rendered {
  text: string;
  source: Buffer | null;
  start: number;
  bytes: number;
}

/**
 * Writes text at a running offset into a buffer while it fits, and counts every byte either way:
 * a walk that overflows still knows the size the file needs.
 */
class Cursor {
  offset = 0;
  readonly #out: Buffer;
  constructor(out: Buffer) {
    this.#out = out;
  }
  get overflowed(): boolean {
    return this.offset > this.#out.length;
  }
  /** ASCII text: its length is its byte count. */
  ascii(text: string): void {
    if (this.offset + text.length <= this.#out.length) this.#out.write(text, this.offset, 'latin1');
    this.offset += text.length;
  }
  /** The separator after an array element: ",\n", or "\n" after the last. */
  separator(last: boolean): void {
    const out = this.#out;
    if (this.offset + 2 <= out.length) {
      if (last) out[this.offset] = 0x0a;
      else {
        out[this.offset] = 0x2c;
        out[this.offset + 1] = 0x0a;
      }
    }
    this.offset += last ? 1 : 2;
  }
  /** Bytes `start`..`end` of `source` as they are. */
  bytes(source: Buffer, start: number, end: number): void {
    if (this.offset + end - start <= this.#out.length) source.copy(this.#out, this.offset, start, end);
    this.offset += end - start;
  }
  rendered(r: Rendered): void {
    if (this.offset + r.bytes <= this.#out.length) {
      if (r.source) r.source.copy(this.#out, this.offset, r.start, r.start + r.bytes);
      // As many bytes as characters: ASCII, copied as Latin-1 (the same bytes, without encoding).
      else if (r.bytes === r.text.length) this.#out.write(r.text, this.offset, 'latin1');
      else this.#out.write(r.text, this.offset, 'utf8');
    }
    this.offset += r.bytes;
  }
}

/**
 * Renders store snapshots byte for byte as `JSON.stringify(data, null, '\t') + '\n'` would, but
 * stringifies only the records it has not rendered before: a commit that changes 200 of 25,000
 * records renders 200, and the file is assembled in one reused buffer, in one pass while the
 * buffer is big enough, instead of a new 12 MB string and its UTF-8 copy per write. Frozen
 * records cannot change, so a record's text (with its indent) is kept for as long as the record
 * lives.
 */
export class SnapshotWriter {
  readonly #keys: readonly (keyof StoreData)[];
  readonly #texts = new WeakMap<object, Rendered>();
  /**
   * Each collection as last rendered, with the kept text of each frozen element: a commit copies
   * an array and replaces a few elements in place, so most elements are found at the same index
   * (an identity check) rather than looked up in #texts (a hash lookup, 25,000 a write).
   */
  readonly #lastLists = new Map<keyof StoreData, ListTexts>();
  #buffer = Buffer.alloc(0);
  /** Records rendered to text so far (not found kept or loaded): what a commit really cost. */
  #renderedRecords = 0;

  constructor(keys: readonly (keyof StoreData)[]) {
    this.#keys = keys;
  }

  get renderedRecords(): number {
    return this.#renderedRecords;
  }

  /**
   * Take the collections' record texts from the bytes `data` was loaded from, which must be
   * exactly its rendering (a file Keyfleet wrote, as its stamp or a full validation showed):
   * the first commit after opening a store of 25,000 records then renders only the records it
   * changed, not all of them (~0.1 s, with the event loop blocked). Each element spans from its
   * indent to the first line break followed by its closing indent, since line breaks inside a
   * record only come before deeper indents (a string's line breaks are escaped). Anything
   * unexpected, and the texts are rendered as they would have been without this.
   */
  seed(data: StoreData, bytes: Buffer): void {
    const lists = new Map<keyof StoreData, ListTexts>();
    let at = 0;
    for (const key of this.#keys) {
      const value = data[key] as unknown;
      if (!Array.isArray(value) || value.length === 0) continue;
      const opening = Buffer.from(`\n\t"${key}": [\n`, 'latin1');
      const found = bytes.indexOf(opening, at);
      if (found < 0) return;
      at = found + opening.length;
      // Where each element starts and ends, kept as numbers: its text is made only if a commit
      // needs it alone (a collection no commit touches is copied whole; 25,000 records at once).
      const bounds = new Int32Array(value.length * 2);
      for (let i = 0; i < value.length; i++) {
        // "\t\t{" opens each element; "\n\t\t}" closes it, followed by ",\n" or, after the last, "\n\t]".
        if (bytes[at] !== 0x09 || bytes[at + 1] !== 0x09 || bytes[at + 2] !== 0x7b || !Object.isFrozen(value[i])) return;
        const close = bytes[at + 3] === 0x7d ? at + 2 : bytes.indexOf(ELEMENT_CLOSE, at);
        if (close < 0) return;
        const end = close + (bytes[at + 3] === 0x7d ? 2 : ELEMENT_CLOSE.length);
        bounds[2 * i] = at;
        bounds[2 * i + 1] = end;
        const last = i === value.length - 1;
        if (last ? bytes[end] !== 0x0a || bytes[end + 1] !== 0x09 || bytes[end + 2] !== 0x5d : bytes[end] !== 0x2c || bytes[end + 1] !== 0x0a) return;
        at = end + (last ? 1 : 2);
      }
      lists.set(key, { items: value, texts: null, seeded: { source: bytes, bounds } });
    }
    for (const [key, list] of lists) this.#lastLists.set(key, list);
  }

  /** The file's bytes. Valid until the next call (the buffer is reused). */
  render(data: StoreData): Buffer {
    // Records that are not frozen are rendered once per call, not kept.
    const unfrozen = new Map<object, Rendered>();
    let out = new Cursor(this.#buffer);
    this.#walk(data, out, unfrozen);
    if (out.overflowed) {
      // Grown with room to spare, so the next commits (a refresh adds to records) fit in one pass.
      this.#buffer = Buffer.allocUnsafeSlow(Math.ceil(out.offset * 1.25));
      out = new Cursor(this.#buffer);
      this.#walk(data, out, unfrozen);
    }
    return this.#buffer.subarray(0, out.offset);
  }

  #walk(data: StoreData, out: Cursor, unfrozen: Map<object, Rendered>): void {
    out.ascii('{\n');
    // An optional key left undefined is not written, as JSON.stringify leaves it out.
    const keys = this.#keys.filter((key) => data[key] !== undefined);
    keys.forEach((key, index) => {
      const after = index < keys.length - 1 ? ',\n' : '\n';
      const value = data[key] as unknown;
      // Keys are the schema's own ASCII names.
      const name = `\t"${key}": `;
      if (Array.isArray(value)) {
        if (value.length === 0) {
          out.ascii(`${name}[]${after}`);
          return;
        }
        out.ascii(`${name}[\n`);
        const previous = this.#lastLists.get(key);
        const seeded = previous?.seeded;
        if (seeded && previous.items === value && seeded.bounds.length === 2 * value.length) {
          // The collection as it was opened: its elements and the separators between them, as
          // seed() checked every one, are one range of the file.
          out.bytes(seeded.source, seeded.bounds[0]!, seeded.bounds[seeded.bounds.length - 1]!);
          out.separator(true);
          out.ascii(`\t]${after}`);
          return;
        }
        const texts = new Array<Rendered | undefined>(value.length);
        const last = value.length - 1;
        for (let i = 0; i <= last; i++) {
          const item = value[i] as object;
          let text = previous?.items[i] === item ? textAt(previous, i) : undefined;
          if (!text) {
            text = this.#record(item, '\t\t', unfrozen);
            if (Object.isFrozen(item)) texts[i] = text;
          } else texts[i] = text;
          const source = text.source;
          if (source) {
            // Kept texts that follow each other in the loaded file, with the ",\n" between them
            // there, are copied as one range: a refresh leaves most records as they were loaded.
            let end = text.start + text.bytes;
            while (i < last) {
              const nextItem = value[i + 1] as object;
              const next = (previous?.items[i + 1] === nextItem ? textAt(previous, i + 1) : undefined) ?? this.#texts.get(nextItem);
              if (next?.source !== source || next.start !== end + 2 || source[end] !== 0x2c || source[end + 1] !== 0x0a) break;
              texts[++i] = next;
              end = next.start + next.bytes;
            }
            out.bytes(source, text.start, end);
          } else out.rendered(text);
          out.separator(i === last);
        }
        this.#lastLists.set(key, { items: value, texts, seeded: null });
        out.ascii(`\t]${after}`);
      } else if (typeof value === 'object' && value !== null) {
        out.ascii(name);
        out.rendered(this.#record(value, '\t', unfrozen));
        out.ascii(after);
      } else {
        out.rendered(render(`${name}${JSON.stringify(value)}${after}`));
      }
    });
    out.ascii('}\n');
  }

  /**
   * A record's JSON as it appears at its depth in the file: the indent follows every line break,
   * and an array element (indent "\t\t") starts with it too. A record is an array element or the
   * settings object, never both, so one text per record suffices.
   */
  #record(value: object, indent: string, unfrozen: Map<object, Rendered>): Rendered {
    const known = this.#texts.get(value) ?? unfrozen.get(value);
    if (known) return known;
    this.#renderedRecords++;
    // Stringified inside as many arrays as it is deep, JSON.stringify writes the record's indent
    // itself ("[\n\t[\n\t\t{…}\n\t]\n]"): cut out, that is the text, without a second pass over it.
    const rendered = render(
      indent === '\t' ? JSON.stringify([value], null, '\t').slice(3, -2) : JSON.stringify([[value]], null, '\t').slice(5, -5),
    );
    if (Object.isFrozen(value)) this.#texts.set(value, rendered);
    else unfrozen.set(value, rendered);
    return rendered;
  }
}

/**
 * A collection as last rendered: the kept text of each frozen element, or, for a collection as it
 * was opened, where each element stands in the file's bytes.
 */
interface ListTexts {
  items: readonly unknown[];
  texts: Array<Rendered | undefined> | null;
  seeded: { source: Buffer; bounds: Int32Array } | null;
}

/** The kept text of element `i`, made from its place in the file for a collection as it was opened. */
function textAt(list: ListTexts, i: number): Rendered | undefined {
  if (list.texts) return list.texts[i];
  const bounds = list.seeded!.bounds;
  return { text: '', source: list.seeded!.source, start: bounds[2 * i]!, bytes: bounds[2 * i + 1]! - bounds[2 * i]! };
}

const ELEMENT_CLOSE = Buffer.from('\n\t\t}', 'latin1');

function render(text: string): Rendered {
  return { text, source: null, start: 0, bytes: Buffer.byteLength(text) };
}
