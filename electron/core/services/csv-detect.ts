import { KeyfleetError } from '../errors.ts';

/**
 * What spreadsheet programs actually save as "CSV": Excel on a European locale writes UTF-8 with
 * a byte-order mark and `;` ("CSV UTF-8") or Windows-1252 and `;` ("CSV"), Excel's "Unicode
 * text" is UTF-16LE with a BOM and tabs, LibreOffice writes UTF-8 without a BOM and `,`. This
 * module finds the encoding and the delimiter so a file is read the way the program meant it.
 */

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type CsvDelimiter = ',' | ';' | '\t';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
  /** Whether the file started with a byte-order mark. */
  bom: boolean;
}

const SAVE_AS_CSV = 'save it from the spreadsheet as "CSV UTF-8" (Excel) or "Text CSV" (LibreOffice) and import that file';

const BOMS: Array<{ bytes: number[]; encoding: CsvEncoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Workbooks people pick by mistake instead of the CSV saved from them. */
const WORKBOOKS: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a spreadsheet workbook (.xlsx or .ods)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an Excel 97-2003 workbook (.xls)' },
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * The file's text and how it was encoded: a BOM decides; without one, bytes that are valid
 * UTF-8 are UTF-8, anything else is Windows-1252 (what Excel's plain "CSV" writes on Windows in
 * Western Europe and the Americas). A workbook or a binary file is refused, not decoded.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  const bom = BOMS.find((b) => startsWith(bytes, b.bytes));
  if (bom) return { text: decodeStrict(bom.encoding, bytes.subarray(bom.bytes.length)), encoding: bom.encoding, bom: true };
  const workbook = WORKBOOKS.find((w) => startsWith(bytes, w.bytes));
  if (workbook) throw new KeyfleetError('BAD_INPUT', `this file is ${workbook.what}, not CSV: ${SAVE_AS_CSV}`);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new KeyfleetError('BAD_INPUT', `this is not CSV text: line ${lineOfByte(bytes, nul)} has a NUL byte (UTF-16 without a byte-order mark, or a binary file); ${SAVE_AS_CSV}`);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', bom: false };
  }
}

/** A file whose BOM promises an encoding must keep the promise; the message names the first bad line. */
function decodeStrict(encoding: CsvEncoding, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split(/\r\n|\r|\n/).length;
    throw new KeyfleetError('BAD_INPUT', `this CSV file starts with a ${describeEncoding(encoding)} byte-order mark, but line ${line} is not ${describeEncoding(encoding)}: ${SAVE_AS_CSV}`);
  }
}

function lineOfByte(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * The delimiter the first line uses, among `,` `;` and tab, counting only outside double quotes.
 * When the first line has more than one of them, the one the following lines use as often as
 * the first line does wins. A first line with none is one column (and `,`).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const candidates: CsvDelimiter[] = [',', ';', '\t'];
  const records = sampleRecords(text, 50);
  const first = records[0];
  if (!first) return ',';
  const used = candidates.filter((d) => first[d] > 0);
  if (used.length <= 1) return used[0] ?? ',';
  const agreeing = (d: CsvDelimiter) => records.slice(1).filter((r) => r[d] === first[d]).length;
  return used.sort((a, b) => agreeing(b) - agreeing(a) || first[b] - first[a])[0]!;
}

type DelimiterCounts = Record<CsvDelimiter, number>;

/** Delimiter counts of the first `max` non-empty records; a line break inside quotes does not end a record. */
function sampleRecords(text: string, max: number): DelimiterCounts[] {
  const records: DelimiterCounts[] = [];
  let counts: DelimiterCounts = { ',': 0, ';': 0, '\t': 0 };
  let empty = true;
  let quoted = false;
  for (let i = 0; i < text.length && records.length < max; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (!empty) records.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
      empty = true;
      continue;
    } else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
    if (ch.trim() !== '') empty = false;
  }
  if (!empty && records.length < max) records.push(counts);
  return records;
}

export function describeEncoding(encoding: CsvEncoding | null, bom = false): string {
  const name = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', 'windows-1252': 'Windows-1252' } as const;
  if (encoding === null) return 'text';
  return encoding === 'utf-8' && bom ? 'UTF-8 with BOM' : name[encoding];
}

export function describeDelimiter(delimiter: CsvDelimiter): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}
