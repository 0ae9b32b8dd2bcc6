import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import os from 'node:os';
import { FleetStore, loadStoreFile, computeSchemaFingerprint, SCHEMA_FINGERPRINT, STORE_FILE, STORE_STAMP_FILE } from '../../electron/core/store/store.ts';
import { emptyStore, SCHEMA_VERSION, type StoreData } from '../../electron/core/store/schema.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fullStore } from '../helpers/full-store.ts';

/** The fleet store: commits, the validation stamp and opening a store file as found on disk. */

const at = '2026-11-22T10:00:00.000Z';

describe('FleetStore', () => {
  it('round-trips every entity through the file', () => {
    const dir = tempDir();
    const store = FleetStore.open(dir);
    const data = fullStore();
    store.commit(data);
    const reopened = FleetStore.open(dir);
    expect(reopened.data).toEqual(data);
    expect(JSON.parse(fs.readFileSync(path.join(dir, STORE_FILE), 'utf8'))).toEqual(data);
  });

  it('a missing file is an empty store', () => {
    expect(FleetStore.open(tempDir()).data).toEqual(emptyStore());
  });

  it('refuses bad data with a message naming the field, and keeps file and snapshot unchanged', () => {
    const dir = tempDir();
    const store = FleetStore.open(dir);
    store.commit(fullStore());
    const before = fs.readFileSync(path.join(dir, STORE_FILE), 'utf8');
    const bad = fullStore();
    (bad.instances[0] as Record<string, unknown>).kind = 'asterisk';
    expect(() => store.commit(bad)).toThrow(/instances.*kind|kind/);
    expect(fs.readFileSync(path.join(dir, STORE_FILE), 'utf8')).toBe(before);
    expect(store.data.instances[0]!.kind).toBe('queuemetrics');
  });

  it('refuses to load a file that fails the schema, naming the path, without touching it', () => {
    const dir = tempDir();
    const data = fullStore() as unknown as { licenses: Array<Record<string, unknown>> };
    data.licenses[0]!.expiresAt = '20/02/2027';
    fs.writeFileSync(path.join(dir, STORE_FILE), JSON.stringify(data));
    expect(() => FleetStore.open(dir)).toThrow(/licenses\.0\.expiresAt: expected a date YYYY-MM-DD/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, STORE_FILE), 'utf8')).licenses[0].expiresAt).toBe('20/02/2027');
  });

  it('refuses a file that is not JSON, and one from a newer version', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STORE_FILE), '{"clients": [');
    expect(() => FleetStore.open(dir)).toThrow(/not valid JSON/);
    fs.writeFileSync(path.join(dir, STORE_FILE), JSON.stringify({ ...emptyStore(), schemaVersion: SCHEMA_VERSION + 1 }));
    expect(() => FleetStore.open(dir)).toThrow(/newer Keyfleet/);
  });

  it('writes nothing for a change that returns the same snapshot, and counts writes', () => {
    const store = FleetStore.open(tempDir());
    store.update((d) => d);
    expect(store.writes).toBe(0);
    store.update((d) => ({ ...d, clients: [...d.clients, { id: 'cl_x', name: 'X', tags: [], createdAt: at }] }));
    expect(store.writes).toBe(1);
  });
});

