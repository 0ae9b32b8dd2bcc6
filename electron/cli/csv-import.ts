import fs from 'node:fs';
import { KeyfleetError } from '../core/errors.ts';
import type { CsvDetected } from '../core/services/csv.ts';
import { shellWord } from '../core/shell-word.ts';

/** The file's bytes: the importer detects the encoding (a spreadsheet's CSV is often not UTF-8). */
export function readCsvFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`);
  }
}

/** What an import did, how the file was read, every bad line, and the next step when nothing was imported. */
export async function csvImportText(o: { summary: string; file: string; imported: number; errors: Array<{ line: number; message: string }>; detected: CsvDetected; command: string }): Promise<string> {
  const { detected } = o;
  const { describeDelimiter, describeEncoding } = await import('../core/services/csv-detect.ts');
  const readAs = `${describeEncoding(detected.encoding, detected.bom)}, separated by ${describeDelimiter(detected.delimiter)}${detected.header ? '' : ', no header line'}`;
  const lines = [`${o.summary} from ${o.file} (${readAs})`];
  for (const e of o.errors) lines.push(`line ${e.line}: ${e.message}`);
  if (o.errors.length && o.imported === 0) lines.push(`nothing was imported: correct the lines above and run the command again, or import only the good lines: keyfleet ${o.command} ${shellWord(o.file)} --valid-only`);
  return lines.join('\n');
}

