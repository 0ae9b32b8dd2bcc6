// Long by design: one file format; opening, validating, migrating, committing and recovering the store file must follow one set of rules to stay crash-safe.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { KeyfleetError } from '../errors.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { writeFileAtomicSync } from './atomic-file.ts';
import { SnapshotWriter } from './snapshot-writer.ts';
import { OnboardingStateSchema, SCHEMA_VERSION, SettingsSchema, StoreDataSchema, emptyStore, type StoreData } from './schema.ts';

export const STORE_NAME = 'keyfleet';
export const STORE_FILE = `${STORE_NAME}.json`;
/**
 * Beside the store: the SHA-256 of the bytes last written (or last fully validated) and the
 * fingerprint of the schema they were validated against. A file that still has those bytes is
 * not validated again on the next start; any other byte, or a changed schema, and it is.
 */
export const STORE_STAMP_FILE = `.${STORE_NAME}.validated.json`;

/** The collections of the store, each validated record by record. */
const COLLECTIONS = ['clients', 'instances', 'credentials', 'sources', 'ppks', 'licenses', 'fired', 'lowStockFired', 'pending'] as const;
type CollectionKey = (typeof COLLECTIONS)[number];

/** The top-level keys in the schema's order, which is the order the file is written in. */
const TOP_LEVEL_KEYS = Object.keys(StoreDataSchema.shape) as (keyof StoreData)[];

/** Each collection's record schema, looked up once. */
const ELEMENT_SCHEMAS = Object.fromEntries(COLLECTIONS.map((key) => [key, (StoreDataSchema.shape[key] as unknown as z.ZodArray<z.ZodType>).element])) as Record<CollectionKey, z.ZodType>;

/**
 * The same record schemas with zod's generated fast path (as for the whole file, below), built
 * once a commit has brought many records of that collection: a refresh validates thousands of
 * instance records, ~2–3× faster compiled. Building one costs ~20 ms, more than checking a few
 * records without it, so a commit of a few (a command changing one client, a one-instance
 * refresh) uses the plain schema.
 */
const compiledElementSchemas = new Map<CollectionKey, z.ZodType>();
const COMPILE_AFTER_RECORDS = 64;

/** The schema for a commit's record of `key` after `checked` others of the same commit. */
function elementSchema(key: CollectionKey, checked: number): z.ZodType {
  let schema = compiledElementSchemas.get(key);
  if (!schema) {
    if (checked < COMPILE_AFTER_RECORDS) return ELEMENT_SCHEMAS[key];
    schema = z.compile(ELEMENT_SCHEMAS[key]);
    compiledElementSchemas.set(key, schema);
  }
  return schema;
}

/** Each collection's record fields (every record schema is a plain z.object, with no object-wide refinement). */
const ELEMENT_FIELDS = Object.fromEntries(
  COLLECTIONS.map((key) => [key, Object.keys((ELEMENT_SCHEMAS[key] as unknown as z.ZodObject).shape)]),
) as Record<CollectionKey, string[]>;
/** The same, as sets: a commit of 5,000 changed records asks about each field of each. */
const ELEMENT_FIELD_SETS = Object.fromEntries(COLLECTIONS.map((key) => [key, new Set(ELEMENT_FIELDS[key])])) as Record<CollectionKey, Set<string>>;

/**
 * Record schemas narrowed to the fields a commit changed, by collection and field list, with how
 * often each was used: compiled (as the record schemas above) once it has checked many records,
 * as every instance of a refresh changes the same few fields.
 */
const changedFieldSchemas = new Map<string, { schema: z.ZodType; uses: number }>();

/** The field list asked for last, and its entry: the records of one commit mostly change the same fields. */
let lastChangedFields: { key: CollectionKey; fields: string[]; entry: { schema: z.ZodType; uses: number } } | null = null;

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function changedFieldSchema(key: CollectionKey, fields: string[]): z.ZodType {
  let entry = lastChangedFields?.key === key && sameFields(lastChangedFields.fields, fields) ? lastChangedFields.entry : undefined;
  if (!entry) {
    const id = `${key}:${fields.join(',')}`;
    entry = changedFieldSchemas.get(id);
    if (!entry) {
      const { shape } = ELEMENT_SCHEMAS[key] as unknown as z.ZodObject;
      entry = { schema: z.object(Object.fromEntries(fields.map((f) => [f, shape[f]!]))), uses: 0 };
      changedFieldSchemas.set(id, entry);
    }
    lastChangedFields = { key, fields, entry };
  }
  if (++entry.uses === COMPILE_AFTER_RECORDS) entry.schema = z.compile(entry.schema);
  return entry.schema;
}

