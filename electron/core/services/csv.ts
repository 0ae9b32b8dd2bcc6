import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { KeyfleetError } from '../errors.ts';

export interface CsvRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  /** Values by column name (our names, after header mapping). */
  values: Record<string, string>;
  /** How many cells the line had. */
  cells: number;
}

/**
 * Read CSV into rows keyed by our column names. A first line that names columns (in any of the
 * usual spellings listed in `aliases`) is taken as the header; otherwise `defaultColumns`
 * apply. A file the CSV parser cannot read at all is BAD_INPUT naming the line.
 */
export function readCsv(text: string, aliases: Record<string, string>, defaultColumns: string[]): { columns: string[]; rows: CsvRow[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // One line ending throughout: csv-parse misnumbers lines (and so errors) when a file mixes them.
    records = parse(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number };
    // The parser's message quotes the offending value, which may be the rest of the file.
    const reason = err.message.replace(/^Invalid Record Length: /, '').replace(/\s+/g, ' ');
    throw new KeyfleetError('BAD_INPUT', `CSV cannot be read${err.lines ? ` at line ${err.lines}` : ''}: ${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}`);
  }
  if (records.length === 0) throw new KeyfleetError('BAD_INPUT', 'the CSV file has no lines');
  const first = records[0]!.record;
  const mapped = first.map((h) => aliases[h.trim().toLowerCase().replace(/[\s-]+/g, '_')]);
  const hasHeader = mapped.filter(Boolean).length >= 1 && mapped.includes(defaultColumns[0]) && first.every((h) => !/^https?:/i.test(h));
  const columns = hasHeader ? mapped.map((m, i) => m ?? `ignored:${first[i]}`) : defaultColumns;
  const rows = (hasHeader ? records.slice(1) : records).map(({ record, info }) => {
    const values: Record<string, string> = {};
    columns.forEach((c, i) => (values[c] = record[i] ?? ''));
    return { line: info.lines, values, cells: record.length };
  });
  return { columns, rows };
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
