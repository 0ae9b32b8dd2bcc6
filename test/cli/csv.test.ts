import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { readTree, tempDir } from '../helpers/tmp.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { SPREADSHEET_DIR, SPREADSHEET_FILES } from '../fixtures/csv/spreadsheets.ts';

const vault = new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE);

describe('CSV import and export through the CLI', () => {
  it('a file with a bad line imports nothing and names every bad line; --valid-only imports the rest', async () => {
    const home = tempDir();
    const file = path.join(home, 'fleet.csv');
    fs.writeFileSync(
      file,
      ['Instance,Type,Base URL,Customer,Login', 'qm-a,queuemetrics,http://10.0.0.1:8080/queuemetrics,Acme,keyupdater', 'bad-kind,asterisk,http://10.0.0.2,Acme,', 'no-url,webitel,,Beta,', 'wt-b,webitel,https://wt.beta.test/api,Beta,', 'qm-a,queuemetrics,http://10.0.0.3,Acme,'].join('\n'),
    );
    const strict = await runCli(['instance', 'import', file, '--json'], { home });
    expect(strict.code).toBe(2);
    expect(strict.json.imported).toBe(0);
    expect(strict.json.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 6]);
    expect(strict.json.errors[0].message).toMatch(/kind "asterisk"/);
    expect(strict.json.errors[2].message).toMatch(/already exists|qm-a/);
    expect((await runCli(['instance', 'list', '--json'], { home })).json.instances).toEqual([]);

    const lenient = await runCli(['instance', 'import', file, '--valid-only', '--json'], { home });
    expect(lenient.code).toBe(0);
    expect(lenient.json).toMatchObject({ imported: 2, clientsCreated: 2 });
    const list = (await runCli(['instance', 'list', '--json'], { home })).json.instances;
    expect(list.map((i: { name: string; client: string }) => [i.name, i.client])).toEqual([
      ['qm-a', 'Acme'],
      ['wt-b', 'Beta'],
    ]);
  });

  it('--secret-stdin writes one shared keychain item that every imported instance references', async () => {
    const home = tempDir();
    const file = path.join(home, 'fleet.csv');
    const rows = Array.from({ length: 50 }, (_, i) => `qm-${i},queuemetrics,http://10.1.0.${i}:8080/queuemetrics,Client ${i % 5},keyupdater`);
    fs.writeFileSync(file, rows.join('\n'));
    const secret = `shared-${Date.now()}`;
    const r = await runCli(['instance', 'import', file, '--secret-stdin', '--json'], { home, stdin: `${secret}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ imported: 50, clientsCreated: 5, credential: expect.stringContaining('fleet.csv') });
    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8'));
    expect(store.credentials).toHaveLength(1);
    const credentialId = store.credentials[0].id;
    expect(new Set(store.instances.map((i: { secret: { credentialId: string } }) => i.secret.credentialId))).toEqual(new Set([credentialId]));
    expect(await vault.get({ type: 'credential', id: credentialId })).toBe(secret);
    for (const f of readTree(home)) expect(f.text).not.toContain(secret);
  });

  it('exports clients and instances without secrets, and the export imports back into a new fleet', async () => {
    const home = tempDir();
    await runCli(['client', 'add', 'Acme, Inc.', '--email', 'ops@acme.test', '--tag', 'gold', '--json'], { home });
    await runCli(['instance', 'add', 'qm-acme', '--kind', 'queuemetrics', '--url', 'http://10.2.0.1:8080/queuemetrics', '--client', 'Acme, Inc.', '--user', 'keyupdater', '--secret-stdin', '--json'], { home, stdin: 'top-secret-pw\n' });
    await runCli(['instance', 'add', '=cmd|calc', '--kind', 'webitel', '--url', 'https://wt.test/api', '--json'], { home });
    const clients = path.join(home, 'clients.csv');
    const instances = path.join(home, 'instances.csv');
    expect((await runCli(['export', 'clients', '--out', clients, '--json'], { home })).code).toBe(0);
    expect((await runCli(['export', 'instances', '--out', instances, '--json'], { home })).code).toBe(0);
    const csv = fs.readFileSync(instances, 'utf8');
    expect(csv).not.toContain('top-secret-pw');
    expect(csv).toContain('own (keychain)');
    // A cell a spreadsheet would run as a formula is neutralised.
    expect(csv).toContain("'=cmd|calc");

    const other = tempDir();
    const c = await runCli(['client', 'import', clients, '--json'], { home: other });
    expect(c.json).toEqual({ imported: 1, errors: [], detected: { encoding: 'utf-8', bom: false, delimiter: ',', header: true } });
    const i = await runCli(['instance', 'import', instances, '--valid-only', '--json'], { home: other });
    expect(i.json.imported).toBe(2);
    const list = (await runCli(['instance', 'list', '--json'], { home: other })).json.instances;
    expect(list.find((x: { name: string }) => x.name === 'qm-acme')).toMatchObject({ kind: 'queuemetrics', client: 'Acme, Inc.', hasSecret: false });
    const listClients = (await runCli(['client', 'list', '--json'], { home: other })).json.clients;
    expect(listClients[0]).toMatchObject({ name: 'Acme, Inc.', email: 'ops@acme.test', tags: ['gold'] });
  });

  it('exports licenses and history as CSV and JSON', async () => {
    const home = tempDir();
    await runCli(['client', 'add', 'Acme', '--json'], { home });
    const lic = await runCli(['export', 'licenses', '--format', 'json', '--json'], { home });
    expect(JSON.parse(lic.json.content)).toEqual({ licenses: [] });
    const hist = await runCli(['export', 'history', '--format', 'csv', '--json'], { home });
    expect(hist.json.content.split('\n')[0]).toBe('at,actor,action,target,outcome,summary,error');
    expect(hist.json.content).toContain('client.add');
    const bad = await runCli(['export', 'history', '--format', 'xml', '--json'], { home });
    expect(bad.code).toBe(2);
  });
});

const fixture = (name: string) => path.join(SPREADSHEET_DIR, name);
const UNDERSTOOD_INSTANCE_COLUMNS = 'name (or instance, instance name); kind (or type, vendor, product); url (or base url, address)';

async function clientsIn(home: string): Promise<Array<{ name: string; email?: string; notes?: string; tags: string[] }>> {
  return (await runCli(['client', 'list', '--json'], { home })).json.clients.map(({ name, email, notes, tags }: Record<string, unknown>) => ({ name, email, notes, tags }));
}

/** Writes `content` (text as UTF-8, or bytes as they are) into a fresh data directory. */
function csvFile(content: string | Buffer, name = 'import.csv'): { home: string; file: string } {
  const home = tempDir();
  const file = path.join(home, name);
  fs.writeFileSync(file, content);
  return { home, file };
}

describe('CSV files as spreadsheet programs save them', () => {
  it('the fixture files are exactly the bytes their description says', () => {
    for (const [name, { bytes }] of Object.entries(SPREADSHEET_FILES)) expect(fs.readFileSync(fixture(name)).equals(bytes), name).toBe(true);
  });

  it('client import reads Excel\'s European "CSV UTF-8" (BOM, ";", CRLF, quoted commas and line breaks) and says how it read it', async () => {
    const home = tempDir();
    const r = await runCli(['client', 'import', fixture('excel-eu-utf8-clients.csv')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported 4 client(s) from');
    expect(r.stdout).toContain('(UTF-8 with BOM, separated by ";")');
    expect(await clientsIn(home)).toEqual([
      { name: 'Bäckerei Groß GmbH', email: 'info@baeckerei-gross.de', notes: 'Lieferung Mo–Fr, 6–14 Uhr', tags: ['gold'] },
      { name: 'Müller & Söhne, KG', email: 'buchhaltung@mueller-soehne.de', notes: 'Ansprechpartner: Jürgen "Jo" Weiß', tags: ['gold', 'wartung'] },
      { name: "Société Générale d'Électricité", email: 'contact@sge.fr', notes: 'Zwei Zeilen:\nzweite Zeile', tags: [] },
      { name: 'Zürich Contact AG', email: 'ops@zurich-contact.ch', notes: undefined, tags: [] },
    ]);
  });

  it('client import reads Excel\'s "CSV" in Windows-1252 with ";" as text, and never takes its header for a client', async () => {
    const home = tempDir();
    const r = await runCli(['client', 'import', fixture('excel-eu-cp1252-clients.csv'), '--json'], { home });
    expect(r.code, r.stdout).toBe(0);
    expect(r.json).toEqual({ imported: 2, errors: [], detected: { encoding: 'windows-1252', bom: false, delimiter: ';', header: true } });
    expect(await clientsIn(home)).toEqual([
      { name: 'Bäckerei Groß GmbH', email: 'info@baeckerei-gross.de', notes: 'Wartung 1.200 € p.a.', tags: ['gold'] },
      { name: 'Café Süß', email: 'kontakt@cafe-suess.at', notes: 'Öffnungszeiten Mo–Sa', tags: [] },
    ]);
  });

  it('instance import reads Excel\'s European "CSV UTF-8", LibreOffice\'s "Text CSV" and Excel\'s "Unicode text"', async () => {
    const excel = tempDir();
    const a = await runCli(['instance', 'import', fixture('excel-eu-utf8-instances.csv'), '--json'], { home: excel });
    expect(a.code, a.stdout).toBe(0);
    expect(a.json).toMatchObject({ imported: 2, clientsCreated: 2, errors: [], detected: { encoding: 'utf-8', bom: true, delimiter: ';', header: true } });
    const excelList = (await runCli(['instance', 'list', '--json'], { home: excel })).json.instances;
    expect(excelList.map((i: Record<string, unknown>) => [i.name, i.kind, i.url, i.client])).toEqual([
      ['qm-zürich', 'queuemetrics', 'http://10.0.0.1:8080/queuemetrics', 'Zürich Contact AG'],
      ['wt-müller', 'webitel', 'https://webitel.mueller-soehne.de/api', 'Müller & Söhne, KG'],
    ]);

    const libre = tempDir();
    const b = await runCli(['instance', 'import', fixture('libreoffice-instances.csv'), '--json'], { home: libre });
    expect(b.code, b.stdout).toBe(0);
    expect(b.json).toMatchObject({ imported: 3, clientsCreated: 3, errors: [], detected: { encoding: 'utf-8', bom: false, delimiter: ',', header: true } });
    const store = JSON.parse(fs.readFileSync(path.join(libre, 'keyfleet.json'), 'utf8'));
    const clientName = new Map(store.clients.map((c: { id: string; name: string }) => [c.id, c.name]));
    expect(store.instances.map((i: Record<string, unknown>) => [i.name, i.kind, clientName.get(i.clientId), i.user, i.tags, i.group])).toEqual([
      ['qm-zürich', 'queuemetrics', 'Zürich Contact AG', 'robot', ['prod', 'eu'], 'Nord'],
      ['wt-müller', 'webitel', 'Müller & Söhne, KG', undefined, [], 'Süd "B"'],
      ['isy-sge', 'isymphony', "Société Générale d'Électricité", 'admin', [], undefined],
    ]);

    const unicode = tempDir();
    const c = await runCli(['instance', 'import', fixture('excel-unicode-text-instances.txt')], { home: unicode });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain('imported 2 instance(s), created 2 client(s) from');
    expect(c.stdout).toContain('(UTF-16LE, separated by tab)');
    const unicodeList = (await runCli(['instance', 'list', '--json'], { home: unicode })).json.instances;
    expect(unicodeList.map((i: Record<string, unknown>) => [i.name, i.client])).toEqual([
      ['qm-zürich', 'Zürich Contact AG'],
      ['qm-東京', '東京コールセンター株式会社'],
    ]);
  });

  it('header names are matched ignoring case, accents, spaces, "-", "_" and "."', async () => {
    const { home, file } = csvFile('INSTANCE NAME\tTYPE\tBase-URL\tCústomer\tuser_name\tCore.Server\nisy-a\tisymphony\thttps://pbx.a.test:50001\tAcme\tadmin\tcore-1\n');
    const r = await runCli(['instance', 'import', file, '--json'], { home });
    expect(r.code, r.stdout).toBe(0);
    expect(r.json).toMatchObject({ imported: 1, detected: { delimiter: '\t', header: true } });
    const store = JSON.parse(fs.readFileSync(path.join(home, 'keyfleet.json'), 'utf8'));
    expect(store.instances[0]).toMatchObject({ name: 'isy-a', kind: 'isymphony', url: 'https://pbx.a.test:50001', user: 'admin', coreServer: 'core-1' });
    expect(store.clients.map((c: { name: string }) => c.name)).toEqual(['Acme']);
  });

  it('a header that names no known column is refused with the names that are understood, and nothing is written', async () => {
    const { home, file } = csvFile('Firma;Kontakt;Bemerkung\r\nAcme GmbH;Hans;Stammkunde\r\nBeta AG;Eva;\r\n');
    const r = await runCli(['client', 'import', file, '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('BAD_INPUT');
    expect(r.json.error.message).toMatch(/header \(line 1, read as UTF-8, separated by ";"\) names no column Keyfleet imports: "Firma", "Kontakt", "Bemerkung"/);
    expect(r.json.error.message).toContain('name (or client, customer, company');
    expect(r.json.error.message).toContain('email (or e-mail, mail');
    expect(fs.existsSync(path.join(home, 'keyfleet.json')) ? await clientsIn(home) : []).toEqual([]);
  });

  it('an unknown header ("Server URL") is named, with the names that are understood, and nothing is written', async () => {
    const { home, file } = csvFile('Name;Type;Server URL;Customer\nqm-a;queuemetrics;http://10.0.0.1/queuemetrics;Acme\n');
    const r = await runCli(['instance', 'import', file], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has a column Keyfleet does not import: "Server URL"');
    expect(r.stderr).toContain(UNDERSTOOD_INSTANCE_COLUMNS);
    expect(r.stderr).toContain('Rename or remove it');
    expect((await runCli(['instance', 'list', '--json'], { home })).json.instances).toEqual([]);
    expect((await runCli(['client', 'list', '--json'], { home })).json.clients).toEqual([]);
  });

  it('rows with more or fewer cells than the header are named by the line the spreadsheet shows; blank rows are skipped', async () => {
    const lines = [
      'name;email;notes;tags', // 1
      'Acme;ops@acme.test;;', // 2
      'Beta;ops@beta.test;one; two;', // 3: 5 cells (an unquoted ";")
      ';;;', // 4: an empty row as Excel writes it
      '', // 5
      'Gamma;ops@gamma.test;"first line', // 6: a quoted line break: one row over two lines of the file
      'second line";', // (6)
      'Delta;ops@delta.test', // 7: 2 cells
      'Epsilon;ops@epsilon.test;;', // 8
    ];
    const { home, file } = csvFile(lines.join('\r\n'));
    const strict = await runCli(['client', 'import', file, '--json'], { home });
    expect(strict.code).toBe(2);
    expect(strict.json.imported).toBe(0);
    expect(strict.json.errors).toEqual([
      { line: 3, message: '5 cells, but the header (line 1) has 4: a value containing ";" must be in double quotes' },
      { line: 7, message: '2 cells, but the header (line 1) has 4: a value with a line break must be in double quotes, and every row needs all its cells' },
    ]);
    expect(await clientsIn(home)).toEqual([]);
    const text = await runCli(['client', 'import', file], { home });
    expect(text.stdout).toContain('line 3: 5 cells');
    expect(text.stdout).toContain(`keyfleet client import ${file} --valid-only`);

    const lenient = await runCli(['client', 'import', file, '--valid-only', '--json'], { home });
    expect(lenient.code).toBe(0);
    expect((await clientsIn(home)).map((c) => [c.name, c.notes])).toEqual([
      ['Acme', undefined],
      ['Gamma', 'first line\nsecond line'],
      ['Epsilon', undefined],
    ]);
  });

  it('empty files, a header with no rows, an unclosed quote and a workbook are refused with what to do, and nothing is written', async () => {
    const cases: Array<[string | Buffer, RegExp]> = [
      ['', /CSV file is empty/],
      [Buffer.from([0xef, 0xbb, 0xbf]), /CSV file is empty/],
      ['\r\n\r\n;;;\r\n', /CSV file is empty/],
      ['name;email;notes;tags\r\n', /has a header \(line 1\) but no client rows/],
      ['name,email\nAcme,ops@acme.test\n"Beta GmbH,ops@beta.test\nGamma,ops@gamma.test\n', /line 3 opens a double quote that is never closed/],
      [Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 1)]), /spreadsheet workbook \(\.xlsx or \.ods\), not CSV: save it from the spreadsheet as "CSV UTF-8"/],
      [Buffer.from('name\0,\0e\0m\0a\0i\0l\0', 'latin1'), /line 1 has a NUL byte/],
      [Buffer.from([0xef, 0xbb, 0xbf, 0x6e, 0x0a, 0x41, 0xe4, 0x0a]), /starts with a UTF-8 byte-order mark, but line 2 is not UTF-8/],
    ];
    for (const [content, message] of cases) {
      const { home, file } = csvFile(content);
      const r = await runCli(['client', 'import', file, '--json'], { home });
      expect(r.code, String(content)).toBe(2);
      expect(r.json.error.message).toMatch(message);
      expect(fs.existsSync(path.join(home, 'keyfleet.json')) ? await clientsIn(home) : []).toEqual([]);
    }
  });

  it('--help of both import commands states the CSV rules and every header name understood', async () => {
    const clients = await runCli(['client', 'import', '--help'], { home: tempDir() });
    const instances = await runCli(['instance', 'import', '--help'], { home: tempDir() });
    const words = (text: string) => text.replace(/\s+/g, ' ');
    for (const r of [clients, instances]) {
      expect(r.code).toBe(0);
      for (const rule of ['UTF-8 (with or without BOM)', 'UTF-16 with BOM', 'Windows-1252', 'comma, semicolon or tab', 'ignoring case, accents, spaces', 'is refused', '--valid-only']) expect(words(r.stdout)).toContain(rule);
    }
    for (const name of [' name ', ' email ', ' notes ', ' tags ', 'client, customer, company, firm', 'e-mail, mail']) expect(words(clients.stdout)).toContain(name);
    for (const name of [' kind ', ' url ', ' core_server ', 'type, vendor, product', 'base url, address', 'username, login', ' secret ']) expect(words(instances.stdout)).toContain(name);
  });
});
