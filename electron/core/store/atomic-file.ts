import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * Replace a file so that a reader, or a crash, sees the old bytes or the new ones, never half:
 * write a temp file beside it, fsync it, rename it over the target, fsync the directory.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array, mode = 0o600): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
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