/**
 * The fields of `item` that differ from `before`, a record known to be valid: changed values,
 * and fields it dropped. Null when `item` has a field the schema does not know (the full check
 * strips it and must run), or when most fields changed (then checking them all is as cheap).
 */
function changedFields(item: Record<string, unknown>, before: Record<string, unknown>, fields: ReadonlySet<string>): string[] | null {
  const changed: string[] = [];
  for (const f in item) {
    if (!Object.hasOwn(item, f)) continue;
    if (!fields.has(f)) return null;
    if (item[f] !== before[f] || !Object.hasOwn(before, f)) changed.push(f);
  }
  for (const f in before) if (Object.hasOwn(before, f) && !Object.hasOwn(item, f)) changed.push(f);
  return changed.length * 2 > fields.size ? null : changed;
}

function refuse(message: string): never {
  throw new KeyfleetError('INTERNAL', `the store refused the change: ${message}`);
}

function describeIssue(issue: z.core.$ZodIssue | undefined, prefix: (string | number)[]): string {
  const where = [...prefix, ...(issue?.path ?? [])].map(String).join('.') || '(root)';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

function sha256(bytes: Buffer | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/**
 * What the schema accepts, as a fingerprint: a stamp written under other rules (a newer or
 * older Keyfleet) does not let a file skip validation. Deriving it costs ~15 ms of every start,
 * so it is computed by a test (which fails with the new value whenever the schema changes) and
 * kept here as a constant.
 */
export const SCHEMA_FINGERPRINT = 'd0fae10d0652b3fd801d245372367cfee9ff629f61cbaebbcffc4b80a21acc26';

/** The fingerprint of the schema as it is now (see SCHEMA_FINGERPRINT). */
export function computeSchemaFingerprint(): string {
  return sha256(`${SCHEMA_VERSION}\n${JSON.stringify(z.toJSONSchema(StoreDataSchema, { unrepresentable: 'any' }))}`);
}

const StampSchema = z.object({ sha256: z.string(), schema: z.string() });

function stampPath(file: string): string {
  return path.join(path.dirname(file), STORE_STAMP_FILE);
}

function readStamp(file: string): z.infer<typeof StampSchema> | null {
  try {
    const parsed = StampSchema.safeParse(JSON.parse(fs.readFileSync(stampPath(file), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Best effort: a stamp that cannot be written only costs the next start a full validation. Not
 * fsync'd: it is written after the store is durable, so a power cut can only leave it missing or
 * naming earlier bytes, and either way the next start validates the file in full.
 */
function writeStamp(file: string, digest: string): void {
  try {
    writeFileAtomicSync(stampPath(file), `${JSON.stringify({ sha256: digest, schema: SCHEMA_FINGERPRINT })}\n`, { durable: false });
  } catch {
    // A read-only data folder (an inspected backup, say) is still readable.
  }
}

/**
 * The store schema with zod's generated fast path: the same checks and output as
 * StoreDataSchema, and on a failure the same issues (the ordinary parser re-runs it), in roughly
 * a third less time on a fleet of thousands. Built on first use, not on import.
 */
let compiledStoreSchema: typeof StoreDataSchema | undefined;

function serialize(data: StoreData): string {
  return `${JSON.stringify(data, null, '\t')}\n`;
}

/**
 * Read, migrate and validate the store file. A missing file is an empty store. `rendered` is the
 * file's bytes when they are exactly the rendering of `data` (as Keyfleet writes it).
 */
export function loadStoreFile(file: string): { data: StoreData; migratedFrom: number | null; trusted: boolean; rendered?: Buffer } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { data: emptyStore(), migratedFrom: null, trusted: true };
    throw new KeyfleetError('INTERNAL', `cannot read ${file}: ${(e as Error).message}`);
  }
  const raw = bytes.toString('utf8');
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
  if (from === SCHEMA_VERSION) {
    const stamp = readStamp(file);
    const digest = stamp ? sha256(bytes) : '';
    if (stamp && stamp.sha256 === digest && stamp.schema === SCHEMA_FINGERPRINT) {
      return { data: obj as StoreData, migratedFrom: null, trusted: true, rendered: bytes };
    }
  }
  for (const m of MIGRATIONS) if (m.version > from) obj = m.up(obj);
  compiledStoreSchema ??= z.compile(StoreDataSchema);
  const parsed = compiledStoreSchema.safeParse(obj);
  if (!parsed.success) throw new KeyfleetError('INTERNAL', `${file} is not a valid Keyfleet store: ${describeIssue(parsed.error.issues[0], [])}`);
  const migratedFrom = from < SCHEMA_VERSION ? from : null;
  // Validated in full. The stamp lets the next start skip this, but only when the file holds
  // exactly what the schema made of it (a hand-edited file may lack a default or carry a
  // space the schema trims; the trusted path hands out the bytes as they are).
  if (from === SCHEMA_VERSION && serialize(parsed.data) === raw) {
    writeStamp(file, sha256(bytes));
    return { data: parsed.data, migratedFrom, trusted: false, rendered: bytes };
  }
  return { data: parsed.data, migratedFrom, trusted: false };
}

/** An atomic write renames its temp file within seconds; one this old was left by a crash. */
const TEMP_FILE_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Temp files of atomic writes cut off between write and rename (a crash, a kill, a power cut),
 * removed on the next open. The file names its writer's PID: a live writer (the app while the CLI
 * runs, say) may be about to rename its file, so that one stays, unless the file is older than
 * this boot or than any write takes, when the PID now belongs to someone else.
 */
function removeStaleTempFiles(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  const bootedAt = now - os.uptime() * 1000;
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const pid = Number(m[1]);
    if (pid === process.pid || processIsAlive(pid)) {
      let writtenAt: number;
      try {
        writtenAt = fs.statSync(file).mtimeMs;
      } catch {
        continue;
      }
      if (writtenAt > bootedAt && now - writtenAt < TEMP_FILE_MAX_AGE_MS) continue;
    }
    fs.rmSync(file, { force: true });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The fleet store: one validated snapshot in memory, replaced as a whole on each commit and
 * written atomically (temp file, fsync, rename). Collections are treated as immutable, so
 * readers (lists, IPC) share them without copying; a commit validates only the records that
 * are not already part of a validated snapshot, so folding 200 refresh results into a fleet
 * of 5,000 checks 200 records, not 25,000. A commit that fails validation leaves both the
 * file and the snapshot as they were.
 */
export class FleetStore {
  readonly file: string;
  #data: StoreData;
  #writes = 0;
  readonly #writer = new SnapshotWriter(TOP_LEVEL_KEYS);
  /** Records (by identity) known to satisfy the schema: from a validated load or commit. */
  #valid = new WeakSet<object>();
  /** The snapshot whose records were last added to #valid. */
  #remembered: StoreData | undefined;
  readonly #listeners = new Set<(data: StoreData) => void>();

  private constructor(file: string, data: StoreData, rendered?: Buffer) {
    this.file = file;
    this.#data = data;
    this.#remember(data);
    if (rendered) this.#writer.seed(data, rendered);
  }

  /**
   * Opens the store in `dir` without creating anything: a directory that does not exist is an
   * empty store, and the directory is made by the first commit (a read such as `client list`
   * must not leave an empty data folder behind).
   */
  static open(dir: string): FleetStore {
    removeStaleTempFiles(dir);
    const file = path.join(dir, STORE_FILE);
    const { data, migratedFrom, rendered } = loadStoreFile(file);
    const store = new FleetStore(file, data, rendered);
    if (migratedFrom !== null) {
      fs.copyFileSync(file, `${file}.bak-v${migratedFrom}`);
      store.#write(data);
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

  /** How many records the writes so far rendered to text (the rest were kept from earlier writes or the load). */
  get renderedRecords(): number {
    return this.#writer.renderedRecords;
  }

  /** Replace the snapshot with `next` after validating and persisting it. */
  commit(next: StoreData): void {
    const checked = this.#validate(next);
    // Frozen before it is rendered, so the writer may keep each record's text.
    this.#remember(checked);
    try {
      this.#write(checked);
    } catch (e) {
      throw new KeyfleetError('INTERNAL', `the store could not be written to ${this.file}: ${(e as Error).message}`);
    }
    this.#writes++;
    this.#data = checked;
    for (const l of this.#listeners) l(checked);
  }

  /** Called after every successful commit (the app refreshes its window, tray and feed). */
  onCommit(listener: (data: StoreData) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Build the next snapshot from the current one and commit it. Returns what was committed. */
  update(change: (current: StoreData) => StoreData): StoreData {
    const next = change(this.#data);
    if (next === this.#data) return next;
    this.commit(next);
    return this.#data;
  }

  #write(data: StoreData): void {
    const bytes = this.#writer.render(data);
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomicSync(this.file, bytes);
    writeStamp(this.file, sha256(bytes));
  }

  /**
   * Records are known valid by identity, which holds only while nobody changes one in place:
   * they are frozen, so such a change throws instead of slipping past the next commit's check.
   */
  #remember(data: StoreData): void {
    const valid = this.#valid;
    valid.add(Object.freeze(data.settings));
    for (const key of COLLECTIONS) {
      const list = data[key];
      // A collection the commit did not replace was remembered with the snapshot it came from.
      if (list === this.#remembered?.[key]) continue;
      for (const item of list) {
        if (!valid.has(item)) valid.add(Object.freeze(item));
      }
    }
    this.#remembered = data;
  }

  /**
   * A record changed from the valid one at the same position (a refresh replaces an instance by
   * a copy with a new reading): only the fields that differ are checked, the others are the
   * valid record's own values. What it returns is what the full check would make of the record,
   * fields in the schema's order. Null when the full check must run instead.
   */
  #checkChanges(key: CollectionKey, item: unknown, before: unknown, at: (string | number)[]): Record<string, unknown> | null {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
    if (typeof before !== 'object' || before === null || !this.#valid.has(before)) return null;
    const fields = ELEMENT_FIELDS[key];
    const record = item as Record<string, unknown>;
    const changed = changedFields(record, before as Record<string, unknown>, ELEMENT_FIELD_SETS[key]);
    if (changed === null) return null;
    let checked: Record<string, unknown> = {};
    if (changed.length > 0) {
      const parsed = changedFieldSchema(key, changed).safeParse(item);
      if (!parsed.success) refuse(describeIssue(parsed.error.issues[0], at));
      checked = parsed.data as Record<string, unknown>;
    }
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (changed.includes(f)) {
        if (Object.hasOwn(checked, f)) out[f] = checked[f];
      } else if (Object.hasOwn(record, f)) out[f] = record[f];
    }
    return out;
  }

  /**
   * The snapshot `next` stands for, checked against the schema: each record not already known
   * to be valid is parsed (and replaced by what the schema makes of it, as a load would), the
   * rest are taken as they are.
   */
  #validate(next: StoreData): StoreData {
    if (typeof next !== 'object' || next === null) refuse('(root): expected an object');
    if (next.schemaVersion !== SCHEMA_VERSION) refuse(`schemaVersion: expected ${SCHEMA_VERSION}`);
    let settings = next.settings;
    if (!this.#valid.has(settings as object)) {
      const parsed = SettingsSchema.safeParse(settings);
      if (!parsed.success) refuse(describeIssue(parsed.error.issues[0], ['settings']));
      settings = parsed.data;
    }
    const out: Record<string, unknown> = {};
    for (const key of TOP_LEVEL_KEYS) {
      if (key === 'schemaVersion' || key === 'settings') {
        out[key] = key === 'settings' ? settings : SCHEMA_VERSION;
        continue;
      }
      if (key === 'onboarding') {
        // Optional and small: checked whole whenever it changed.
        const state = next.onboarding;
        if (state === undefined || state === this.#data.onboarding) out[key] = state;
        else {
          const parsed = OnboardingStateSchema.safeParse(state);
          if (!parsed.success) refuse(describeIssue(parsed.error.issues[0], ['onboarding']));
          out[key] = parsed.data;
        }
        continue;
      }
      const list = next[key] as unknown;
      if (list === this.#data[key]) {
        out[key] = list;
        continue;
      }
      if (!Array.isArray(list)) return refuse(`${key}: expected an array`);
      let copy: unknown[] | undefined;
      let checked = 0;
      const before = this.#data[key] as readonly unknown[];
      for (let i = 0; i < list.length; i++) {
        const item = list[i] as unknown;
        if (typeof item === 'object' && item !== null && this.#valid.has(item)) continue;
        const delta = this.#checkChanges(key as CollectionKey, item, before[i], [key, i]);
        let record: unknown;
        if (delta) record = delta;
        else {
          const parsed = elementSchema(key as CollectionKey, checked++).safeParse(item);
          if (!parsed.success) refuse(describeIssue(parsed.error.issues[0], [key, i]));
          record = parsed.data;
        }
        copy ??= list.slice();
        copy[i] = record;
      }
      out[key] = copy ?? list;
    }
    return out as StoreData;
  }
}
