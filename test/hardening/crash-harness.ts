import fs from 'node:fs';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { STORE_FILE } from '../../electron/core/store/store.ts';

/**
 * Runs the real `keyfleet` command and SIGKILLs it, the way a power cut or an OOM kill would: no
 * exit handlers, no flushing, no cleanup. A kill point is a time after spawn, or a moment the
 * command reaches in its store writes, seen from outside with inotify (fs.watch): the instant a
 * write's temp file appears beside the store (the commit has begun), or the instant the store
 * file is replaced (the commit is done). Timed points alone rarely land inside or just after a
 * commit that takes a few milliseconds at the end of a run.
 */
export type KillPoint =
  | { at: 'time'; afterMs: number }
  /** When the nth store write of the run creates its temp file. */
  | { at: 'write-start'; nth: number }
  /** `delayMs` after the nth store write renamed its temp file over the store. */
  | { at: 'write-done'; nth: number; delayMs: number };

/** Where in the run a kill landed, read from what it left: see killPhase(). */
export const KILL_PHASES = ['before', 'during', 'after'] as const;
export type KillPhase = (typeof KILL_PHASES)[number];

export interface KilledRun {
  /** The process died of our SIGKILL (false: it finished before the kill point). */
  killed: boolean;
  run: CliRun;
  pid: number;
  /** Milliseconds from spawn to exit. */
  elapsedMs: number;
  /** When the SIGKILL was sent (epoch ms), if it was. */
  killedAt: number | null;
}

/** The temp file of an atomic write of the store by process `pid` (electron/core/store/atomic-file.ts). */
function isStoreTemp(name: string, pid: number): boolean {
  return name.startsWith(`.${STORE_FILE}.${pid}.`) && name.endsWith('.tmp');
}

/** Counts the store writes a process makes in `home`, from outside, and reports each start and end. */
function watchStoreWrites(home: string, pid: () => number, on: { start?: (n: number) => void; done?: (n: number) => void } = {}) {
  let started = 0;
  let done = 0;
  const seen = new Set<string>();
  const watcher = fs.watch(home, (_event, name) => {
    if (!name) return;
    if (isStoreTemp(name, pid()) && !seen.has(name)) {
      // The same name is reported again when it is renamed away; count it once.
      seen.add(name);
      started++;
      on.start?.(started);
    } else if (name === STORE_FILE && done < started) {
      done++;
      on.done?.(done);
    }
  });
  return {
    counts: () => ({ started, done }),
    close: () => watcher.close(),
  };
}

export async function runAndKill(args: string[], opts: { home: string; stdin?: string; kill: KillPoint }): Promise<KilledRun> {
  let pid = 0;
  let timer: NodeJS.Timeout | undefined;
  let killedAt: number | null = null;
  const kill = () => {
    try {
      process.kill(pid, 'SIGKILL');
      killedAt ??= Date.now();
    } catch {
      // Already gone: it finished before the kill point.
    }
  };
  const { kill: point } = opts;
  const watch = watchStoreWrites(opts.home, () => pid, {
    start: (n) => {
      if (point.at === 'write-start' && n === point.nth) kill();
    },
    done: (n) => {
      if (point.at === 'write-done' && n === point.nth) {
        if (point.delayMs <= 0) kill();
        else timer = setTimeout(kill, point.delayMs);
      }
    },
  });
  const started = performance.now();
  try {
    const run = await runCli([...args, '--json'], {
      home: opts.home,
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      onSpawn: (p) => {
        pid = p;
        if (point.at === 'time') timer = setTimeout(kill, point.afterMs);
      },
    });
    const killed = run.signal === 'SIGKILL';
    return { killed, run, pid, elapsedMs: performance.now() - started, killedAt: killed ? killedAt : null };
  } finally {
    clearTimeout(timer);
    watch.close();
  }
}

/**
 * Which phase of its store writes a kill cut: `during` when it left a temp file of a store write
 * (killed between creating it and renaming it over the store), else `after` when the store file
 * changed (at least one commit landed), else `before`.
 */
export function killPhase(home: string, r: KilledRun, storeBefore: string, storeNow: string): KillPhase {
  if (fs.readdirSync(home).some((name) => isStoreTemp(name, r.pid))) return 'during';
  return storeNow !== storeBefore ? 'after' : 'before';
}

/** A full, unkilled run: how long it took, how many store writes it made, and how long it ran after the last one. */
export interface RunShape {
  windowMs: number;
  storeWrites: number;
  tailMs: number;
}

/**
 * The shape of a full, unkilled run, kill points are drawn from: the median of three runs (each
 * prepared by `prepare`, each checked by `expectOk`), so one slow cold start does not push most
 * kill points past the end of the run.
 */
