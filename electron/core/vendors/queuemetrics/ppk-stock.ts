import type { Context } from '../../context.ts';
import type { Ppk } from '../../store/schema.ts';
import type { PpkView, StockGroup } from '../../api/contract.ts';
import { newId } from '../../ids.ts';
import { KeyfleetError } from '../../errors.ts';
import { parsePpkList, ppkDurationLabel, productName } from './ppk.ts';
import { listLicenses } from '../../services/licenses.ts';
import { findInstance } from '../../services/instances.ts';
import { heldForAnother, unresolvedPpkRequests } from '../../services/key-receipts.ts';

export function findPpk(ctx: Context, ref: string): Ppk {
  const trimmed = ref.trim();
  const ppk = ctx.store.data.ppks.find((p) => p.id === trimmed || p.ppk === trimmed);
  if (!ppk) throw new KeyfleetError('NOT_FOUND', `PPK ${trimmed} is not in stock; add it first (keyfleet ppk add)`);
  return ppk;
}

/** Every PPK as lists show it; the interrupted-request log is read once for the whole list. */
export function ppkViews(ctx: Context): PpkView[] {
  const held = unresolvedPpkRequests(ctx);
  return ctx.store.data.ppks.map((p) => ppkView(ctx, p, held));
}

export function ppkView(ctx: Context, p: Ppk, held: ReadonlyMap<string, { enduser: string }> = unresolvedPpkRequests(ctx)): PpkView {
  const instance = p.instanceId ? ctx.store.data.instances.find((i) => i.id === p.instanceId) : undefined;
  return {
    heldFor: held.get(p.id)?.enduser ?? null,
    id: p.id,
    ppk: p.ppk,
    product: p.product,
    productName: productName(p.product),
    agents: p.agents,
    servers: p.servers,
    days: p.days,
    durationLabel: ppkDurationLabel(p.days),
    state: p.state,
    convertedElsewhere: p.convertedElsewhere === true,
    addedAt: p.addedAt,
    licenseId: p.licenseId ?? null,
    instanceId: p.instanceId ?? null,
    instance: instance?.name ?? null,
    refusal: p.refusal ? { message: p.refusal.message, at: p.refusal.at } : null,
    conversion: p.conversion
      ? { key: p.conversion.key, issuedAt: p.conversion.issuedAt, expiresAt: p.conversion.expiresAt, enduser: p.conversion.enduser, email: p.conversion.email, at: p.conversion.at, skewMs: p.conversion.skewMs }
      : null,
  };
}

/**
 * Add PPKs from pasted text: one per line; duplicates skipped; malformed ones rejected with the
 * reason. `converted`: PPKs converted before Keyfleet (their keys already run somewhere): they
 * are kept apart from the stock and never converted again, only asked for to adopt a running
 * key; a PPK already in stock, never asked for, is marked so too (counted in `marked`).
 */
export function addPpks(ctx: Context, text: string, opts: { converted?: boolean } = {}): { added: number; skipped: number; marked: number; rejected: Array<{ ppk: string; reason: string }> } {
  const { valid, rejected, duplicates } = parsePpkList(text);
  const existing = new Map(ctx.store.data.ppks.map((p) => [p.ppk, p]));
  const held = opts.converted ? unresolvedPpkRequests(ctx) : new Map();
  const now = ctx.now().toISOString();
  const fresh: Ppk[] = [];
  const toMark = new Set<string>();
  let skipped = duplicates.length;
  for (const p of valid) {
    const known = existing.get(p.ppk);
    if (known) {
      if (opts.converted && known.state === 'in-stock' && !known.conversion && !held.has(known.id)) toMark.add(known.id);
      else skipped++;
      continue;
    }
    const ppk: Ppk = { id: newId('ppk'), ppk: p.ppk, product: p.product, agents: p.agents, servers: p.servers, days: p.days, state: opts.converted ? 'converted' : 'in-stock', addedAt: now };
    if (opts.converted) ppk.convertedElsewhere = true;
    existing.set(p.ppk, ppk);
    fresh.push(ppk);
  }
  if (fresh.length > 0 || toMark.size > 0) {
    ctx.store.update((d) => ({
      ...d,
      ppks: [...d.ppks.map((p) => (toMark.has(p.id) ? { ...p, state: 'converted' as const, convertedElsewhere: true } : p)), ...fresh],
    }));
    const what = opts.converted ? 'converted before Keyfleet' : 'to stock';
    ctx.journal.append({
      action: 'ppk.add',
      target: `${fresh.length + toMark.size} PPK(s)`,
      outcome: 'ok',
      summary: `added ${fresh.length} ${what}${toMark.size ? `, marked ${toMark.size} in stock as converted before Keyfleet` : ''}, skipped ${skipped}, rejected ${rejected.length}`,
    });
  }
  return { added: fresh.length, skipped, marked: toMark.size, rejected };
}

