import type { Context } from '../context.ts';

/**
 * The onboarding steps that bring in what vendor servers hold beyond the instances: a QLM
 * License Server's licenses, and the expiry of QueueMetrics keys converted from PPKs before
 * Keyfleet. Each is a thin call into its vendor's service, loaded on first use.
 */
type StepProgress = (p: { done: number; total: number; current?: string }) => void;

/** Step 5: every QLM source's licenses, matched to clients by company or e-mail. */
export async function importFromQlmSources(ctx: Context, onProgress: StepProgress, signal?: AbortSignal): Promise<string> {
  const sources = ctx.store.data.sources.filter((s) => s.kind === 'qlm');
  if (sources.length === 0) return 'no QLM License Server is set up';
  const { importQlmLicenses } = await import('../vendors/qlm/import.ts');
  const parts: string[] = [];
  for (const source of sources) {
    const r = await importQlmLicenses(ctx, { source: source.id, signal, onProgress: (p) => onProgress({ done: p.done, total: p.total ?? p.done, current: source.name }) });
    parts.push(`${source.name}: ${r.imported} imported, ${r.updated} updated, ${r.matched} matched, ${r.unmatched.length} unmatched${r.rejected.length ? `, ${r.rejected.length} unreadable` : ''}${r.warning ? ` (${r.warning})` : ''}`);
  }
  return parts.join('; ');
}

/**
 * The PPKs the adopt step would ask the key server about: those the user marked converted
 * before Keyfleet, when an onboarded QueueMetrics instance runs a key Keyfleet does not know.
 * Asking is idempotent only for converted PPKs, so the list is shown and confirmed first.
 */
export function convertedPpksToAsk(ctx: Context, instanceIds: readonly string[]): string[] {
  const ids = new Set(instanceIds);
  const data = ctx.store.data;
  if (!data.instances.some((i) => ids.has(i.id) && i.kind === 'queuemetrics' && i.drift === 'unknown')) return [];
  return data.ppks.filter((p) => p.convertedElsewhere && !p.licenseId).map((p) => p.ppk);
}

/** Step 6: QueueMetrics keys adopted from the PPKs marked converted. */
export async function adoptFromConvertedPpks(ctx: Context, instanceIds: readonly string[], onProgress: StepProgress, signal?: AbortSignal): Promise<string> {
  const { adoptConvertedPpks } = await import('../vendors/queuemetrics/adopt.ts');
  const r = await adoptConvertedPpks(ctx, { instanceIds, ...(signal ? { signal } : {}), onProgress: (p) => onProgress({ done: p.done, total: p.total }) });
  return `${r.adopted} key(s) adopted from ${r.asked} PPK(s) asked; ${r.unknownInstances.length} instance(s) still run an unknown key; ${r.unmatchedPpks.length} converted PPK(s) matched no instance`;
}
