/**
 * The columns `client import` and `instance import` read, with the header names people use for
 * them. Plain data importing only plain names: the CLI's help is written from it without loading the
 * importers, so the help and the importers cannot disagree.
 */
import { INSTANCE_KINDS, namesOr } from './vendor-names.ts';

export interface CsvColumn {
  /** Our name for the column, as exports write it. */
  name: string;
  /** Other header names taken for it (matched ignoring case, accents, spaces, `-`, `_` and `.`). */
  aliases: readonly string[];
  /** A header must have this column. */
  required?: boolean;
  /** What goes in it, for the help. */
  meaning: string;
}

export interface CsvLayout {
  /** What one row is: "client", "instance". */
  row: string;
  columns: readonly CsvColumn[];
  /** The columns of a file without a header line, in order. */
  headerless: readonly string[];
  /** Header names that are understood but never imported, and why. */
  ignored: ReadonlyArray<{ name: string; why: string }>;
  /** What tells a first line of data from a header line, for the help. */
  headerlessWhen: string;
}

export const CLIENT_CSV: CsvLayout = {
  row: 'client',
  columns: [
    { name: 'name', aliases: ['client', 'customer', 'company', 'firm', 'client name', 'customer name', 'company name', 'organisation', 'organization'], required: true, meaning: 'the client, unique' },
    { name: 'email', aliases: ['e-mail', 'mail', 'e-mail address'], meaning: 'an e-mail address' },
    { name: 'notes', aliases: ['note', 'comment', 'comments', 'remarks'], meaning: 'free text' },
    { name: 'tags', aliases: ['tag', 'labels'], meaning: 'separated by ; or |' },
  ],
  headerless: ['name', 'email', 'notes', 'tags'],
  ignored: [],
  headerlessWhen: 'its first line has an e-mail address',
};

export const INSTANCE_CSV: CsvLayout = {
  row: 'instance',
  columns: [
    { name: 'name', aliases: ['instance', 'instance name'], required: true, meaning: 'the instance, unique' },
    { name: 'kind', aliases: ['type', 'vendor', 'product'], required: true, meaning: namesOr(INSTANCE_KINDS) },
    { name: 'url', aliases: ['base url', 'address'], required: true, meaning: 'http:// or https://' },
    { name: 'client', aliases: ['customer', 'company', 'client name', 'customer name'], meaning: 'created when new' },
    { name: 'user', aliases: ['username', 'login'], meaning: 'the login Keyfleet uses' },
    { name: 'tags', aliases: ['tag'], meaning: 'separated by ; or |' },
    { name: 'group', aliases: [], meaning: 'free text' },
    { name: 'core_server', aliases: [], meaning: 'iSymphony core server' },
  ],
  headerless: ['name', 'kind', 'url', 'client', 'user'],
  ignored: [{ name: 'secret', why: 'written by the export; secrets are never read from a file' }],
  headerlessWhen: 'its first line has a URL or a kind in the second column',
};

/** A header cell reduced to what matters: "E-Mail", "e_mail" and "Émail " are all "email". */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-_.]+/g, '');
}

/** "name (or client, customer, …)" for every column, for messages and help. */
export function describeColumns(layout: CsvLayout): string {
  return layout.columns.map((c) => (c.aliases.length ? `${c.name} (or ${c.aliases.join(', ')})` : c.name)).join('; ');
}

/** The CSV rules of one import command, for its --help. */
export function csvImportHelp(layout: CsvLayout): string {
  const width = Math.max(...layout.columns.map((c) => c.name.length), ...layout.ignored.map((c) => c.name.length));
  const column = (name: string, text: string) => wrap(text, 96 - width).map((l, i) => `  ${(i ? '' : name).padEnd(width)}  ${l}`);
  return [
    'CSV rules:',
    ...wrap(
      'The encoding and the delimiter are detected and printed: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text") or ' +
        'Windows-1252 (Excel "CSV" on Windows); comma, semicolon or tab. A value containing the delimiter, a double quote or a line break ' +
        'is in double quotes, as spreadsheets write it.',
    ),
    ...wrap(
      'Line 1 names the columns, in any order; names are matched ignoring case, accents, spaces, "-", "_" and ".". A header with a ' +
        `column not listed below is refused, naming that column. Without a header line the columns are ${layout.headerless.join(',')} ` +
        `(a file is taken as having none when ${layout.headerlessWhen}).`,
    ),
    ...wrap(
      'Every row has as many cells as the header; blank rows are skipped. Errors name the line as the spreadsheet numbers it (the header ' +
        'is line 1). One bad line imports nothing unless --valid-only.',
    ),
    '',
    'columns (with the other header names understood):',
    ...layout.columns.flatMap((c) => column(c.name, `${c.meaning}${c.required ? ', required' : ''}${c.aliases.length ? ` — also: ${c.aliases.join(', ')}` : ''}`)),
    ...layout.ignored.flatMap((c) => column(c.name, `ignored: ${c.why}`)),
  ].join('\n');
}

/** Words into lines of at most `width` characters, each indented by two spaces. */
function wrap(text: string, width = 98): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `  ${l}`);
}

/** `instance adopt --file`: the facts of keys QueueMetrics instances already run. */
export const ADOPT_CSV: CsvLayout = {
  row: 'instance',
  columns: [
    { name: 'instance', aliases: ['name', 'instance name'], required: true, meaning: 'a QueueMetrics instance in Keyfleet' },
    { name: 'key', aliases: ['license key', 'licence key', 'activation key'], required: true, meaning: 'the key it runs, as its License page shows it' },
    { name: 'expiry', aliases: ['expires', 'expiry date', 'expires at', 'valid till', 'valid until'], required: true, meaning: 'YYYY-MM-DD' },
    { name: 'agents', aliases: [], required: true, meaning: 'agents the key allows' },
    { name: 'servers', aliases: [], required: true, meaning: 'servers the key allows' },
  ],
  headerless: ['instance', 'key', 'expiry', 'agents', 'servers'],
  ignored: [],
  headerlessWhen: 'its first line has a date YYYY-MM-DD in the third column',
};
