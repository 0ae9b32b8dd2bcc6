import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KEYFLEET_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../electron/cli/keyfleet.js');

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, as seen from here. */
  wallMs: number;
  /** Peak resident set size of the process, in MB (null where it cannot be read). */
  peakRssMb: number | null;
  /** User + system CPU time of the process, in ms (null where it cannot be read): less disturbed than wall time by other load on the machine. */
  cpuMs: number | null;
}

const TIME_FORMAT = '%M %U %S';
const TIME_REPORT = /^(\d+) (\d+\.\d+) (\d+\.\d+)$/;

/**
 * GNU time reports the peak RSS the kernel recorded for the child (getrusage ru_maxrss), which
 * is exact. Without it we poll /proc/<pid>/status for VmHWM, the kernel's own high-water mark,
 * which can miss a peak reached in the last few milliseconds before exit.
 */
const GNU_TIME = (() => {
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/time')) return null;
  const probe = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, 'true'], { encoding: 'utf8' });
  return probe.status === 0 && TIME_REPORT.test(probe.stderr.trim().split('\n').pop() ?? '') ? '/usr/bin/time' : null;
})();

export function rssMethod(): string {
  if (GNU_TIME) return 'GNU time (getrusage ru_maxrss)';
  if (process.platform === 'linux') return '/proc/<pid>/status VmHWM, polled every 10 ms';
  return 'not measured on this platform';
}

function readHwmKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Run a command with its stdout and stderr collected; wall time and peak RSS measured. */
export function runMeasured(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<ProcessRun> {
  const rssFile = GNU_TIME ? path.join(os.tmpdir(), `kf-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : null;
  const [file, argv] = GNU_TIME && rssFile ? [GNU_TIME, ['-f', TIME_FORMAT, '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let hwmKb: number | null = null;
    const poll = !GNU_TIME && child.pid
      ? setInterval(() => {
          const kb = readHwmKb(child.pid!);
          if (kb !== null) hwmKb = Math.max(hwmKb ?? 0, kb);
        }, 10)
      : null;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (poll) clearInterval(poll);
      reject(e);
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (poll) clearInterval(poll);
      let peakRssMb: number | null = hwmKb === null ? null : hwmKb / 1024;
      let cpuMs: number | null = null;
      if (rssFile) {
        try {
          const m = TIME_REPORT.exec(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '');
          if (m) {
            peakRssMb = Number(m[1]) / 1024;
            cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
          }
        } catch {
          // No report: the figures stay unknown rather than guessed.
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs, peakRssMb, cpuMs });
    });
    // A command that exits without reading its input (--help) closes the pipe first: not a failure.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** The real `keyfleet` command, as a user runs it (`bin`: another checkout's, to compare). */
export function runKeyfleet(bin: string, home: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  return runMeasured(process.execPath, [bin, '--home', home, ...args], opts);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
