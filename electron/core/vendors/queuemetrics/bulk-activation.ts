import type { Context } from '../../context.ts';
import type { Ppk } from '../../store/schema.ts';
import { KeyfleetError, toErrorInfo } from '../../errors.ts';
import { nextStepsOf, type NextStep } from '../../next-steps.ts';
import { findInstance } from '../../services/instances.ts';
import { findPpk, suggestPpk } from './ppk-stock.ts';
import { activatePpk } from './activation.ts';
import { heldForAnother, unresolvedPpkRequests } from '../../services/key-receipts.ts';
import { hostOf, runScheduled } from '../../services/scheduler.ts';

export interface BulkActivationItem {
  instance: string;
  ppk?: string | undefined;
}

export interface BulkActivationResult {
  results: Array<{ instance: string; ppk: string | null; ok: boolean; reason?: string; licenseId?: string; expiresAt?: string | null; verified?: boolean; error?: { code: string; message: string; nextSteps?: NextStep[] } }>;
  ok: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
}

/**
 * Activate PPKs on many QueueMetrics instances in one action, through the same scheduler as a
 * refresh (global and per-host limits). PPKs are assigned up front so two instances never
 * race for one; each item keeps the single activation's guarantees (checked before spending,
 * key persisted before install, resumable after a failed install).
 */
export async function activateBulk(
  ctx: Context,
  input: {
    items: BulkActivationItem[];
    confirm?: boolean | undefined;
    concurrency?: number | undefined;
    signal?: AbortSignal;
    installTimeoutMs?: number;
    onProgress?: (p: { done: number; total: number; ok: number; failed: number; current?: string }) => void;
    /** The PPK each instance gets, and why when it was chosen from stock: before anything is spent. */
    onPlan?: (plan: Array<{ instance: string; ppk: string | null; reason: string | null }>) => void;
  },
): Promise<BulkActivationResult> {
  const started = Date.now();
  const seen = new Set<string>();
  const taken = new Set<string>();
  const plan: Array<{ instanceId: string; name: string; url: string; ppk: Ppk | null; reason: string | null; planError?: KeyfleetError }> = [];
  // PPKs whose conversion was interrupted are held for the end-user they were sent for.
  const held = unresolvedPpkRequests(ctx);
  for (const item of input.items) {
    const instance = findInstance(ctx, item.instance);
    if (seen.has(instance.id)) throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is listed twice`);
    seen.add(instance.id);
    let ppk: Ppk | null;
    let reason: string | null = null;
    let planError: KeyfleetError | undefined;
    if (item.ppk) {
      ppk = findPpk(ctx, item.ppk);
      if (taken.has(ppk.id)) throw new KeyfleetError('BAD_INPUT', `PPK ${ppk.ppk} is given for two instances`);
    } else {
      const enduser = instance.clientId ? ctx.store.data.clients.find((c) => c.id === instance.clientId)?.name : undefined;
      const stock = ctx.store.data.ppks.filter((p) => p.state === 'in-stock' && !taken.has(p.id) && !heldForAnother(held, p, enduser));
      const choice = suggestPpk(ctx, instance.id, stock);
      ppk = choice.ppk;
      reason = choice.reason;
      if (!ppk) planError = new KeyfleetError('NOT_FOUND', `instance ${instance.name}: no PPK left in stock for it (${choice.reason})`);
    }
    if (ppk) taken.add(ppk.id);
    plan.push({ instanceId: instance.id, name: instance.name, url: instance.url, ppk, reason, ...(planError ? { planError } : {}) });
  }
  input.onPlan?.(plan.map((p) => ({ instance: p.name, ppk: p.ppk?.ppk ?? null, reason: p.reason })));

  const results: BulkActivationResult['results'] = plan.map((p) => ({ instance: p.name, ppk: p.ppk?.ppk ?? null, ok: false, ...(p.reason ? { reason: p.reason } : {}) }));
  let done = 0;
  let ok = 0;
  const settings = ctx.store.data.settings;
  const { cancelled } = await runScheduled(
    plan.map((p) => ({
      host: hostOf(p.url),
      run: async (signal: AbortSignal) => {
        if (p.planError) throw p.planError;
        return activatePpk(ctx, {
          instance: p.instanceId,
          ppk: p.ppk!.id,
          confirm: input.confirm,
          signal,
          ...(input.installTimeoutMs ? { installTimeoutMs: input.installTimeoutMs } : {}),
        });
      },
    })),
    { concurrency: input.concurrency ?? Math.min(8, settings.refreshConcurrency), perHost: settings.perHostConcurrency, ...(input.signal ? { signal: input.signal } : {}) },
    (index, outcome) => {
      const r = results[index]!;
      done++;
      if (outcome.ok) {
        ok++;
        Object.assign(r, { ok: true, licenseId: outcome.value.license.id, expiresAt: outcome.value.license.expiresAt, verified: outcome.value.verified });
      } else {
        const info = toErrorInfo(outcome.cancelled ? new KeyfleetError('CANCELLED', 'cancelled before it started') : outcome.error);
        const nextSteps = nextStepsOf(info.details);
        r.error = { code: info.code, message: info.message, ...(nextSteps.length ? { nextSteps } : {}) };
      }
      input.onProgress?.({ done, total: plan.length, ok, failed: done - ok, current: r.instance });
    },
  );
  ctx.journal.append({ action: 'ppk.activate-bulk', target: `${plan.length} instance(s)`, outcome: ok === plan.length ? 'ok' : 'failed', summary: `${ok} activated, ${plan.length - ok} failed${cancelled ? ' (cancelled)' : ''}` });
  return { results, ok, failed: plan.length - ok, cancelled, durationMs: Date.now() - started };
}
