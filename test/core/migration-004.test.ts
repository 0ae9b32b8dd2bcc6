import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { FleetStore, STORE_FILE } from '../../electron/core/store/store.ts';
import { emptyStore } from '../../electron/core/store/schema.ts';
import { tempDir } from '../helpers/tmp.ts';

const at = '2026-11-22T10:00:00.000Z';

describe('migration 004-ppk-refused', () => {
  it('takes a version-3 store to version 4 unchanged, keeping a backup, and then holds a refused PPK', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    const ppk = { id: 'ppk_1', ppk: 'XQI-LOWAY-AAAA:QM-10/1/30', product: 'QM', agents: 10, servers: 1, days: 30, state: 'in-stock', addedAt: at };
    const v3 = { ...emptyStore(), schemaVersion: 3, ppks: [ppk] };
    fs.writeFileSync(file, JSON.stringify(v3));
    const store = FleetStore.open(dir);
    expect(store.data.schemaVersion).toBe(4);
    expect(store.data.ppks).toEqual([ppk]);
    expect(JSON.parse(fs.readFileSync(`${file}.bak-v3`, 'utf8')).schemaVersion).toBe(3);

    store.update((d) => ({ ...d, ppks: d.ppks.map((p) => ({ ...p, state: 'refused' as const, refusal: { message: 'Key not found U:1234', at } })) }));
    const reopened = FleetStore.open(dir);
    expect(reopened.data.ppks[0]).toMatchObject({ state: 'refused', refusal: { message: 'Key not found U:1234', at } });
  });

  it('a file from a newer Keyfleet is refused, naming both versions', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STORE_FILE), JSON.stringify({ ...emptyStore(), schemaVersion: 5 }));
    expect(() => FleetStore.open(dir)).toThrow(/written by a newer Keyfleet \(store version 5, this one knows 4\); update Keyfleet/);
  });
});
