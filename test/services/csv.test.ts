import { describe, expect, it } from 'vitest';
import { ClientSchema } from '../../electron/core/store/schema.ts';
import { cellText, checkRowAgainstStore, readCsv } from '../../electron/core/services/csv.ts';
import { CLIENT_CSV } from '../../electron/core/csv-columns.ts';

const looksLikeData = (cells: string[]) => cells.some((c) => c.includes('@'));
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('readCsv', () => {
  it('reads a UTF-16 spreadsheet export with a BOM, semicolons and header aliases, numbering lines as the spreadsheet does', () => {
    const t = readCsv(utf16le('Customer;E-Mail;Remarks\r\nAcme;ops@acme.example;"two\nlines"\r\n;;\r\nGlobex;;\r\n'), CLIENT_CSV, looksLikeData);
    expect(t.detected).toEqual({ encoding: 'utf-16le', bom: true, delimiter: ';', header: true });
    expect(t.rows).toEqual([
      { line: 2, values: { name: 'Acme', email: 'ops@acme.example', notes: 'two\nlines' } },
      { line: 4, values: { name: 'Globex', email: '', notes: '' } },
    ]);
    expect(t.errors).toEqual([]);
  });

  it('a file without a header takes the headerless columns; a line with too many cells is an error on that line', () => {
    const t = readCsv('Acme,ops@acme.example\nGlobex,g@x.example,n,t,extra\n', CLIENT_CSV, looksLikeData);
    expect(t.detected.header).toBe(false);
    expect(t.rows).toEqual([{ line: 1, values: { name: 'Acme', email: 'ops@acme.example', notes: '', tags: '' } }]);
    expect(t.errors).toEqual([{ line: 2, message: expect.stringContaining('add a header line naming the columns') }]);
  });

  it('refuses the whole file for an unknown or repeated column, an empty file, a header without rows, or an unclosed quote', () => {
    const bad = (text: string) => () => readCsv(text, CLIENT_CSV, looksLikeData);
    expect(bad('name,phone\nAcme,1\n')).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(/a column Keyfleet does not import: "phone".*Rename or remove it/) }));
    expect(bad('name,client\nA,B\n')).toThrow(/"name" and "client", which both mean name: keep one of them/);
    expect(bad('\n;;\n')).toThrow('the CSV file is empty: it has no client rows');
    expect(bad('name,email\n')).toThrow('the CSV file has a header (line 1) but no client rows below it');
    expect(bad('name,notes\nAcme,"open\n')).toThrow(/line 2 opens a double quote that is never closed/);
  });

  it('text with a NUL is refused with what to do', () => {
    expect(() => readCsv('name\u0000\n', CLIENT_CSV, looksLikeData)).toThrow(/line 1 has a NUL character.*save it from the spreadsheet as "CSV UTF-8"/);
  });
});

describe('checkRowAgainstStore', () => {
  it('names the field the way the CSV calls it, with the item number inside a list', () => {
    const client = ClientSchema;
    const row = { id: 'cl_1', name: 'Acme', tags: ['ok', 'x'.repeat(61)], createdAt: new Date().toISOString() };
    expect(() => checkRowAgainstStore(client, row, (f) => (f === 'tags' ? 'Tags' : f))).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(/^Tags #2: /) }));
    expect(() => checkRowAgainstStore(client, { ...row, tags: [] })).not.toThrow();
  });
});

describe('cellText', () => {
  it('quotes one line of at most the given length', () => {
    expect(cellText('a\nb\tc')).toBe('"a b c"');
    expect(cellText('abcdef', 3)).toBe('"abc…"');
  });
});