export async function measureRun(prepare: () => { args: string[]; stdin?: string }, opts: { home: string; expectOk: (run: CliRun) => void }): Promise<RunShape> {
  const shapes: RunShape[] = [];
  for (let i = 0; i < 3; i++) {
    const { args, stdin } = prepare();
    let pid = 0;
    let lastDone = 0;
    const watch = watchStoreWrites(opts.home, () => pid, { done: () => (lastDone = performance.now()) });
    const started = performance.now();
    const run = await runCli([...args, '--json'], { home: opts.home, ...(stdin !== undefined ? { stdin } : {}), onSpawn: (p) => (pid = p) });
    const ended = performance.now();
    watch.close();
    opts.expectOk(run);
    shapes.push({ windowMs: ended - started, storeWrites: watch.counts().started, tailMs: lastDone ? ended - lastDone : 0 });
  }
  const median = (pick: (s: RunShape) => number) => shapes.map(pick).sort((a, b) => a - b)[1]!;
  return { windowMs: median((s) => s.windowMs), storeWrites: median((s) => s.storeWrites), tailMs: median((s) => s.tailMs) };
}

/**
 * The kill point of round `round`: every other one at a uniformly random time of the run, the
 * rest alternately as a store write begins and just after one is done (which write, and how
 * long after, drawn at random), so kills land before, during and after commits.
 */
export function chooseKillPoint(round: number, shape: RunShape, random: () => number): KillPoint {
  const nth = 1 + Math.floor(random() * Math.max(1, shape.storeWrites));
  switch (round % 4) {
    case 1:
      return { at: 'write-start', nth };
    case 3:
      return { at: 'write-done', nth, delayMs: random() < 0.5 ? 0 : random() * shape.tailMs };
    default:
      return { at: 'time', afterMs: random() * shape.windowMs };
  }
}

export function describeKillPoint(k: KillPoint, shape: RunShape): string {
  if (k.at === 'time') return `SIGKILL at ${k.afterMs.toFixed(0)} ms of ${shape.windowMs.toFixed(0)}`;
  if (k.at === 'write-start') return `SIGKILL as store write ${k.nth} of ${shape.storeWrites} began`;
  return `SIGKILL ${k.delayMs.toFixed(0)} ms after store write ${k.nth} of ${shape.storeWrites} was done`;
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
  /** Kills by the phase of the store writes they cut (killPhase). */
  phases: Record<KillPhase, number>;
  /** Kills after which the next start replayed at least one key receipt. */
  recoveries: number;
  /** The most receipts one start replayed. */
  maxRecovered: number;
  /** PPKs the server converted whose answer the kill left unread (held by their durable request, recovered by converting again). */
  inFlight: number;
  /** Kills that left atomic-write temp files beside the store (each removed by the next start). */
  leftoverTempFiles: number;
  /** Longest time between the server producing an in-flight key and the kill (ms). */
  maxInFlightAgeMs: number;
  /** The full run kill points were drawn from. */
  shape: RunShape;
}

export function newStats(): ScenarioStats {
  return {
    runs: 0,
    kills: 0,
    phases: { before: 0, during: 0, after: 0 },
    recoveries: 0,
    maxRecovered: 0,
    inFlight: 0,
    leftoverTempFiles: 0,
    maxInFlightAgeMs: 0,
    shape: { windowMs: 0, storeWrites: 0, tailMs: 0 },
  };
}

/** The phases no kill of the scenario landed in (a test fails on any). */
export function missingPhases(s: ScenarioStats): KillPhase[] {
  return KILL_PHASES.filter((p) => s.phases[p] === 0);
}

export function formatSummary(seed: number, stats: Record<string, ScenarioStats>): string {
  const lines = Object.entries(stats).map(([name, s]) =>
    [
      `  ${name}: ${s.kills} kills in ${s.runs} runs (a full run: ${Math.round(s.shape.windowMs)} ms, ${s.shape.storeWrites} store write(s))`,
      `killed before the first store write ${s.phases.before}, during a store write ${s.phases.during}, after a store write ${s.phases.after}`,
      `recoveries ${s.recoveries}`,
      `max keys recovered at once ${s.maxRecovered}`,
      `keys cut off in flight ${s.inFlight}${s.inFlight ? ` (made by the server at most ${Math.round(s.maxInFlightAgeMs)} ms before the kill; each held by its request and recovered)` : ''}`,
      `kills that left temp files ${s.leftoverTempFiles} (all removed by the next start)`,
    ].join('; '),
  );
  const total = Object.values(stats).reduce((n, s) => n + s.kills, 0);
  return [`crash harness (CRASH_SEED=${seed}): ${total} SIGKILLs`, ...lines].join('\n');
}
