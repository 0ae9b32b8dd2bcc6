import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { KeyfleetError } from '../errors.ts';
import type { CsvLayout } from '../csv-columns.ts';
import { describeColumns, normalizeHeader } from '../csv-columns.ts';
import type { CsvDelimiter, CsvEncoding } from './csv-detect.ts';
import { decodeCsvBytes, describeDelimiter, describeEncoding, detectDelimiter } from './csv-detect.ts';

/** How a file was read, reported with every import so a surprise is visible. */
export interface CsvDetected {
  /** null: the caller passed text, not the file's bytes. */
  encoding: CsvEncoding | null;
  bom: boolean;
  delimiter: CsvDelimiter;
  /** Whether the first line was taken as the header. */
  header: boolean;
}

export interface CsvRow {
  /** The row's line number as a spreadsheet shows it (line 1 is the first line of the file). */
  line: number;
  /** Values by our column names. */
  values: Record<string, string>;
}

export interface CsvLineError {
  line: number;
  message: string;
}

export interface CsvTable {
  rows: CsvRow[];
  /** Lines that cannot be a row at all (wrong number of cells, unreadable characters). */
  errors: CsvLineError[];
  detected: CsvDetected;
}

/** The file's text and how it was encoded (encoding null: handed over as text). */
interface SourceText {
  text: string;
  encoding: CsvEncoding | null;
  bom: boolean;
}

interface CsvRecord {
  line: number;
  cells: string[];
}

/** Header cells that are understood but not imported; cells with no header name. */
const IGNORED = Symbol('ignored');
const UNNAMED = Symbol('unnamed');
type HeaderColumn = string | typeof IGNORED | typeof UNNAMED;

/**
 * Read a CSV file (its bytes, or text already decoded) into rows keyed by our column names.
 * The encoding and the delimiter are detected; the first line is the header unless
 * `looksLikeData` says it is a row, and then `layout.headerless` names the columns. A file that
 * cannot be read, or whose header names a column we do not know, is refused as a whole
 * (BAD_INPUT); a line that cannot be a row is returned in `errors` with its number.
 */
export function readCsv(input: string | Uint8Array, layout: CsvLayout, looksLikeData: (cells: string[]) => boolean): CsvTable {
  const decoded: SourceText = typeof input === 'string' ? decodedText(input) : decodeCsvBytes(input);
  // One line ending throughout: csv-parse misnumbers lines when a file mixes them.
  const text = decoded.text.replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(text);
  const readAs = `read as ${describeEncoding(decoded.encoding, decoded.bom)}, separated by ${describeDelimiter(delimiter)}`;
  // Blank lines, and rows of empty cells (Excel writes ";;;" for an empty row), are not rows.
  const records = parseRecords(text, delimiter, readAs).filter((r) => r.cells.some((c) => c !== ''));
  const first = records[0];
  if (!first) throw new KeyfleetError('BAD_INPUT', `the CSV file is empty: it has no ${layout.row} rows`);

  const header = !looksLikeData(first.cells);
  const detected: CsvDetected = { encoding: decoded.encoding, bom: decoded.bom, delimiter, header };
  const columns: HeaderColumn[] = header ? headerColumns(first, layout, readAs, decoded) : [...layout.headerless];
  const data = header ? records.slice(1) : records;
  if (data.length === 0) throw new KeyfleetError('BAD_INPUT', `the CSV file has a header (line ${first.line}) but no ${layout.row} rows below it`);

  const rows: CsvRow[] = [];
  const errors: CsvLineError[] = [];
  for (const record of data) {
    const problem = recordProblem(record, columns, header ? first.line : null, delimiter, decoded);
    if (problem) {
      errors.push({ line: record.line, message: problem });
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (typeof c === 'string') values[c] = record.cells[i] ?? '';
    });
    rows.push({ line: record.line, values });
  }
  return { rows, errors, detected };
}

/** Text handed over already decoded (pasted, or read by a front end). */
function decodedText(text: string): SourceText {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split(/\r\n|\r|\n/).length;
    throw new KeyfleetError('BAD_INPUT', `this is not CSV text: line ${line} has a NUL character (a UTF-16 file read as UTF-8, or a binary file); save it from the spreadsheet as "CSV UTF-8"`);
  }
  const bom = text.startsWith('\uFEFF');
  return { text: bom ? text.slice(1) : text, encoding: null, bom };
}

function parseRecords(text: string, delimiter: CsvDelimiter, readAs: string): CsvRecord[] {
  try {
    // No skip_empty_lines: blank lines are rows in a spreadsheet, so they count in `records`,
    // which is then the row number the user sees (a line break inside quotes is not a new row).
    const parsed = parse(text, { delimiter, info: true, relax_column_count: true, relax_quotes: true, trim: true }) as unknown as Array<{ record: string[]; info: { records: number } }>;
    return parsed.map(({ record, info }) => ({ line: info.records, cells: record }));
  } catch (e) {
    const err = e as Error & { code?: string; records?: number; lines?: number };
    if (err.code === 'CSV_QUOTE_NOT_CLOSED' && err.records !== undefined) {
      throw new KeyfleetError(
        'BAD_INPUT',
        `the CSV cannot be read (${readAs}): line ${err.records + 1} opens a double quote that is never closed; a value that starts with " must end with ", and a " inside it is written ""`,
      );
    }
    // The parser's message quotes the offending value, which may be the rest of the file.
    const reason = err.message.replace(/\s+/g, ' ');
    throw new KeyfleetError('BAD_INPUT', `the CSV cannot be read (${readAs})${err.lines ? ` at line ${err.lines}` : ''}: ${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}`);
  }
}

