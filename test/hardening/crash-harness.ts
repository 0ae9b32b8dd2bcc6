import { runCli, type CliRun } from '../helpers/cli.ts';

/**
 * Runs the real `keyfleet` command and SIGKILLs it a given time after spawn, the way a power
 * cut or an OOM kill would: no exit handlers, no flushing, no cleanup.
 */
export interface KilledRun {
  /** The process died of our SIGKILL (false: it finished before the kill point). */
  killed: boolean;
  run: CliRun;
  /** Milliseconds from spawn to exit. */
  elapsedMs: number;
  /** When the SIGKILL was sent (epoch ms), if it was. */
  killedAt: number | null;
}

export async function runAndKill(args: string[], opts: { home: string; stdin?: string; killAfterMs: number }): Promise<KilledRun> {
  let timer: NodeJS.Timeout | undefined;
  let killedAt: number | null = null;
  const started = performance.now();
  const run = await runCli([...args, '--json'], {
    home: opts.home,
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
    onSpawn: (pid) => {
      timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
          killedAt = Date.now();
        } catch {
          // Already gone: it finished before the kill point.
        }
      }, opts.killAfterMs);
    },
  });
  clearTimeout(timer);
  const killed = run.signal === 'SIGKILL';
  return { killed, run, elapsedMs: performance.now() - started, killedAt: killed ? killedAt : null };
}

/**
 * A full, unkilled run's duration: the window kill points are spread over. The median of three
 * runs (each prepared by `rearm`, each checked by `expectOk`), so one slow cold start does not
 * push most kill points past the end of the run.
 */
export async function measureWindow(
  prepare: () => { args: string[]; stdin?: string },
  opts: { home: string; expectOk: (run: CliRun) => void },
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { args, stdin } = prepare();
    const started = performance.now();
    const run = await runCli([...args, '--json'], { home: opts.home, ...(stdin !== undefined ? { stdin } : {}) });
    times.push(performance.now() - started);
    opts.expectOk(run);
  }
  return times.sort((a, b) => a - b)[1]!;
}

/** Seeded PRNG (mulberry32), so a failing kill schedule can be replayed with CRASH_SEED. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ScenarioStats {
  runs: number;
  kills: number;
  /** Kills after which the next start replayed at least one key receipt. */
  recoveries: number;
  /** The most receipts one start replayed. */
  maxRecovered: number;
  /** PPKs the server converted whose answer the kill left unread (held by their durable request, recovered by converting again). */
  inFlight: number;
  /** Kill points that landed in the durable part of the run (the store changed). */
  storeChanged: number;
  /** Atomic-write temp files left beside the store by a kill. */
  leftoverTempFiles: number;
  /** Longest time between the server producing an in-flight key and the kill (ms). */
  maxInFlightAgeMs: number;
  /** The window kill points were drawn from (ms). */
  windowMs: number;
}

export function newStats(): ScenarioStats {
  return { runs: 0, kills: 0, recoveries: 0, maxRecovered: 0, inFlight: 0, storeChanged: 0, leftoverTempFiles: 0, maxInFlightAgeMs: 0, windowMs: 0 };
}

export function formatSummary(seed: number, stats: Record<string, ScenarioStats>): string {
  const lines = Object.entries(stats).map(([name, s]) =>
    [
      `  ${name}: ${s.kills} kills in ${s.runs} runs (kill points uniform over ${Math.round(s.windowMs)} ms)`,
      `store written before the kill ${s.storeChanged}`,
      `recoveries ${s.recoveries}`,
      `max keys recovered at once ${s.maxRecovered}`,
      `keys cut off in flight ${s.inFlight}${s.inFlight ? ` (made by the server at most ${Math.round(s.maxInFlightAgeMs)} ms before the kill; each held by its request and recovered)` : ''}`,
      `leftover temp files ${s.leftoverTempFiles}`,
    ].join('; '),
  );
  const total = Object.values(stats).reduce((n, s) => n + s.kills, 0);
  return [`crash harness (CRASH_SEED=${seed}): ${total} SIGKILLs`, ...lines].join('\n');
}
