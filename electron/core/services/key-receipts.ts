import type { Context } from '../context.ts';
import type { License, Ppk, StoreData } from '../store/schema.ts';
import type { KeyfleetEvent } from '../store/journal.ts';
import { newId } from '../ids.ts';

/**
 * A key a vendor returned is money. It is appended (fsync'd) to keys.jsonl before the store is
 * touched; on every start the receipts are replayed, so a crash between the answer and the
 * store write loses nothing. Replay is idempotent: a receipt already in the store is skipped.
 */
export interface PpkReceipt {
  kind: 'ppk';
  ppkId: string;
  ppk: string;
  key: string;
  issuedAt: string;
  expiresAt: string;
  serverTime: string;
  skewMs: number;
  enduser: string;
  email: string;
  sourceId: string;
  clientId?: string | undefined;
}

export interface QlmReceipt {
  kind: 'qlm';
  keys: string[];
  sourceId: string;
  product: string;
  expiresAt: string | null;
  clientId?: string | undefined;
  details: Record<string, unknown>;
}

export type KeyReceipt = PpkReceipt | QlmReceipt;

export function recordReceipt(ctx: Context, receipt: KeyReceipt, target: string): KeyfleetEvent {
  const [event] = ctx.keys.append({ action: 'key.received', target, outcome: 'ok', data: { receipt } });
  return event!;
}

/** Fold a receipt into a snapshot (pure). Returns the same snapshot when already applied. */
export function applyReceipt(data: StoreData, receiptId: string, receipt: KeyReceipt, at: string): StoreData {
  const has = (key: string) => data.licenses.some((l) => l.key === key && (l.vendor === 'qlm' ? receipt.kind === 'qlm' : receipt.kind === 'ppk'));
  if (receipt.kind === 'ppk') {
    const ppk = data.ppks.find((p) => p.id === receipt.ppkId) ?? data.ppks.find((p) => p.ppk === receipt.ppk);
    const licenseExists = has(receipt.key);
    const ppkDone = !ppk || ppk.conversion?.key === receipt.key;
    if (licenseExists && ppkDone) return data;
    let licenses = data.licenses;
    let licenseId = data.licenses.find((l) => l.key === receipt.key && l.vendor === 'queuemetrics')?.id;
    if (!licenseExists) {
      licenseId = newId('lic');
      const license: License = {
        id: licenseId,
        vendor: 'queuemetrics',
        key: receipt.key,
        sourceId: receipt.sourceId,
        product: ppk ? `QueueMetrics ${ppk.agents} agents / ${ppk.servers} server${ppk.servers === 1 ? '' : 's'}` : 'QueueMetrics',
        limits: ppk ? { agents: ppk.agents, servers: ppk.servers } : {},
        validFrom: receipt.issuedAt.slice(0, 10),
        expiresAt: receipt.expiresAt,
        origin: 'ppk',
        status: 'active',
        replaces: [],
        details: { ppk: receipt.ppk, enduser: receipt.enduser, receiptId },
        createdAt: at,
        updatedAt: at,
        ...(receipt.clientId ? { clientId: receipt.clientId } : {}),
      };
      licenses = [...data.licenses, license];
    }
    let ppks = data.ppks;
    if (ppk && !ppkDone) {
      const next: Ppk = {
        ...ppk,
        state: ppk.state === 'installed' ? 'installed' : 'converted',
        licenseId: licenseId!,
        conversion: {
          key: receipt.key,
          issuedAt: receipt.issuedAt,
          expiresAt: receipt.expiresAt,
          serverTime: receipt.serverTime,
          skewMs: receipt.skewMs,
          enduser: receipt.enduser,
          email: receipt.email,
          sourceId: receipt.sourceId,
          at,
        },
      };
      ppks = data.ppks.map((p) => (p.id === ppk.id ? next : p));
    }
    const sources = data.sources.map((s) => (s.id === receipt.sourceId ? { ...s, lastSkewMs: receipt.skewMs } : s));
    return { ...data, licenses, ppks, sources };
  }
  const missing = receipt.keys.filter((k) => !has(k));
  if (missing.length === 0) return data;
  const added: License[] = missing.map((key) => ({
    id: newId('lic'),
    vendor: 'qlm',
    key,
    sourceId: receipt.sourceId,
    product: receipt.product,
    limits: {},
    expiresAt: receipt.expiresAt,
    origin: 'qlm',
    status: 'active',
    replaces: [],
    details: { ...receipt.details, receiptId },
    createdAt: at,
    updatedAt: at,
    ...(receipt.clientId ? { clientId: receipt.clientId } : {}),
  }));
  return { ...data, licenses: [...data.licenses, ...added] };
}

export function recoverKeyReceipts(ctx: Context): number {
  const { events, warnings } = ctx.keys.read();
  for (const w of warnings) ctx.log.warn(w);
  let data = ctx.store.data;
  let recovered = 0;
  // The common case (every receipt already stored) costs one pass over the licenses.
  const known = new Set(data.licenses.map((l) => l.key));
  const converted = new Map(data.ppks.map((p) => [p.id, p.conversion?.key]));
  for (const e of events) {
    const receipt = (e.data as { receipt?: KeyReceipt } | undefined)?.receipt;
    if (!receipt) continue;
    if (receipt.kind === 'ppk' && known.has(receipt.key) && (!converted.has(receipt.ppkId) || converted.get(receipt.ppkId) === receipt.key)) continue;
    if (receipt.kind === 'qlm' && receipt.keys.every((k) => known.has(k))) continue;
    const next = applyReceipt(data, e.id, receipt, e.at);
    if (next !== data) {
      recovered++;
      data = next;
    }
  }
  if (recovered > 0) {
    ctx.store.commit(data);
    ctx.journal.append({ action: 'key.recovered', target: `${recovered} receipt(s)`, outcome: 'ok', summary: 'keys received before an interruption were added to the store' });
  }
  return recovered;
}
