// Long by design: what makes a returned key durable before it is used (receipts, their fold into the store, recovery on open, and the PPK request log that stops one PPK being converted twice) shares one set of invariants.
import type { Context } from '../context.ts';
import type { License, Ppk, StoreData } from '../store/schema.ts';
import { Journal, PPK_REQUESTS_FILE, type KeyfleetEvent } from '../store/journal.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import type { NextStep } from '../next-steps.ts';

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
  /**
   * Asked again to adopt the key an instance already ran (a PPK converted before Keyfleet):
   * the license is made for that instance (origin adopted), or, when the key is not the one it
   * runs (instanceId null), only the PPK's conversion is kept.
   */
  adopt?: { instanceId: string | null } | undefined;
}

/** A key server's answer for a PPK, as the receipt that is made durable before anything uses it. */
export function ppkReceiptOf(
  ppk: Pick<Ppk, 'id' | 'ppk'>,
  result: Pick<PpkReceipt, 'key' | 'issuedAt' | 'expiresAt' | 'serverTime' | 'skewMs'>,
  parties: { enduser: string; email: string },
  sourceId: string,
): PpkReceipt {
  return { kind: 'ppk', ppkId: ppk.id, ppk: ppk.ppk, key: result.key, issuedAt: result.issuedAt, expiresAt: result.expiresAt, serverTime: result.serverTime, skewMs: result.skewMs, enduser: parties.enduser, email: parties.email, sourceId };
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
  if (receipt.kind === 'ppk' && receipt.adopt) return applyAdoptReceipt(data, receiptId, receipt, receipt.adopt.instanceId, at);
  if (receipt.kind === 'ppk') {
    const ppk = data.ppks.find((p) => p.id === receipt.ppkId) ?? data.ppks.find((p) => p.ppk === receipt.ppk);
    const licenseExists = has(receipt.key);
    const ppkDone = !ppk || ppk.conversion?.key === receipt.key;
    if (licenseExists && ppkDone) return data;
    let licenses = data.licenses;
    let licenseId = data.licenses.find((l) => l.key === receipt.key && l.vendor === 'queuemetrics')?.id;
    if (!licenseExists) {
      licenseId = newId('lic');
      const license = ppkLicenseOf(receipt, receiptId, ppk, at, { id: licenseId, origin: 'ppk', clientId: receipt.clientId });
      licenses = [...data.licenses, license];
    }
    let ppks = data.ppks;
    if (ppk && !ppkDone) {
      // A conversion that succeeds after an earlier refusal clears it.
      const { refusal: _refusal, ...unrefused } = ppk;
      const next: Ppk = {
        ...unrefused,
        state: ppk.state === 'installed' ? 'installed' : 'converted',
        licenseId: licenseId!,
        conversion: conversionOf(receipt, at),
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

/** The QueueMetrics license a PPK's key makes: its limits from the PPK, its dates from the key server. */
function ppkLicenseOf(
  receipt: PpkReceipt,
  receiptId: string,
  ppk: Ppk | undefined,
  at: string,
  made: { id: string; origin: 'ppk' | 'adopted'; instanceId?: string; clientId?: string | undefined },
): License {
  return {
    id: made.id,
    vendor: 'queuemetrics',
    key: receipt.key,
    ...(receipt.sourceId ? { sourceId: receipt.sourceId } : {}),
    ...(made.instanceId ? { instanceId: made.instanceId } : {}),
    product: ppk ? `QueueMetrics ${ppk.agents} agents / ${ppk.servers} server${ppk.servers === 1 ? '' : 's'}` : 'QueueMetrics',
    limits: ppk ? { agents: ppk.agents, servers: ppk.servers } : {},
    validFrom: receipt.issuedAt.slice(0, 10),
    expiresAt: receipt.expiresAt,
    origin: made.origin,
    status: 'active',
    replaces: [],
    details: { ppk: receipt.ppk, enduser: receipt.enduser, receiptId },
    createdAt: at,
    updatedAt: at,
    ...(made.clientId ? { clientId: made.clientId } : {}),
  };
}

/** The conversion a key server gave for a PPK, as the PPK records it. */
function conversionOf(receipt: PpkReceipt, at: string): NonNullable<Ppk['conversion']> {
  return {
    key: receipt.key,
    issuedAt: receipt.issuedAt,
    expiresAt: receipt.expiresAt,
    serverTime: receipt.serverTime,
    skewMs: receipt.skewMs,
    enduser: receipt.enduser,
    email: receipt.email,
    sourceId: receipt.sourceId,
    at,
  };
}

/** An adoption's receipt folded in (pure, idempotent): see PpkReceipt.adopt. */
function applyAdoptReceipt(data: StoreData, receiptId: string, receipt: PpkReceipt, instanceId: string | null, at: string): StoreData {
  const ppk = data.ppks.find((p) => p.id === receipt.ppkId) ?? data.ppks.find((p) => p.ppk === receipt.ppk);
  const instance = instanceId ? data.instances.find((i) => i.id === instanceId) : undefined;
  const existing = data.licenses.find((l) => l.vendor === 'queuemetrics' && l.key === receipt.key);
  const ppkDone = !ppk || (ppk.conversion?.key === receipt.key && (!instance || ppk.licenseId !== undefined));
  if (ppkDone && (!instance || existing)) return data;
  let licenses = data.licenses;
  let licenseId = existing?.id;
  if (instance && !existing) {
    licenseId = newId('lic');
    const license = ppkLicenseOf(receipt, receiptId, ppk, at, { id: licenseId, origin: 'adopted', instanceId: instance.id, clientId: receipt.clientId ?? instance.clientId });
    licenses = [...data.licenses, license];
  }
  const ppks = ppk
    ? data.ppks.map((p) =>
        p.id !== ppk.id
          ? p
          : { ...p, conversion: p.conversion?.key === receipt.key ? p.conversion : conversionOf(receipt, at), ...(instance && licenseId ? { state: 'installed' as const, licenseId, instanceId: instance.id } : {}) },
      )
    : data.ppks;
  const instances = instance ? data.instances.map((i) => (i.id === instance.id && i.snapshot?.key === receipt.key ? { ...i, drift: 'none' as const } : i)) : data.instances;
  const sources = data.sources.map((s) => (s.id === receipt.sourceId ? { ...s, lastSkewMs: receipt.skewMs } : s));
  return { ...data, licenses, ppks, instances, sources };
}

export function recoverKeyReceipts(ctx: Context): number {
  const { events, warnings } = ctx.keys.read();
  for (const w of warnings) ctx.log.warn(w);
  const receipts = events.flatMap((e) => {
    const receipt = (e.data as { receipt?: KeyReceipt } | undefined)?.receipt;
    return receipt ? [{ id: e.id, at: e.at, receipt }] : [];
  });
  // Most starts of a fleet that buys no keys through Keyfleet have none: nothing more to read.
  if (receipts.length === 0) return 0;
  let data = ctx.store.data;
  let recovered = 0;
  // The common case (every receipt already stored) costs one pass over the licenses.
  const known = new Set(data.licenses.map((l) => l.key));
  const converted = new Map(data.ppks.map((p) => [p.id, p.conversion?.key]));
  for (const { id, at, receipt } of receipts) {
    if (receipt.kind === 'ppk' && receipt.adopt?.instanceId === null && converted.get(receipt.ppkId) === receipt.key) continue;
    if (receipt.kind === 'ppk' && known.has(receipt.key) && (!converted.has(receipt.ppkId) || converted.get(receipt.ppkId) === receipt.key)) continue;
    if (receipt.kind === 'qlm' && receipt.keys.every((k) => known.has(k))) continue;
    const next = applyReceipt(data, id, receipt, at);
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

/**
 * A PPK conversion request, appended (fsync'd) to ppk-requests.jsonl before it is sent. Once
 * sent, the key server may spend the PPK even if this process dies before reading the answer,
 * leaving it "in stock" here with no receipt. Loway converts idempotently (same PPK, same key),
 * but the key is made for the end-user of the first request; so an unresolved request holds
 * its PPK for that end-user: converting it again for them recovers the key, handing it to
 * anyone else would install a key made out to the wrong firm.
 */
export interface PpkRequest {
  ppkId: string;
  ppk: string;
  enduser: string;
  email: string;
  sourceId: string;
}

/** Failures after which the key server certainly did not convert (it said so, or was never asked). */
const CERTAINLY_NOT_CONVERTED = new Set(['BAD_INPUT', 'VENDOR_REFUSED', 'AUTH', 'DENIED']);

function requestLog(ctx: Context): Journal {
  return new Journal(ctx.dataDir, { now: ctx.now, file: PPK_REQUESTS_FILE });
}

export function recordPpkRequest(ctx: Context, request: PpkRequest): void {
  requestLog(ctx).append({ action: 'ppk.requested', target: request.ppk, outcome: 'started', data: { request } });
}

/**
 * After a failed conversion: release the PPK when the server certainly did not convert it,
 * because it said so or because no attempt was ever written out to it (a refused connection,
 * an unknown host, an untrusted certificate). Returns whether the PPK was released.
 */
export function recordPpkRequestFailed(ctx: Context, request: PpkRequest, error: { code: string; details?: Record<string, unknown> | undefined }): boolean {
  if (CERTAINLY_NOT_CONVERTED.has(error.code)) {
    requestLog(ctx).append({ action: 'ppk.refused', target: request.ppk, outcome: 'failed', data: { ppkId: request.ppkId, code: error.code } });
    return true;
  }
  if (error.details?.requestSent === false) {
    requestLog(ctx).append({ action: 'ppk.released', target: request.ppk, outcome: 'ok', data: { ppkId: request.ppkId, reason: 'not-sent', code: error.code } });
    return true;
  }
  return false;
}

/**
 * Release a PPK held by an unresolved request, when the person knows the key server never made
 * a key from it (asked Loway, or the request never left). The PPK goes back to stock for anyone.
 */
export function releasePpkHold(ctx: Context, ppk: Ppk): PpkRequest & { at: string } {
  const request = unresolvedPpkRequests(ctx).get(ppk.id);
  if (!request) throw new KeyfleetError('CONFLICT', `PPK ${ppk.ppk} is not held: no conversion request for it is waiting for an answer`, { ppk: ppk.ppk });
  requestLog(ctx).append({ action: 'ppk.released', target: ppk.ppk, outcome: 'ok', data: { ppkId: ppk.id, reason: 'by-user', enduser: request.enduser } });
  ctx.journal.append({ action: 'ppk.release', target: ppk.ppk, outcome: 'ok', summary: `hold for "${request.enduser}" (request of ${request.at}) released; the PPK is in stock for anyone` });
  return request;
}

/**
 * PPKs still in stock whose last conversion request has no known outcome, by PPK id: maybe
 * spent on the server. A receipt (replayed into the store at every start) resolves a request.
 */
export function unresolvedPpkRequests(ctx: Context, data: StoreData = ctx.store.data): Map<string, PpkRequest & { at: string }> {
  const { events, warnings } = requestLog(ctx).read();
  for (const w of warnings) ctx.log.warn(w);
  const open = new Map<string, PpkRequest & { at: string }>();
  for (const e of events) {
    const d = e.data as { request?: PpkRequest; ppkId?: string } | undefined;
    if (e.action === 'ppk.requested' && d?.request) open.set(d.request.ppkId, { ...d.request, at: e.at });
    else if ((e.action === 'ppk.refused' || e.action === 'ppk.released') && d?.ppkId) open.delete(d.ppkId);
  }
  for (const id of open.keys()) {
    const ppk = data.ppks.find((p) => p.id === id);
    if (!ppk || ppk.state !== 'in-stock' || ppk.conversion) open.delete(id);
  }
  return open;
}

/** A PPK held by an unresolved request may be converted only for the same end-user. */
export function heldForAnother(held: ReadonlyMap<string, PpkRequest & { at: string }>, ppk: Ppk, enduser: string | undefined): (PpkRequest & { at: string }) | undefined {
  const request = held.get(ppk.id);
  return request && request.enduser !== enduser?.trim() ? request : undefined;
}

export function heldPpkConflict(ppk: Ppk, request: PpkRequest & { at: string }): KeyfleetError {
  const nextSteps: NextStep[] = [
    { kind: 'convert-for-holder', ppk: ppk.ppk, enduser: request.enduser },
    { kind: 'release-hold', ppk: ppk.ppk },
  ];
  return new KeyfleetError(
    'CONFLICT',
    `PPK ${ppk.ppk} is held for "${request.enduser}": a conversion request for them may have reached the key server at ${request.at} and no answer came back, so the server may have made its key out to "${request.enduser}". ` +
      `Convert it again for "${request.enduser}" to recover that key, use another PPK, or, if you know the server made no key from it, release the hold`,
    { ppk: ppk.ppk, enduser: request.enduser, nextSteps },
  );
}