describe('commits at fleet scale', () => {
  function bigStore(n: number): StoreData {
    const base = fullStore();
    const template = base.instances[0]!;
    return { ...base, instances: Array.from({ length: n }, (_, i) => ({ ...template, id: `in_${i}`, name: `qm-${i}` })) };
  }

  it('checks the records a commit brings, wherever they are, and names the one that is wrong', () => {
    const store = FleetStore.open(tempDir());
    store.commit(bigStore(500));
    const instances = store.data.instances.slice();
    instances[321] = { ...instances[321]!, lastCheck: { ...instances[321]!.lastCheck!, at: 'yesterday' } };
    expect(() => store.commit({ ...store.data, instances })).toThrow(/the store refused the change: instances\.321\.lastCheck\.at: expected an ISO 8601 instant/);
    expect(store.data.instances[321]!.lastCheck!.at).toBe(at);
    expect(loadStoreFile(store.file).data.instances[321]!.lastCheck!.at).toBe(at);
  });

  it('refuses a collection that is not a list, and a wrong schema version', () => {
    const store = FleetStore.open(tempDir());
    expect(() => store.commit({ ...store.data, licenses: {} as never })).toThrow(/licenses: expected an array/);
    expect(() => store.commit({ ...store.data, schemaVersion: 1 })).toThrow(new RegExp(`schemaVersion: expected ${SCHEMA_VERSION}`));
    expect(() => store.commit({ ...store.data, settings: { ...store.data.settings, refreshConcurrency: -1 } })).toThrow(/settings\.refreshConcurrency/);
    expect(store.writes).toBe(0);
  });

  it('commits what the schema makes of a record, as a reload would', () => {
    const store = FleetStore.open(tempDir());
    const committed = store.update((d) => ({ ...d, clients: [{ id: 'cl_1', name: '  Padded  ', tags: [], createdAt: at }] }));
    expect(committed.clients[0]!.name).toBe('Padded');
    expect(loadStoreFile(store.file).data.clients[0]!.name).toBe('Padded');
  });

  it('the first commit after opening renders only the records it changes, and writes the bytes a full rendering would', () => {
    const dir = tempDir();
    const data = bigStore(300);
    // Texts that look like the file's own layout inside a string, and non-ASCII, must not confuse the reuse.
    data.clients = [{ ...data.clients[0]!, name: 'Zürich 東京 "\n\t\t}\n\t]', notes: '\n\t\t},\n\t\t{' }, { id: 'cl_2', name: '{}', tags: [], createdAt: at }];
    FleetStore.open(dir).commit(data);
    const render = (d: StoreData) => `${JSON.stringify(d, null, '\t')}\n`;
    for (const stamp of ['kept', 'removed'] as const) {
      // Trusted by its stamp, or validated in full: either way the bytes are exactly the rendering.
      if (stamp === 'removed') fs.rmSync(path.join(dir, STORE_STAMP_FILE));
      const store = FleetStore.open(dir);
      const instances = store.data.instances.slice();
      instances[150] = { ...instances[150]!, name: `changed-${stamp}` };
      store.commit({ ...store.data, instances });
      expect(fs.readFileSync(store.file, 'utf8')).toBe(render(store.data));
      // The changed instance and the settings object (not kept from the load).
      expect(store.renderedRecords, `stamp ${stamp}`).toBe(2);
    }
    expect(loadStoreFile(path.join(dir, STORE_FILE)).data.clients[0]!.name).toBe('Zürich 東京 "\n\t\t}\n\t]');
  });

  it('renders every record when the bytes it opened are not its own layout', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    // Compact JSON vouched for by a stamp (as an older writer might have left it): loads trusted, and is not reused.
    fs.writeFileSync(file, JSON.stringify(bigStore(20)));
    fs.writeFileSync(path.join(dir, STORE_STAMP_FILE), JSON.stringify({ sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'), schema: SCHEMA_FINGERPRINT }));
    const store = FleetStore.open(dir);
    store.commit({ ...store.data, clients: [] });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${JSON.stringify(store.data, null, '\t')}\n`);
    const records = Object.values(store.data).reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 0), 0);
    expect(records).toBeGreaterThan(20);
    // Every record of every collection, and the settings.
    expect(store.renderedRecords).toBe(records + 1);
  });

  it('a record changed from a valid one has its changed fields checked, and is committed as a full check and a reload make it', () => {
    const dir = tempDir();
    const store = FleetStore.open(dir);
    store.commit(bigStore(100));
    const render = (d: StoreData) => `${JSON.stringify(d, null, '\t')}\n`;
    const fullCheck = (d: StoreData) => loadStoreFile(path.join(dir, STORE_FILE)).data.instances.map((i, n) => expect(i).toEqual(d.instances[n]));

    // A refresh's copy: new reading, fields in another order than the schema's. Written in the schema's order, as a full check writes it.
    const instances = store.data.instances.slice();
    const { id, snapshot: _snapshot, drift: _drift, lastCheck: _lastCheck, ...rest } = instances[7]!;
    instances[7] = { snapshot: { at, key: 'K-NEW', summary: 'read' }, drift: 'differs', ...rest, id, lastCheck: { at, ok: true, durationMs: 12 } };
    store.commit({ ...store.data, instances });
    expect(Object.keys(store.data.instances[7]!)).toEqual(Object.keys(store.data.instances[6]!).filter((k) => k in store.data.instances[7]!));
    expect(store.data.instances[7]!.snapshot).toEqual({ at, key: 'K-NEW', summary: 'read' });
    expect(fs.readFileSync(store.file, 'utf8')).toBe(render(store.data));
    fs.rmSync(path.join(dir, STORE_STAMP_FILE));
    fullCheck(store.data);

    // A changed field that is wrong, or one only the full check knows is wrong (changed against a valid record), is refused.
    const badAt = store.data.instances.slice();
    badAt[8] = { ...badAt[8]!, lastCheck: { at: 'yesterday', ok: true } };
    expect(() => store.commit({ ...store.data, instances: badAt })).toThrow(/instances\.8\.lastCheck\.at: expected an ISO 8601 instant/);
    const badDrift = store.data.instances.slice();
    badDrift[9] = { ...badDrift[9]!, drift: 'maybe' as never };
    expect(() => store.commit({ ...store.data, instances: badDrift })).toThrow(/instances\.9\.drift/);
    const badUrl = store.data.instances.slice();
    badUrl[10] = { ...badUrl[10]!, url: 'not a url' };
    expect(() => store.commit({ ...store.data, instances: badUrl })).toThrow(/instances\.10\.url/);
    // A required field dropped is refused; a field the schema does not know is stripped, as a full check strips it.
    const dropped = store.data.instances.slice();
    const { createdAt: _gone, ...noCreatedAt } = dropped[11]!;
    dropped[11] = noCreatedAt as never;
    expect(() => store.commit({ ...store.data, instances: dropped })).toThrow(/instances\.11\.createdAt/);
    const extra = store.data.instances.slice();
    extra[12] = { ...extra[12]!, stray: 'x' } as never;
    store.commit({ ...store.data, instances: extra });
    expect('stray' in store.data.instances[12]!).toBe(false);
    expect(store.data.instances[7]!.snapshot!.key).toBe('K-NEW');
    expect(fs.readFileSync(store.file, 'utf8')).toBe(render(store.data));

    // A license that drops a field with a default gets the default back, as a reload would give it.
    const licenses = store.data.licenses.slice();
    const { replaces: _r, ...noReplaces } = licenses[0]!;
    licenses[0] = noReplaces as never;
    store.commit({ ...store.data, licenses });
    expect(store.data.licenses[0]!.replaces).toEqual([]);
    expect(fs.readFileSync(store.file, 'utf8')).toBe(render(store.data));
    fs.rmSync(path.join(dir, STORE_STAMP_FILE));
    expect(loadStoreFile(store.file).data).toEqual(store.data);
  });

  it('records are frozen, so a change in place cannot slip past the next check', () => {
    const store = FleetStore.open(tempDir());
    store.commit(fullStore());
    expect(() => {
      (store.data.instances[0] as { kind: string }).kind = 'asterisk';
    }).toThrow(TypeError);
    expect(Object.isFrozen(store.data.settings)).toBe(true);
  });
});

describe('the validation stamp', () => {
  const stampOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, STORE_STAMP_FILE), 'utf8')) as { sha256: string; schema: string };
  const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

  it('names the schema as it is: change the schema, and SCHEMA_FINGERPRINT must change with it', () => {
    // If this fails, the store schema changed: set SCHEMA_FINGERPRINT in store.ts to the value
    // received, so stamps written under the old rules stop vouching for files.
    expect(computeSchemaFingerprint()).toBe(SCHEMA_FINGERPRINT);
  });

  it('is written with every commit and names the bytes on disk', () => {
    const dir = tempDir();
    const store = FleetStore.open(dir);
    store.commit(fullStore());
    expect(stampOf(dir)).toEqual({ sha256: sha(store.file), schema: SCHEMA_FINGERPRINT });
    expect(loadStoreFile(store.file).trusted).toBe(true);
  });

  it('lets the same bytes load without a second validation, but any other byte is validated again', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    // Bytes the schema refuses, with a stamp that vouches for exactly them: trusted as they are.
    const bad = fullStore() as unknown as { licenses: Array<Record<string, unknown>> };
    bad.licenses[0]!.expiresAt = '20/02/2027';
    fs.writeFileSync(file, JSON.stringify(bad));
    fs.writeFileSync(path.join(dir, STORE_STAMP_FILE), JSON.stringify({ sha256: sha(file), schema: SCHEMA_FINGERPRINT }));
    expect(loadStoreFile(file).trusted).toBe(true);
    // One more byte and the stamp no longer applies.
    fs.appendFileSync(file, ' ');
    expect(() => loadStoreFile(file)).toThrow(/licenses\.0\.expiresAt: expected a date YYYY-MM-DD/);
    // Nor does a stamp made under other rules.
    fs.writeFileSync(path.join(dir, STORE_STAMP_FILE), JSON.stringify({ sha256: sha(file), schema: 'an older schema' }));
    expect(() => loadStoreFile(file)).toThrow(/licenses\.0\.expiresAt/);
  });

  it('is written after a full load only when the file holds exactly what the schema made of it', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    const padded = fullStore();
    padded.clients[0] = { ...padded.clients[0]!, name: ' Acme ' };
    fs.writeFileSync(file, `${JSON.stringify(padded, null, '\t')}\n`);
    const first = loadStoreFile(file);
    expect(first.trusted).toBe(false);
    expect(first.data.clients[0]!.name).toBe('Acme');
    expect(fs.existsSync(path.join(dir, STORE_STAMP_FILE))).toBe(false);
    fs.writeFileSync(file, `${JSON.stringify(fullStore(), null, '\t')}\n`);
    expect(loadStoreFile(file).trusted).toBe(false);
    expect(loadStoreFile(file).trusted).toBe(true);
  });
});

describe('opening', () => {
  it('removes temp files of interrupted writes by processes that are gone, and keeps a live one', () => {
    const dir = tempDir();
    const dead = `.${STORE_FILE}.999999999.0123456789ab.tmp`;
    const live = `.${STORE_FILE}.${process.ppid}.0123456789ab.tmp`;
    const other = 'notes.tmp';
    for (const f of [dead, live, other]) fs.writeFileSync(path.join(dir, f), 'partial');
    FleetStore.open(dir);
    expect(fs.existsSync(path.join(dir, dead))).toBe(false);
    expect(fs.existsSync(path.join(dir, live))).toBe(true);
    expect(fs.existsSync(path.join(dir, other))).toBe(true);
  });

  it('removes a temp file named after a live PID once it is older than any write takes, or than this boot', () => {
    const dir = tempDir();
    // After a crash and a reboot, the PID in a leftover's name may belong to another process now.
    const name = (hex: string) => `.${STORE_FILE}.${process.ppid}.${hex}.tmp`;
    const fresh = name('00000000000a');
    const old = name('00000000000b');
    const beforeBoot = name('00000000000c');
    for (const f of [fresh, old, beforeBoot]) fs.writeFileSync(path.join(dir, f), 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(path.join(dir, old), twoHoursAgo, twoHoursAgo);
    const booted = new Date(Date.now() - os.uptime() * 1000 - 60_000);
    fs.utimesSync(path.join(dir, beforeBoot), booted, booted);
    FleetStore.open(dir);
    expect(fs.readdirSync(dir)).toEqual([fresh]);
  });

  it('creates nothing until the first commit, which makes the directory private to the user', () => {
    const parent = tempDir();
    const dir = path.join(parent, 'Keyfleet');
    const store = FleetStore.open(dir);
    expect(store.data.clients).toEqual([]);
    expect(fs.existsSync(dir), 'opening (a read) created the data directory').toBe(false);
    store.commit(fullStore());
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(FleetStore.open(dir).data.clients).toEqual(fullStore().clients);
  });
});
