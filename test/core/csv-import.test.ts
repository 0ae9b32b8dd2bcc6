import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KeyfleetError } from '../../electron/core/errors.ts';
import { openContext } from '../../electron/core/open.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { importClientsCsv } from '../../electron/core/services/clients-csv.ts';
import { importInstancesCsv } from '../../electron/core/services/instances-csv.ts';
import { decodeCsvBytes, detectDelimiter } from '../../electron/core/services/csv-detect.ts';
import { CLIENT_CSV, INSTANCE_CSV } from '../../electron/core/csv-columns.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The desktop app hands the importers text its file picker already decoded as UTF-8, so a
 * Windows-1252 file arrives with "\uFFFD" where its accented letters were. Those lines must be
 * refused with the way out, never imported as "B\uFFFDckerei".
 */
function context() {
  return openContext({ dataDir: tempDir('kf-csv-'), vault: new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE), now: () => new Date('2026-01-15T10:00:00Z'), timeZone: 'UTC' });
}

function badInput(fn: () => unknown): KeyfleetError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    expect((e as KeyfleetError).code).toBe('BAD_INPUT');
    return e as KeyfleetError;
  }
  throw new Error('expected BAD_INPUT');
}

describe('CSV import of text decoded before it arrived (the desktop app)', () => {
  it('a line with characters lost to the wrong encoding is refused by number; the others import with validOnly', () => {
    const ctx = context();
    // Windows-1252 bytes read as UTF-8: each accented letter became U+FFFD.
    const text = new TextDecoder('utf-8').decode(Buffer.from('name;email\r\nB\xe4ckerei Gro\xdf GmbH;info@b.test\r\nAcme;ops@acme.test\r\n', 'latin1'));
    const strict = importClientsCsv(ctx, text);
    expect(strict.imported).toBe(0);
    expect(strict.errors).toEqual([{ line: 2, message: expect.stringContaining('could not be read') }]);
    expect(strict.errors[0]!.message).toContain('"CSV UTF-8"');
    expect(strict.detected).toEqual({ encoding: null, bom: false, delimiter: ';', header: true });
    expect(ctx.store.data.clients).toEqual([]);

    const lenient = importClientsCsv(ctx, text, { validOnly: true });
    expect(lenient.imported).toBe(1);
    expect(ctx.store.data.clients.map((c) => c.name)).toEqual(['Acme']);
  });

  it('a header with such characters, or text with NUL characters (UTF-16 read as UTF-8), refuses the file', async () => {
    const ctx = context();
    const header = badInput(() => importClientsCsv(ctx, 'name;Stra\uFFFDe\nAcme;x\n'));
    expect(header.message).toMatch(/CSV header \(line 1.*could not be read/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,kind,url\nqm,queuemetrics,http://q.test\n', 'utf16le')]);
    const nul = badInput(() => importClientsCsv(ctx, new TextDecoder('utf-8').decode(utf16)));
    expect(nul.message).toMatch(/not CSV text: line 1 has a NUL character/);
    await expect(importInstancesCsv(ctx, new TextDecoder('utf-8').decode(utf16))).rejects.toMatchObject({ code: 'BAD_INPUT' });
    // The same bytes handed over as bytes are read as what they are.
    const asBytes = await importInstancesCsv(ctx, utf16);
    expect(asBytes).toMatchObject({ imported: 1, detected: { encoding: 'utf-16le', bom: true, delimiter: ',' } });
    expect(ctx.store.data.clients).toEqual([]);
  });
});

describe('CSV headers and headerless files', () => {
  it('two columns meaning the same, a missing required column, or a value under an unnamed column are refused', async () => {
    const ctx = context();
    expect(badInput(() => importClientsCsv(ctx, 'Name;Client;E-Mail\nAcme;Acme GmbH;a@acme.test\n')).message).toMatch(/"Name" and "Client", which both mean name: keep one/);
    await expect(importInstancesCsv(ctx, 'name,kind,client\nqm-a,queuemetrics,Acme\n')).rejects.toThrow(/CSV header \(line 1, read as text, separated by ","\) has no url column/);
    const stray = importClientsCsv(ctx, 'name;email;\nAcme;a@acme.test;\nBeta;b@beta.test;note\n');
    expect(stray.errors).toEqual([{ line: 3, message: 'column 3 has a value ("note") but no name in the header (line 1): name the column or clear it' }]);
    // The export's "secret" column is understood and never read.
    const exported = await importInstancesCsv(ctx, 'name,kind,url,secret\nqm-a,queuemetrics,http://q.test/queuemetrics,own (keychain)\n');
    expect(exported.imported).toBe(1);
    expect(ctx.store.data.instances[0]?.secret).toBeUndefined();
  });

  it('a file without a header line is read in the documented column order, and only when its first line is data', async () => {
    const ctx = context();
    const clients = importClientsCsv(ctx, 'Acme;ops@acme.test;a note;gold\nBeta;;;\n');
    expect(clients).toMatchObject({ imported: 2, detected: { header: false, delimiter: ';' } });
    expect(ctx.store.data.clients.map((c) => [c.name, c.email, c.notes, c.tags])).toEqual([
      ['Acme', 'ops@acme.test', 'a note', ['gold']],
      ['Beta', undefined, undefined, []],
    ]);
    const instances = await importInstancesCsv(ctx, 'qm-a\tqueuemetrics\thttp://q.test/queuemetrics\tAcme\trobot\textra\n');
    expect(instances.errors).toEqual([{ line: 1, message: '6 cells, but a file without a header line has at most 5 (name,kind,url,client,user): add a header line naming the columns' }]);
    // One client per line of names, with no header and no e-mail, is not told apart from a header.
    expect(badInput(() => importClientsCsv(ctx, 'Gamma\nDelta\n')).message).toMatch(/names no column Keyfleet imports: "Gamma"/);
  });
});

describe('decodeCsvBytes and detectDelimiter', () => {
  it('a BOM decides the encoding; without one valid UTF-8 is UTF-8 and anything else Windows-1252', () => {
    expect(decodeCsvBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa4]))).toEqual({ text: 'aä', encoding: 'utf-8', bom: true });
    expect(decodeCsvBytes(Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0xe4]))).toEqual({ text: 'aä', encoding: 'utf-16be', bom: true });
    expect(decodeCsvBytes(Buffer.from('Zürich', 'utf8'))).toEqual({ text: 'Zürich', encoding: 'utf-8', bom: false });
    expect(decodeCsvBytes(Buffer.from('Z\xfcrich \x80 \x96 \x9c', 'latin1'))).toEqual({ text: 'Zürich € – œ', encoding: 'windows-1252', bom: false });
    expect(() => decodeCsvBytes(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toThrow(/Excel 97-2003 workbook \(\.xls\)/);
  });

  it('the delimiter is what the first line uses outside quotes; a tie goes to the one the next lines agree with', () => {
    expect(detectDelimiter('name;email;notes\nAcme, Inc.;a@b.test;x, y\n')).toBe(';');
    expect(detectDelimiter('"name;x",email\r\n"Acme; Inc.",a@b.test\r\n')).toBe(',');
    expect(detectDelimiter('name\temail\tnotes\nAcme\ta@b.test\t"x; y, z"\n')).toBe('\t');
    // "a line\nbreak" in quotes is not a second record.
    expect(detectDelimiter('"multi\nline;x";b;c,d\n1;2;3,4\n5;6;7,8\n')).toBe(';');
    expect(detectDelimiter('a,b;c\n1,2;3;4\n5,6;7;8\n')).toBe(',');
    expect(detectDelimiter('name\nAcme\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });
});

describe('the command guide (docs/cli.md)', () => {
  it('lists every column and every header name the importers understand', () => {
    const guide = fs.readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const section = guide.slice(guide.indexOf('## Importing CSV'));
    const rows = section.slice(0, section.indexOf('\n#')).split('\n').filter((l) => l.startsWith('|'));
    for (const layout of [CLIENT_CSV, INSTANCE_CSV]) {
      for (const c of [...layout.columns, ...layout.ignored]) {
        const aliases = 'aliases' in c ? c.aliases : [];
        expect(rows.some((r) => r.includes(`\`${c.name}\``) && aliases.every((a) => r.split('|').at(-2)!.split(',').map((x) => x.trim()).includes(a))), `${layout.row} ${c.name}`).toBe(true);
      }
    }
  });
});
