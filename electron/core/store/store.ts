import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { KeyfleetError } from '../errors.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { writeFileAtomicSync } from './atomic-file.ts';
import { SCHEMA_VERSION, StoreDataSchema, emptyStore, storeJsonSchema, type StoreData } from './schema.ts';

export const STORE_NAME = 'keyfleet';
export const STORE_FILE = `${STORE_NAME}.json`;

/**
 * Where the store's bytes go. The desktop app uses electron-store, the CLI and tests use conf:
 * both are built from `storeConfOptions`, so they read and write the same file under the same
 * JSON Schema, atomically (temp file, fsync, rename).
 */
export interface StoreBackend {
  readonly path: string;
  write(data: StoreData): void;
}

export function storeConfOptions(dir: string) {
  const { properties, required } = storeJsonSchema();
  return {
    cwd: dir,
    configName: STORE_NAME,
    projectName: 'keyfleet',
    schema: properties,
    rootSchema: { required },
    // A new file validates only once it has every collection.
    defaults: emptyStore(),
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    watch: false,
  } as const;
}

export function confBackend(dir: string): StoreBackend {
  let conf: Conf<StoreData> | undefined;
  return {
    path: path.join(dir, STORE_FILE),
    write(data) {
      // Built on first write: reading is done by FleetStore itself, so read-only commands
      // never pay for compiling the schema.
      conf ??= new Conf<StoreData>(storeConfOptions(dir) as unknown as ConstructorParameters<typeof Conf<StoreData>>[0]);
      conf.store = data;
    },
  };
}

function describeZodError(err: z.ZodError, file: string): string {
  const first = err.issues[0];
  const where = first ? first.path.join('.') || '(root)' : '(root)';
  return `${file} is not a valid Keyfleet store: ${where}: ${first?.message ?? 'invalid'}`;
}

/**
 * The store schema with zod's generated fast path: the same checks and output as
 * StoreDataSchema, and on a failure the same issues (the ordinary parser re-runs it), in roughly
 * a third less time on a fleet of thousands. Built on first load, not on import.
 */
let compiledStoreSchema: typeof StoreDataSchema | undefined;

/** Read, migrate and validate the store file. A missing file is an empty store. */
export function loadStoreFile(file: string): { data: StoreData; migratedFrom: number | null } {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { data: emptyStore(), migratedFrom: null };
    throw new KeyfleetError('INTERNAL', `cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (e) {
    throw new KeyfleetError('INTERNAL', `${file} is not valid JSON (${(e as Error).message}); it was left untouched — restore it from ${file}.bak-* or move it aside`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new KeyfleetError('INTERNAL', `${file} does not hold a Keyfleet store (expected a JSON object)`);
  }
  let obj = json as Record<string, unknown>;
  const from = typeof obj.schemaVersion === 'number' ? obj.schemaVersion : 0;
  if (from > SCHEMA_VERSION) {
    throw new KeyfleetError('INTERNAL', `${file} was written by a newer Keyfleet (store version ${from}, this one knows ${SCHEMA_VERSION}); update Keyfleet`);
  }
  for (const m of MIGRATIONS) if (m.version > from) obj = m.up(obj);
  compiledStoreSchema ??= z.compile(StoreDataSchema);
  const parsed = compiledStoreSchema.safeParse(obj);
  if (!parsed.success) throw new KeyfleetError('INTERNAL', describeZodError(parsed.error, file));
  return { data: parsed.data, migratedFrom: from < SCHEMA_VERSION && fs.existsSync(file) ? from : null };
}

/**
 * The fleet store: one validated snapshot in memory, replaced as a whole on each commit.
 * Collections are treated as immutable, so readers (lists, IPC) share them without copying,
 * and a commit that fails validation leaves both the file and the snapshot as they were.
 */
export class FleetStore {
  readonly file: string;
  #data: StoreData;
  #backend: StoreBackend;
  #writes = 0;
  readonly #listeners = new Set<(data: StoreData) => void>();

  private constructor(backend: StoreBackend, data: StoreData) {
    this.#backend = backend;
    this.file = backend.path;
    this.#data = data;
  }

  static open(dir: string, backend: StoreBackend = confBackend(dir)): FleetStore {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { data, migratedFrom } = loadStoreFile(backend.path);
    const store = new FleetStore(backend, data);
    if (migratedFrom !== null) {
      // Written directly: the backend would first validate the old file against the new schema.
      fs.copyFileSync(backend.path, `${backend.path}.bak-v${migratedFrom}`);
      writeFileAtomicSync(backend.path, `${JSON.stringify(data, null, '\t')}\n`);
    }
    return store;
  }

  get data(): StoreData {
    return this.#data;
  }

  /** How many times the file was written (benchmarks print it). */
  get writes(): number {
    return this.#writes;
  }

  /** Replace the snapshot with `next` after validating and persisting it. */
  commit(next: StoreData): void {
    try {
      this.#backend.write(next);
    } catch (e) {
      throw new KeyfleetError('INTERNAL', `the store refused the change: ${(e as Error).message}`);
    }
    this.#writes++;
    this.#data = next;
    for (const l of this.#listeners) l(next);
  }

  /** Called after every successful commit (the app refreshes its window, tray and feed). */
  onCommit(listener: (data: StoreData) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Build the next snapshot from the current one and commit it. */
  update(change: (current: StoreData) => StoreData): StoreData {
    const next = change(this.#data);
    if (next !== this.#data) this.commit(next);
    return next;
  }
}
