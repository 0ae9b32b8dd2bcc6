import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../electron/core/store/atomic-file.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Windows refuses to rename over a file another process holds open for a moment. The nearest
 * real refusal on Linux is an immutable file (chattr +i, root only): rename over it fails with
 * EPERM until another process clears the flag, which is what a scanner letting go looks like.
 */
function canMakeImmutable(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = tempDir('kf-chattr-');
  const probe = path.join(dir, 'probe');
  fs.writeFileSync(probe, 'x');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const immutableFiles = canMakeImmutable();

const locked: string[] = [];
function lock(file: string): void {
  execFileSync('chattr', ['+i', file]);
  locked.push(file);
}
/** Another process lets go of the file after ms (the writer may be blocking this thread). */
function unlockAfter(file: string, ms: number): void {
  spawn('sh', ['-c', `sleep ${ms / 1000}; chattr -i "$0"`, file], { stdio: 'ignore', detached: true }).unref();
}
afterEach(() => {
  for (const f of locked.splice(0)) execFileSync('chattr', ['-i', f]);
});

const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe.each([
  ['writeFileAtomicSync', async (file: string, text: string, o?: Parameters<typeof writeFileAtomicSync>[2]) => writeFileAtomicSync(file, text, o)],
  ['writeFileAtomic', writeFileAtomic],
] as const)('%s', (_name, write) => {
  it('replaces the file with the new bytes, private by default, leaving no temp file', async () => {
    const dir = tempDir('kf-atomic-');
    const file = path.join(dir, 'data.json');
    fs.writeFileSync(file, 'old');
    await write(file, 'new ✓');
    expect(fs.readFileSync(file, 'utf8')).toBe('new ✓');
    expect(leftovers(dir)).toEqual([]);
    await write(path.join(dir, 'fresh.json'), '{}');
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'fresh.json')).mode & 0o777).toBe(0o600);
    await write(path.join(dir, 'feed.ics'), 'x', { mode: 0o644 });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'feed.ics')).mode & 0o777).toBe(0o644);
  });

  it('a failed write leaves the old file whole and removes its temp file', async () => {
    const dir = tempDir('kf-atomic-');
    const target = path.join(dir, 'is-a-directory');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
    await expect(write(target, 'x')).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it.runIf(immutableFiles)('retries a rename refused with EPERM until the file is let go', async () => {
    const dir = tempDir('kf-atomic-');
    const file = path.join(dir, 'held.json');
    fs.writeFileSync(file, 'old');
    lock(file);
    unlockAfter(file, 150);
    await write(file, 'new', { retryRename: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(leftovers(dir)).toEqual([]);
  });

  it.runIf(immutableFiles)('without retries (not Windows) an EPERM fails at once, the old file whole', async () => {
    const dir = tempDir('kf-atomic-');
    const file = path.join(dir, 'held.json');
    fs.writeFileSync(file, 'old');
    lock(file);
    const started = performance.now();
    await expect(write(file, 'new', { retryRename: false })).rejects.toMatchObject({ code: 'EPERM' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });
});