export function removePpk(ctx: Context, ref: string): void {
  const ppk = findPpk(ctx, ref);
  const neverAsked = ppk.convertedElsewhere === true && !ppk.conversion;
  if (ppk.state !== 'in-stock' && ppk.state !== 'refused' && !neverAsked) throw new KeyfleetError('CONFLICT', `PPK ${ppk.ppk} was already converted; its key is kept as a license`);
  ctx.store.update((d) => ({ ...d, ppks: d.ppks.filter((p) => p.id !== ppk.id) }));
  ctx.journal.append({ action: 'ppk.remove', target: ppk.ppk, outcome: 'ok' });
}

export function stockKey(p: { product: string; agents: number; servers: number; days: number }): string {
  return `${p.product}-${p.agents}/${p.servers}/${p.days}`;
}

/** PPKs grouped by product, size and duration, with counts and the low-stock flag. */
export function ppkStock(ctx: Context): StockGroup[] {
  const { lowStockThreshold, stockThresholds } = ctx.store.data.settings;
  const groups = new Map<string, StockGroup>();
  for (const p of ctx.store.data.ppks) {
    const key = stockKey(p);
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        label: `${productName(p.product)} · ${p.agents} agents · ${p.servers} server${p.servers === 1 ? '' : 's'} · ${ppkDurationLabel(p.days)}`,
        product: p.product,
        agents: p.agents,
        servers: p.servers,
        days: p.days,
        inStock: 0,
        converted: 0,
        convertedElsewhere: 0,
        installed: 0,
        refused: 0,
        threshold: stockThresholds[key] ?? lowStockThreshold,
        low: false,
      };
      groups.set(key, g);
    }
    if (p.state === 'in-stock') g.inStock++;
    else if (p.convertedElsewhere && !p.instanceId) g.convertedElsewhere++;
    else if (p.state === 'converted') g.converted++;
    else if (p.state === 'refused') g.refused++;
    else g.installed++;
  }
  const out = [...groups.values()];
  for (const g of out) g.low = g.inStock <= g.threshold;
  return out.sort((a, b) => a.product.localeCompare(b.product) || a.agents - b.agents || a.servers - b.servers || a.days - b.days);
}

/** Set (or, with null, clear) the low-stock threshold of one stock group. */
export function setStockThreshold(ctx: Context, group: string, threshold: number | null): void {
  const known = new Set(ctx.store.data.ppks.map(stockKey));
  if (!known.has(group)) throw new KeyfleetError('NOT_FOUND', `no PPK stock group ${group} (groups look like QM-50/1/90)`);
  ctx.store.update((d) => {
    const { [group]: _old, ...rest } = d.settings.stockThresholds;
    return { ...d, settings: { ...d.settings, stockThresholds: threshold === null ? rest : { ...rest, [group]: threshold } } };
  });
}

/**
 * The PPK an activation on this instance would spend when none is named, and why: in stock, not
 * refused by the key server, not held for another end-user.
 */
export function choosePpk(ctx: Context, instanceRef: string, enduser: string | undefined): { ppk: Ppk | null; reason: string } {
  const held = unresolvedPpkRequests(ctx);
  return suggestPpk(ctx, instanceRef, ctx.store.data.ppks.filter((p) => !heldForAnother(held, p, enduser)));
}

/** Mark a PPK the key server refused (S:KO), with its words, so it is not picked again. */
export function markPpkRefused(ctx: Context, ppkId: string, message: string, sourceId: string): void {
  const at = ctx.now().toISOString();
  ctx.store.update((d) => ({
    ...d,
    ppks: d.ppks.map((p) => (p.id === ppkId && p.state === 'in-stock' ? { ...p, state: 'refused' as const, refusal: { message: message.slice(0, 500), at, sourceId } } : p)),
  }));
}

/** The PPK that best fits an instance: same agents and servers as its current license, else the smallest that is not smaller. */
export function suggestPpk(ctx: Context, instanceRef: string, candidates: readonly Ppk[] = ctx.store.data.ppks): { ppk: Ppk | null; reason: string } {
  const instance = findInstance(ctx, instanceRef);
  const stock = candidates.filter((p) => p.state === 'in-stock' && p.product === 'QM');
  if (stock.length === 0) return { ppk: null, reason: 'no QueueMetrics PPK in stock' };
  const current = listLicenses(ctx, { instanceId: instance.id, vendor: 'queuemetrics' })[0];
  const agents = current?.limits.agents;
  const servers = current?.limits.servers;
  const bySize = (a: Ppk, b: Ppk) => a.agents - b.agents || a.servers - b.servers || a.days - b.days || a.addedAt.localeCompare(b.addedAt);
  if (agents !== undefined && servers !== undefined) {
    const same = stock.filter((p) => p.agents === agents && p.servers === servers).sort(bySize);
    if (same[0]) return { ppk: same[0], reason: `matches the current license (${agents} agents, ${servers} server${servers === 1 ? '' : 's'})` };
    const bigger = stock.filter((p) => p.agents >= agents && p.servers >= servers).sort(bySize);
    if (bigger[0]) return { ppk: bigger[0], reason: `smallest PPK at least as large as the current license (${agents} agents, ${servers} servers)` };
    return { ppk: stock.sort(bySize).at(-1)!, reason: `no PPK in stock is as large as the current license (${agents} agents); this is the largest` };
  }
  return { ppk: stock.sort(bySize)[0]!, reason: 'the instance has no known license; smallest PPK in stock' };
}
