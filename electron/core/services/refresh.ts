import type { Context } from '../context.ts';
import type { Instance } from '../store/schema.ts';
import { KeyfleetError, toErrorInfo } from '../errors.ts';
import { commitReadings, readInstance, type ReadingResult } from './instance-check.ts';
import { Batcher, hostOf, runScheduled } from './scheduler.ts';
import { SecretCache } from '../vendors/instance-endpoint.ts';
import { driftEntries, type DriftEntry } from '../vendors/queuemetrics/drift.ts';

export interface RefreshOptions {
  instanceIds?: string[] | undefined;
  concurrency?: number | undefined;
  perHost?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (p: { done: number; total: number; ok: number; failed: number; current?: string }) => void;
  /** Store-write batching (defaults: 250 ms / 200 results; see UNATTENDED_BATCHING). */
  batchIntervalMs?: number;
  batchSize?: number;
}

/**
 * Batching for a refresh nobody watches as it runs (the `keyfleet refresh` command): the results
 * are committed every few seconds and once at the end, instead of every 250 ms for a window that
 * shows them as they arrive. Each commit replaces and stamps the whole store file (~50 ms with the
 * event loop blocked, ~35 ms of CPU at 5,000 instances), so this makes a refresh of 5,000
 * instances 2 writes instead of ~34. A crash loses at most the readings since the last commit:
 * readings are what the instances report and the next refresh reads them again; keys and user
 * data are never held back (a refresh writes neither; vendor-issued keys have their own receipts).
 */
export const UNATTENDED_BATCHING = { batchIntervalMs: 5000, batchSize: Number.POSITIVE_INFINITY } as const;

export interface RefreshResult {
  checked: number;
  ok: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
  /** Store writes while the refresh ran: its result batches (plus any other change committed meanwhile). */
  storeWrites: number;
  failures: Array<{ instance: string; error: { code: string; message: string } }>;
  /** Instances this refresh read running a key other than the one recorded for them. */
  drift: DriftEntry[];
}

/**
 * Check every (or every selected) instance through the scheduler: bounded concurrency
 * globally and per host, results folded into the store in batches, one event-journal write
 * per batch, and progress after each result.
 */
export async function refreshInstances(ctx: Context, opts: RefreshOptions = {}): Promise<RefreshResult> {
  const started = Date.now();
  const all = ctx.store.data.instances;
  let targets: Instance[] = all;
  if (opts.instanceIds) {
    const wanted = new Set(opts.instanceIds);
    targets = all.filter((i) => wanted.has(i.id));
    if (targets.length !== wanted.size) throw new KeyfleetError('NOT_FOUND', `${wanted.size - targets.length} of the selected instances no longer exist`);
  }
  const settings = ctx.store.data.settings;
  const secrets = new SecretCache(ctx);
  const failures: RefreshResult['failures'] = [];
  let ok = 0;
  let done = 0;
  const writesBefore = ctx.store.writes;
  const readOk = new Set<string>();
  const names = new Map(targets.map((i) => [i.id, i.name]));
  const batcher = new Batcher<ReadingResult>(
    (batch) => {
      const { outside } = commitReadings(ctx, batch);
      ctx.journal.append(
        ...batch.map((r) => ({
          action: 'instance.check',
          target: names.get(r.instanceId) ?? r.instanceId,
          instanceId: r.instanceId,
          outcome: r.error ? ('failed' as const) : ('ok' as const),
          ...(r.error ? { error: r.error } : {}),
        })),
        ...outside,
      );
    },
    { intervalMs: opts.batchIntervalMs ?? 250, maxItems: opts.batchSize ?? 200 },
  );

  const { cancelled } = await runScheduled(
    targets.map((instance) => ({
      host: hostOf(instance.url),
      run: async (signal: AbortSignal) => {
        const t0 = Date.now();
        const at = ctx.now().toISOString();
        try {
          const reading = await readInstance(ctx, instance, { signal, secrets });
          return { instanceId: instance.id, at, durationMs: Date.now() - t0, reading } satisfies ReadingResult;
        } catch (e) {
          const info = toErrorInfo(e);
          if (info.code === 'CANCELLED') throw e;
          return { instanceId: instance.id, at, durationMs: Date.now() - t0, error: { code: info.code, message: info.message } } satisfies ReadingResult;
        }
      },
    })),
    { concurrency: opts.concurrency ?? settings.refreshConcurrency, perHost: opts.perHost ?? settings.perHostConcurrency, signal: opts.signal },
    (index, outcome) => {
      const instance = targets[index]!;
      if (!outcome.ok) return; // cancelled before or while running: nothing to record
      done++;
      const result = outcome.value;
      if (result.error) failures.push({ instance: instance.name, error: result.error });
      else {
        ok++;
        readOk.add(instance.id);
      }
      batcher.add(result);
      opts.onProgress?.({ done, total: targets.length, ok, failed: failures.length, current: instance.name });
    },
  );
  batcher.flush();
  const drift = driftEntries(ctx.store.data, readOk);
  return { checked: done, ok, failed: failures.length, cancelled, durationMs: Date.now() - started, storeWrites: ctx.store.writes - writesBefore, failures, drift };
}
