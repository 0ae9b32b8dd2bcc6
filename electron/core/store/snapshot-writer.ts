import type { StoreData } from './schema.ts';

interface Rendered {
  text: string;
  bytes: number;
}

/** Writes text at a running offset, or (without a buffer) only counts its bytes. */
class Cursor {
  offset = 0;
  readonly #out: Buffer | null;
  constructor(out: Buffer | null) {
    this.#out = out;
  }
  /** ASCII text: its length is its byte count. */
  ascii(text: string): void {
    if (this.#out) this.#out.write(text, this.offset, 'latin1');
    this.offset += text.length;
  }
  rendered(r: Rendered): void {
    if (this.#out) this.#out.write(r.text, this.offset, 'utf8');
    this.offset += r.bytes;
  }
}

/**
 * Renders store snapshots byte for byte as `JSON.stringify(data, null, '\t') + '\n'` would, but
 * stringifies only the records it has not rendered before: a commit that changes 200 of 25,000
 * records renders 200, and the file is assembled in one reused buffer (a measuring pass, then a
 * writing pass) instead of a new 12 MB string and its UTF-8 copy per write. Frozen records
 * cannot change, so a record's text is kept for as long as the record lives.
 */
export class SnapshotWriter {
  readonly #keys: readonly (keyof StoreData)[];
  readonly #texts = new WeakMap<object, Rendered>();
  #buffer = Buffer.alloc(0);

  constructor(keys: readonly (keyof StoreData)[]) {
    this.#keys = keys;
  }

  /** The file's bytes. Valid until the next call (the buffer is reused). */
  render(data: StoreData): Buffer {
    // Records that are not frozen are rendered once per call, not kept.
    const unfrozen = new Map<object, Rendered>();
    const size = this.#walk(data, new Cursor(null), unfrozen);
    if (this.#buffer.length < size) this.#buffer = Buffer.allocUnsafeSlow(Math.ceil(size * 1.25));
    const end = this.#walk(data, new Cursor(this.#buffer), unfrozen);
    return this.#buffer.subarray(0, end);
  }

  #walk(data: StoreData, out: Cursor, unfrozen: Map<object, Rendered>): number {
    out.ascii('{\n');
    this.#keys.forEach((key, index) => {
      const after = index < this.#keys.length - 1 ? ',\n' : '\n';
      const value = data[key] as unknown;
      // Keys are the schema's own ASCII names.
      const name = `\t"${key}": `;
      if (Array.isArray(value)) {
        if (value.length === 0) {
          out.ascii(`${name}[]${after}`);
          return;
        }
        out.ascii(`${name}[\n`);
        for (let i = 0; i < value.length; i++) {
          out.ascii('\t\t');
          out.rendered(this.#record(value[i] as object, '\n\t\t', unfrozen));
          out.ascii(i < value.length - 1 ? ',\n' : '\n');
        }
        out.ascii(`\t]${after}`);
      } else if (typeof value === 'object' && value !== null) {
        out.ascii(name);
        out.rendered(this.#record(value, '\n\t', unfrozen));
        out.ascii(after);
      } else {
        out.rendered(render(`${name}${JSON.stringify(value)}${after}`));
      }
    });
    out.ascii('}\n');
    return out.offset;
  }

  /** A record's JSON as it appears at its depth in the file (the indent follows every line break). */
  #record(value: object, newline: string, unfrozen: Map<object, Rendered>): Rendered {
    const known = this.#texts.get(value) ?? unfrozen.get(value);
    if (known) return known;
    const rendered = render(JSON.stringify(value, null, '\t').replaceAll('\n', newline));
    if (Object.isFrozen(value)) this.#texts.set(value, rendered);
    else unfrozen.set(value, rendered);
    return rendered;
  }
}

function render(text: string): Rendered {
  return { text, bytes: Buffer.byteLength(text) };
}
