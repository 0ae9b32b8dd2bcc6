import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { FleetStore, loadStoreFile, STORE_FILE } from '../../electron/core/store/store.ts';
import { emptyStore, SCHEMA_VERSION, type StoreData } from '../../electron/core/store/schema.ts';
import { SnapshotWriter } from '../../electron/core/store/snapshot-writer.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fullStore } from '../helpers/full-store.ts';

/** Writing the store file: a kill at any moment leaves a whole file, and the snapshot writer coalesces commits. */

const at = '2026-11-22T10:00:00.000Z';

describe('crash safety', () => {
  it('a process killed with SIGKILL in a tight loop of writes leaves a store that loads (60 runs)', async () => {
    const dir = tempDir();
    const script = `
      import { FleetStore } from ${JSON.stringify(path.resolve('electron/core/store/store.ts'))};
      const store = FleetStore.open(${JSON.stringify(dir)});
      for (let i = 0; ; i++) {
        store.update((d) => ({ ...d, clients: [...d.clients.slice(-50), { id: 'cl_' + process.pid + '_' + i, name: 'C ' + process.pid + ' ' + i, tags: [], createdAt: new Date().toISOString() }] }));
        // Killed only once writes are under way, at a random moment among them.
        if (i === 0) process.stdout.write('writing\\n');
      }
    `;
    let loaded = 0;
    const seen = new Set<string>();
    for (let run = 0; run < 60; run++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 60)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const { data } = loadStoreFile(path.join(dir, STORE_FILE));
      expect(data.schemaVersion).toBe(SCHEMA_VERSION);
      expect(data.clients.length).toBeGreaterThan(0);
      seen.add(data.clients.at(-1)!.id);
      loaded++;
    }
    expect(loaded).toBe(60);
    // Every run got writes in before it was killed.
    expect(seen.size).toBe(60);
  }, 120_000);
});

describe('the snapshot writer', () => {
  it('renders exactly what JSON.stringify with tabs renders, reusing the text of records it has seen', () => {
    const writer = new SnapshotWriter(Object.keys(emptyStore()) as (keyof StoreData)[]);
    const data = fullStore();
    data.clients.push({ id: 'cl_2', name: 'Zoë "quoted" \\ back\nslash ✓ 日本', tags: [], createdAt: at });
    for (const c of data.clients) Object.freeze(c);
    const expected = (d: StoreData) => `${JSON.stringify(d, null, '\t')}\n`;
    expect(writer.render(data).toString('utf8')).toBe(expected(data));
    expect(writer.render(emptyStore()).toString('utf8')).toBe(expected(emptyStore()));
    // A new record beside known ones, and a longer file than the buffer held.
    const more = { ...data, clients: [...data.clients, ...Array.from({ length: 50 }, (_, i) => ({ id: `cl_n${i}`, name: `N${i}`, tags: ['x'], createdAt: at }))] };
    expect(writer.render(more).toString('utf8')).toBe(expected(more));
    expect(JSON.parse(writer.render(more).toString('utf8'))).toEqual(more);
  });

  it('renders records that moved, were replaced in place, inserted or removed between commits', () => {
    const writer = new SnapshotWriter(Object.keys(emptyStore()) as (keyof StoreData)[]);
    const expected = (d: StoreData) => `${JSON.stringify(d, null, '\t')}\n`;
    const client = (i: number, name = `C${i}`): StoreData['clients'][number] => Object.freeze({ id: `cl_${i}`, name, tags: [], createdAt: at });
    let data: StoreData = { ...emptyStore(), clients: [0, 1, 2, 3, 4].map((i) => client(i)) };
    expect(writer.render(data).toString('utf8')).toBe(expected(data));
    const steps: Array<(c: StoreData['clients']) => StoreData['clients']> = [
      (c) => c.map((x, i) => (i === 2 ? client(2, 'Renamed, longer than before') : x)),
      (c) => [...c].reverse(),
      (c) => [client(9, 'Ünïcode ✓'), ...c],
      (c) => c.slice(2),
      (c) => [...c, ...c.slice(0, 1)],
      () => [],
      (c) => [...c, client(7)],
    ];
    for (const step of steps) {
      data = { ...data, clients: step(data.clients) };
      expect(writer.render(data).toString('utf8')).toBe(expected(data));
    }
  });

  it('writes the bytes a full rendering would when records kept from the opened file move, go, repeat or change', () => {
    const dir = tempDir();
    const client = (i: number, name = `C${i}`): StoreData['clients'][number] => ({ id: `cl_${i}`, name, tags: [], createdAt: at });
    // Every other collection stays as opened through all the commits (copied whole from the file).
    FleetStore.open(dir).commit({ ...fullStore(), clients: Array.from({ length: 12 }, (_, i) => client(i, i === 5 ? 'Zürich ,\n\t\t{' : `C${i}`)) });
    const store = FleetStore.open(dir);
    const render = (d: StoreData) => `${JSON.stringify(d, null, '\t')}\n`;
    // Runs of records that follow each other in the file are copied whole; each step breaks or joins runs.
    const steps: Array<(c: StoreData['clients']) => StoreData['clients']> = [
      (c) => c.map((x, i) => (i === 4 ? client(4, 'changed') : x)),
      (c) => [...c.slice(0, 7), c[8]!, c[7]!, ...c.slice(9)],
      (c) => [...c.slice(0, 2), ...c.slice(3)],
      (c) => [c[0]!, c[0]!, ...c.slice(1)],
      (c) => [...c].reverse(),
      (c) => [...c].reverse(),
      (c) => [...c.slice(6), ...c.slice(0, 6)],
      (c) => c.slice(0, 1),
    ];
    for (const step of steps) {
      store.commit({ ...store.data, clients: step(store.data.clients) });
      expect(fs.readFileSync(store.file, 'utf8')).toBe(render(store.data));
    }
    expect(FleetStore.open(dir).data).toEqual(store.data);
  });

  it('does not keep the text of a record that is not frozen (it may still change)', () => {
    const writer = new SnapshotWriter(Object.keys(emptyStore()) as (keyof StoreData)[]);
    const data = emptyStore();
    const client = { id: 'cl_1', name: 'Before', tags: [] as string[], createdAt: at };
    data.clients = [client];
    writer.render(data);
    client.name = 'After';
    expect(writer.render(data).toString('utf8')).toContain('"name": "After"');
  });
});
