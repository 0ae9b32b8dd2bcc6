import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { FleetStore, loadStoreFile, STORE_FILE } from '../../electron/core/store/store.ts';
import { emptyStore, SCHEMA_VERSION } from '../../electron/core/store/schema.ts';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fullStore } from '../helpers/full-store.ts';

/** Store files written by older versions are migrated forward, keeping everything they hold. */

const at = '2026-11-22T10:00:00.000Z';

describe('migrations', () => {
  it('are numbered from 1 without gaps, and the last one is the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS.at(-1)!.version).toBe(SCHEMA_VERSION);
    for (const m of MIGRATIONS) expect(m.name).toMatch(/^[a-z0-9-]+$/);
  });

  it('001-initial turns an empty or partial file into a valid store, keeping what it had and a backup', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    fs.writeFileSync(file, JSON.stringify({ clients: [{ id: 'cl_1', name: 'Old', tags: [], createdAt: at }], settings: { lowStockThreshold: 5 } }));
    const store = FleetStore.open(dir);
    expect(store.data.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.data.clients.map((c) => c.name)).toEqual(['Old']);
    expect(store.data.instances).toEqual([]);
    expect(store.data.settings.lowStockThreshold).toBe(5);
    expect(store.data.settings.reminderStages).toEqual([30, 14, 7, 1, 0]);
    expect(fs.existsSync(`${file}.bak-v0`)).toBe(true);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('002-stock-thresholds adds per-group thresholds to a version-1 store, keeping its settings', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    const v1 = { ...emptyStore(), schemaVersion: 1, settings: { ...emptyStore().settings, lowStockThreshold: 4 } } as Record<string, unknown>;
    delete (v1.settings as Record<string, unknown>).stockThresholds;
    fs.writeFileSync(file, JSON.stringify(v1));
    const store = FleetStore.open(dir);
    expect(store.data.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.data.settings.stockThresholds).toEqual({});
    expect(store.data.settings.lowStockThreshold).toBe(4);
    expect(fs.existsSync(`${file}.bak-v1`)).toBe(true);
    // The migrated file is written and loads without migrating again.
    expect(loadStoreFile(file).migratedFrom).toBeNull();
  });

  it('003-window-state-out takes the window bounds out of a version-2 store, keeping its settings', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE);
    const v2 = { ...fullStore(), schemaVersion: 2, settings: { ...emptyStore().settings, lowStockThreshold: 6, window: { x: 1, y: 2, width: 900, height: 700, maximized: true } } };
    fs.writeFileSync(file, JSON.stringify(v2));
    const store = FleetStore.open(dir);
    expect(store.data.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.data.settings).not.toHaveProperty('window');
    expect(store.data.settings.lowStockThreshold).toBe(6);
    expect(store.data.licenses).toEqual(fullStore().licenses);
    expect(JSON.parse(fs.readFileSync(`${file}.bak-v2`, 'utf8')).settings.window.width).toBe(900);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).settings).not.toHaveProperty('window');
  });

  it('001-initial on an empty file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STORE_FILE), '');
    expect(loadStoreFile(path.join(dir, STORE_FILE)).data).toEqual(emptyStore());
  });
});
