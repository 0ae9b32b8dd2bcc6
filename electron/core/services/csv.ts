import { parse } from 'csv-parse/sync';
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
    records = parse(text.replace(/^\uFEFF/, ''), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new KeyfleetError('BAD_INPUT', `CSV cannot be read${err.lines ? ` at line ${err.lines}` : ''}: ${err.message.replace(/^Invalid Record Length: /, '')}`);
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
