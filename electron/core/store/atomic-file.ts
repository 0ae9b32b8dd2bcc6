import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * Replace a file so that a reader, or a crash, sees the old bytes or the new ones, never half:
 * write a temp file beside it, fsync it, rename it over the target, fsync the directory.
 * The one writer of every file Keyfleet replaces (the store, its stamp, the calendar feed,
 * exports), in a sync form for the store and an async one for the rest. `durable: false` skips
 * both fsyncs, for a file that may be lost or stale after a power cut without harm (a cache):
 * a reader still never sees half of it.
 */
export interface AtomicWriteOptions {
  /** Permissions of a new file (the store is private; a calendar feed is read by calendar apps). */
  mode?: number;
  /**
   * Retry a rename refused with EPERM/EBUSY/EACCES. Windows refuses to replace a file another
   * process (an antivirus scanner, a calendar app, the search indexer) has open for a moment;
   * elsewhere those codes are permanent, so the default retries on Windows only.
   */
  retryRename?: boolean;
  /** fsync the file and its directory (default); false for a cache. */
  durable?: boolean;
}

const RENAME_RETRIES = 5;
const RENAME_RETRY_MS = 40;
const TRANSIENT_RENAME_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);

function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
}

/** The wait before retry `attempt`, or null when the error is final. */
function retryDelay(e: unknown, attempt: number, retryRename: boolean): number | null {
  const code = (e as NodeJS.ErrnoException).code;
  if (!retryRename || attempt >= RENAME_RETRIES || !code || !TRANSIENT_RENAME_CODES.has(code)) return null;
  return RENAME_RETRY_MS * (attempt + 1);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function writeFileAtomicSync(file: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const { mode = 0o600, retryRename = process.platform === 'win32', durable = true } = options;
  const tmp = tempPathFor(file);
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, content);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        fs.renameSync(tmp, file);
        break;
      } catch (e) {
        const delay = retryDelay(e, attempt, retryRename);
        if (delay === null) throw e;
        Atomics.wait(sleeper, 0, 0, delay);
      }
    }
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  if (!durable) return;
  try {
    const dfd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Directories cannot be opened on Windows; the rename is still atomic there.
  }
}

export async function writeFileAtomic(file: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { mode = 0o600, retryRename = process.platform === 'win32' } = options;
  const tmp = tempPathFor(file);
  try {
    const fh = await fsp.open(tmp, 'wx', mode);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await fsp.rename(tmp, file);
        break;
      } catch (e) {
        const delay = retryDelay(e, attempt, retryRename);
        if (delay === null) throw e;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  try {
    const fh = await fsp.open(path.dirname(file), 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directories cannot be opened on Windows; the rename is still atomic there.
  }
}