/** The header's cells as our columns; a header we cannot fully understand refuses the file. */
function headerColumns(first: CsvRecord, layout: CsvLayout, readAs: string, decoded: SourceText): HeaderColumn[] {
  const where = `the CSV header (line ${first.line}, ${readAs})`;
  const understood = `Columns understood: ${describeColumns(layout)}${layout.ignored.length ? `; ignored: ${layout.ignored.map((c) => c.name).join(', ')}` : ''}`;
  if (first.cells.some((c) => c.includes('\uFFFD'))) throw new KeyfleetError('BAD_INPUT', `${where} has ${unreadable(decoded)}`);

  const byName = new Map<string, HeaderColumn>();
  for (const c of layout.columns) for (const n of [c.name, ...c.aliases]) byName.set(normalizeHeader(n), c.name);
  for (const c of layout.ignored) byName.set(normalizeHeader(c.name), IGNORED);

  const columns = first.cells.map((cell): HeaderColumn | undefined => (cell === '' ? UNNAMED : byName.get(normalizeHeader(cell))));
  const unknown = first.cells.filter((_, i) => columns[i] === undefined);
  if (!columns.some((c) => typeof c === 'string')) {
    throw new KeyfleetError('BAD_INPUT', `${where} names no column Keyfleet imports: ${first.cells.map(quoted).join(', ')}. ${understood}. Name the columns in line 1 with these names.`);
  }
  if (unknown.length) {
    throw new KeyfleetError('BAD_INPUT', `${where} has ${unknown.length === 1 ? 'a column' : 'columns'} Keyfleet does not import: ${unknown.map(quoted).join(', ')}. ${understood}. Rename or remove ${unknown.length === 1 ? 'it' : 'them'}.`);
  }
  for (const c of layout.columns) {
    const same = first.cells.filter((_, i) => columns[i] === c.name);
    if (same.length > 1) throw new KeyfleetError('BAD_INPUT', `${where} has ${same.map(quoted).join(' and ')}, which ${same.length === 2 ? 'both' : 'all'} mean ${c.name}: keep one of them`);
    if (c.required && same.length === 0) throw new KeyfleetError('BAD_INPUT', `${where} has no ${c.name} column. ${understood}.`);
  }
  return columns as HeaderColumn[];
}

/** Why a line cannot be a row, or null. */
function recordProblem(record: CsvRecord, columns: HeaderColumn[], headerLine: number | null, delimiter: CsvDelimiter, decoded: SourceText): string | null {
  const n = record.cells.length;
  const cells = (k: number) => `${k} cell${k === 1 ? '' : 's'}`;
  if (headerLine !== null && n !== columns.length) {
    const why = n > columns.length ? `a value containing ${describeDelimiter(delimiter)} must be in double quotes` : 'a value with a line break must be in double quotes, and every row needs all its cells';
    return `${cells(n)}, but the header (line ${headerLine}) has ${columns.length}: ${why}`;
  }
  if (headerLine === null && n > columns.length) {
    return `${cells(n)}, but a file without a header line has at most ${columns.length} (${columns.join(',')}): add a header line naming the columns`;
  }
  if (record.cells.some((c) => c.includes('\uFFFD'))) return unreadable(decoded);
  const stray = columns.findIndex((c, i) => c === UNNAMED && record.cells[i] !== '');
  if (stray >= 0) return `column ${stray + 1} has a value (${cellText(record.cells[stray]!)}) but no name in the header (line ${headerLine}): name the column or clear it`;
  return null;
}

/** U+FFFD: text decoded in the wrong encoding before it reached us, or a file that already lost characters. */
function unreadable(decoded: SourceText): string {
  return decoded.encoding === null
    ? 'characters that could not be read (shown as "\uFFFD"): the text was decoded in the wrong encoding; save the file from the spreadsheet as "CSV UTF-8" and import it again'
    : 'the character "\uFFFD", which stands for one that was lost before this file was saved: put the real text in the spreadsheet and save again';
}

function quoted(cell: string): string {
  return cellText(cell, 40);
}

/**
 * A row's record checked against the store schema, so a value the store would refuse (a tag
 * over 60 characters, a 3000-character URL) is reported on its line instead of failing the
 * whole import when it is written. `columnOf` names a field the way the CSV calls it.
 */
export function checkRowAgainstStore(schema: z.ZodType, value: unknown, columnOf: (field: string) => string = (f) => f): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0];
  const [field, ...rest] = issue?.path ?? [];
  const column = field === undefined ? 'row' : `${columnOf(String(field))}${rest.map((p) => (typeof p === 'number' ? ` #${p + 1}` : `.${String(p)}`)).join('')}`;
  throw new KeyfleetError('BAD_INPUT', `${column}: ${issue?.message ?? 'not accepted by the store'}`);
}

/** A cell's text inside an error message: one line, at most `max` characters. */
export function cellText(value: string, max = 60): string {
  const oneLine = value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine);
}
