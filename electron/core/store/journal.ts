import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';

export const JOURNAL_FILE = 'events.jsonl';
/** Key receipts: every key a vendor returned, written before anything else is done with it. */
export const KEYS_JOURNAL_FILE = 'keys.jsonl';
/** PPK conversion requests, written before each is sent (see services/key-receipts.ts). */
export const PPK_REQUESTS_FILE = 'ppk-requests.jsonl';

/**
 * The event journal: append-only JSON lines, fsync'd before append() returns, so an event
 * (and a key a vendor returned, which travels in one) survives a crash the instant after.
 * A torn last line from a crash mid-write is skipped with a warning, never fatal.
 */
export const EventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  /** Which instance/source/license this touched, for filtering. */
  instanceId: z.string().optional(),
  sourceId: z.string().optional(),
  licenseId: z.string().optional(),
  summary: z.string().optional(),
  outcome: z.enum(['ok', 'failed', 'started', 'info']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Machine-readable payload (never a secret). Key receipts carry the key here. */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type KeyfleetEvent = z.infer<typeof EventSchema>;
export type NewEvent = Omit<KeyfleetEvent, 'id' | 'at' | 'actor'> & { at?: string; actor?: string };

export interface JournalReadResult {
  events: KeyfleetEvent[];
  warnings: string[];
}

export class Journal {
  readonly file: string;
  readonly #actor: string;
  readonly #now: () => Date;

  constructor(dir: string, opts: { actor?: string; now?: () => Date; file?: string } = {}) {
    this.file = path.join(dir, opts.file ?? JOURNAL_FILE);
    this.#actor = opts.actor ?? 'keyfleet';
    this.#now = opts.now ?? (() => new Date());
  }

  #materialise(e: NewEvent): KeyfleetEvent {
    return { id: crypto.randomUUID(), at: e.at ?? this.#now().toISOString(), actor: e.actor ?? this.#actor, ...e } as KeyfleetEvent;
  }

  /** Append events durably: one write and one fsync for the whole batch. */
  append(...events: NewEvent[]): KeyfleetEvent[] {
    if (events.length === 0) return [];
    const full = events.map((e) => this.#materialise(e));
    const text = full.map((e) => JSON.stringify(e)).join('\n') + '\n';
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      // A crash may have left a torn line without its newline; start ours on a fresh line.
      const size = fs.fstatSync(fd).size;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        const rfd = fs.openSync(this.file, 'r');
        try {
          fs.readSync(rfd, last, 0, 1, size - 1);
        } finally {
          fs.closeSync(rfd);
        }
        if (last[0] !== 0x0a) prefix = '\n';
      }
      fs.writeSync(fd, prefix + text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return full;
  }

  read(): JournalReadResult {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], warnings: [] };
      throw e;
    }
    const events: KeyfleetEvent[] = [];
    const warnings: string[] = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        const torn = i >= lines.length - 2;
        warnings.push(`${this.file} line ${i + 1}: ${torn ? 'torn last line (interrupted write) skipped' : 'unreadable line skipped'}`);
        return;
      }
      const ok = EventSchema.safeParse(parsed);
      if (ok.success) events.push(ok.data);
      else warnings.push(`${this.file} line ${i + 1}: not an event, skipped`);
    });
    return { events, warnings };
  }
}
