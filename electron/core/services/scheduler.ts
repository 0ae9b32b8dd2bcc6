/**
 * Runs many network tasks with a global concurrency limit and a per-host limit, so a bulk
 * job goes as fast as the network allows without ever opening more than `perHost`
 * connections to one vendor server. Cancellation stops starting new tasks and aborts the
 * running ones through their signal.
 */
export interface ScheduledTask<T> {
  host: string;
  run(signal: AbortSignal): Promise<T>;
}

export interface SchedulerOptions {
  concurrency: number;
  perHost: number;
  signal?: AbortSignal;
}

export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown; cancelled: boolean };

export async function runScheduled<T>(
  tasks: readonly ScheduledTask<T>[],
  opts: SchedulerOptions,
  onResult: (index: number, outcome: TaskOutcome<T>) => void,
): Promise<{ cancelled: boolean }> {
  const concurrency = Math.max(1, opts.concurrency);
  const perHost = Math.max(1, opts.perHost);
  const running = new Map<string, number>();
  // Tasks waiting, grouped by host, in submission order; `next` is the first not yet started
  // (a cursor rather than shift(), which would copy a long queue for every task of one host).
  const queues = new Map<string, { items: number[]; next: number }>();
  tasks.forEach((t, i) => {
    const q = queues.get(t.host);
    if (q) q.items.push(i);
    else queues.set(t.host, { items: [i], next: 0 });
  });
  const hosts = [...queues.keys()];
  let hostCursor = 0;
  let active = 0;
  let remaining = tasks.length;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) abort.abort();

  return await new Promise((resolve) => {
    const finish = () => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ cancelled: abort.signal.aborted });
    };
    if (remaining === 0) return finish();

    // Round-robin over hosts so one big host does not starve the others.
    const nextIndex = (): number | undefined => {
      for (let n = 0; n < hosts.length; n++) {
        const host = hosts[(hostCursor + n) % hosts.length]!;
        const q = queues.get(host)!;
        if (q.next < q.items.length && (running.get(host) ?? 0) < perHost) {
          hostCursor = (hostCursor + n + 1) % hosts.length;
          return q.items[q.next++];
        }
      }
      return undefined;
    };

    const pump = () => {
      if (abort.signal.aborted) {
        // Report everything not started as cancelled.
        for (const q of queues.values()) {
          const notStarted = q.items.slice(q.next);
          q.next = q.items.length;
          for (const i of notStarted) {
            remaining--;
            onResult(i, { ok: false, error: new Error('cancelled'), cancelled: true });
          }
        }
        if (remaining === 0) finish();
        return;
      }
      while (active < concurrency) {
        const i = nextIndex();
        if (i === undefined) break;
        const task = tasks[i]!;
        active++;
        running.set(task.host, (running.get(task.host) ?? 0) + 1);
        // One reaction per task (not then + finally: a bulk job runs thousands).
        const settle = (outcome: TaskOutcome<T>) => {
          try {
            onResult(i, outcome);
          } finally {
            active--;
            running.set(task.host, (running.get(task.host) ?? 1) - 1);
            remaining--;
            if (remaining === 0) finish();
            else pump();
          }
        };
        task.run(abort.signal).then(
          (value) => settle({ ok: true, value }),
          (error: unknown) => settle({ ok: false, error, cancelled: abort.signal.aborted }),
        );
      }
    };
    abort.signal.addEventListener('abort', pump, { once: true });
    pump();
  });
}

/** Host key for per-host limits: scheme-less host:port. */
export function hostOf(url: string): string {
  // A bulk job asks once per instance and a fleet has far fewer hosts than instances: the host
  // depends only on the scheme and authority, so each of those is parsed once.
  const origin = ORIGIN.exec(url)?.[0];
  if (origin === undefined) return parsedHost(url);
  let host = hostsByOrigin.get(origin);
  if (host === undefined) {
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return parsedHost(url);
    }
    if (hostsByOrigin.size >= MAX_ORIGINS) hostsByOrigin.clear();
    hostsByOrigin.set(origin, host);
  }
  return host;
}

/**
 * A scheme and a non-empty authority written in the characters an authority is made of (anything
 * else, such as a control character the parser would strip at the end of the text only, is
 * parsed whole), followed by the path, query, fragment or nothing.
 */
const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[A-Za-z0-9._~%!$&'()*+,;=:@[\]-]+(?=[/?#]|$)/;
const MAX_ORIGINS = 10_000;
const hostsByOrigin = new Map<string, string>();

function parsedHost(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/**
 * Collects results and hands them to `flush` in batches: at most one flush per `intervalMs`
 * or per `maxItems` items, whichever comes first, and once more at the end.
 */
export class Batcher<T> {
  #items: T[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #flush: (items: T[]) => void;
  readonly #intervalMs: number;
  readonly #maxItems: number;

  constructor(flush: (items: T[]) => void, opts: { intervalMs?: number; maxItems?: number } = {}) {
    this.#flush = flush;
    this.#intervalMs = opts.intervalMs ?? 250;
    this.#maxItems = opts.maxItems ?? 200;
  }

  add(item: T): void {
    this.#items.push(item);
    if (this.#items.length >= this.#maxItems) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs);
  }

  flush(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.#flush(items);
  }
}
