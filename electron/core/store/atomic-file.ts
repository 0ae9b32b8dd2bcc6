import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * Replace a file so that a reader, or a crash, sees the old bytes or the new ones, never half:
 * write a temp file beside it, fsync it, rename it over the target, fsync the directory.
 * `durable: false` skips both fsyncs, for a file that may be lost or stale after a power cut
 * without harm (a cache): a reader still never sees half of it.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array, mode = 0o600, { durable = true }: { durable?: boolean } = {}): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, content);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  if (!durable) return;
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Directories cannot be opened on Windows; the rename is still atomic there.
  }
}
