import { expect } from 'vitest';
import { spawn, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `keyfleet` command as a user runs it. */
export const KEYFLEET_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../electron/cli/keyfleet.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document (when --json). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a process to its end, collecting its output. With `stdin` (a string) it is written to the
 * process's input and the input closed; without it the process gets no input at all.
 */
export function runProcess(command: string, args: string[], opts: SpawnOptions & { stdin?: string; onSpawn?: (pid: number) => void } = {}): Promise<ProcessRun> {
  const { stdin, onSpawn, ...spawnOpts } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOpts, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (child.pid && onSpawn) onSpawn(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (stdin === undefined) return;
    // A command that exits without reading its input (--help) closes the pipe first: not a failure.
    child.stdin!.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    child.stdin!.end(stdin);
  });
}

/** Run the real `keyfleet` command in a child process. */
export async function runCli(args: string[], opts: { home: string; stdin?: string; env?: Record<string, string | undefined>; onSpawn?: (pid: number) => void } = { home: '' }): Promise<CliRun> {
  const run = await runProcess(process.execPath, [KEYFLEET_BIN, '--home', opts.home, ...args], {
    env: { ...process.env, ...opts.env },
    stdin: opts.stdin ?? '',
    ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
  });
  let json: unknown;
  try {
    json = run.stdout.trim() ? JSON.parse(run.stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { ...run, json };
}

/** Commands run one after another on one data directory, as in a user's shell session. */
export function cliSession(home: string) {
  /** With --json; the result's `json` is the parsed document. */
  const run = (args: string[], stdin?: string) => runCli([...args, '--json'], { home, ...(stdin ? { stdin } : {}) });
  /** As a person reads it. */
  const text = (args: string[]) => runCli(args, { home });
  /** Runs each command in turn; one that fails fails the test, named with its output. */
  const setUp = async (steps: ReadonlyArray<readonly [string[], string?]>) => {
    for (const [args, stdin] of steps) {
      const r = await run(args, stdin);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  };
  return { run, text, setUp };
}
