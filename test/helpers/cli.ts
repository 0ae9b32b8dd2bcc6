import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../electron/cli/keyfleet.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document (when --json). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Run the real `keyfleet` command in a child process. */
export function runCli(args: string[], opts: { home: string; stdin?: string; env?: Record<string, string | undefined>; onSpawn?: (pid: number) => void } = { home: '' }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--home', opts.home, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid && opts.onSpawn) opts.onSpawn(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code, signal, stdout, stderr, json });
    });
    // A command that exits without reading its input (--help) closes the pipe first: not a failure.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
