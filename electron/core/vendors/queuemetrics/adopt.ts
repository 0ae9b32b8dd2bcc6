// Long by design: every way a running QueueMetrics key is adopted (from a PPK converted before, the License page's facts, a CSV, all converted PPKs at once) shares the running-key check, the receipt and the record.
import type { Context } from '../../context.ts';
import type { Instance, KeySource, License, Ppk } from '../../store/schema.ts';
import { KeyfleetError, toErrorInfo } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { parseIsoDate } from '../../domain/reminders.ts';
import { checkInstance } from '../../services/instance-check.ts';
import { findInstance } from '../../services/instances.ts';
import { findSource } from '../../services/sources.ts';
import { applyReceipt, ppkReceiptOf, recordReceipt, type PpkReceipt } from '../../services/key-receipts.ts';
import { hostOf, runScheduled } from '../../services/scheduler.ts';
import { findPpk } from './ppk-stock.ts';
import { lowayKeyServer } from './key-source.ts';
import { maskKey } from './client.ts';
import type { CallOptions } from '../types.ts';
import type { AdoptConvertedResult } from './queuemetrics.contract.ts';

/**
 * Adopting: the key a QueueMetrics instance already runs, installed before Keyfleet, becomes a
 * license with its real expiry and limits. The facts come from the PPK it was converted from
 * (the Loway key server converts idempotently: asked again, it answers that PPK's key, issue
 * date and expiry), from a file, or from the instance's License page read by a person. The key
 * is never taken on trust: it must be the one the instance runs.
 */

export interface AdoptOutcome {
  license: License;
  instance: Instance;
}

/** The facts a person read from the instance's License page. */
export interface AdoptFacts {
  expiresAt: string;
  agents: number;
  servers: number;
}

/** The key the instance ran at its last check; read now when it was never read. */
async function runningKey(ctx: Context, instance: Instance, opts: CallOptions = {}): Promise<{ instance: Instance; key: string }> {
  if (instance.kind !== 'queuemetrics') throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}: only QueueMetrics keys are adopted (other vendors report their licenses in full)`);
  let current = instance;
  if (!current.snapshot) {
    const checked = await checkInstance(ctx, instance.id, opts);
    if (checked.error) throw checked.error;
    current = checked.instance;
  }
  const key = current.snapshot?.key ?? null;
  if (!key) throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} ran no key when it was read (${current.snapshot?.at ?? 'never'}): there is nothing to adopt; check it again, or activate a PPK there`);
  return { instance: current, key };
}

/**
 * Why an instance's running key cannot be adopted as it stands, or null. An instance with another
 * key recorded for it (drift differs) first has the running key recorded as its key; adopting
 * beside the recorded one would leave two keys claiming the instance.
 */
export function recordedKeyConflict(data: { licenses: readonly License[] }, instance: Instance, key: string): string | null {
  const other =
    (instance.installedKey && instance.installedKey !== key ? instance.installedKey : undefined) ??
    data.licenses.find((l) => l.vendor === 'queuemetrics' && l.instanceId === instance.id && l.status === 'active' && l.key !== key)?.key;
  if (!other) return null;
  return `instance ${instance.name} has another key recorded for it (${maskKey(other)}) and runs ${maskKey(key)}: record the running key as its key first (accept the running key), then adopt it`;
}

/** A running key that is already some license's is not adopted again (a license belongs to one instance). */
function assertNotRecorded(ctx: Context, instance: Instance, key: string): void {
  const conflict = recordedKeyConflict(ctx.store.data, instance, key);
  if (conflict) throw new KeyfleetError('CONFLICT', conflict, { instance: instance.name, nextSteps: [{ kind: 'accept-running-key', instance: instance.name }] });
  const known = ctx.store.data.licenses.find((l) => l.vendor === 'queuemetrics' && l.key === key);
  if (!known) return;
  const owner = known.instanceId ? ctx.store.data.instances.find((i) => i.id === known.instanceId) : undefined;
  const where = owner ? (owner.id === instance.id ? `for instance ${instance.name}` : `for instance ${owner.name}`) : 'with no instance';
  throw new KeyfleetError('CONFLICT', `the key instance ${instance.name} runs (${maskKey(key)}) is already license ${known.id}, recorded ${where}: it has its expiry already`, { license: known.id });
}

function productLabel(agents: number, servers: number): string {
  return `QueueMetrics ${agents} agents / ${servers} server${servers === 1 ? '' : 's'}`;
}

function checkFacts(facts: AdoptFacts, field: (name: string) => string = (n) => n): AdoptFacts {
  parseIsoDate(facts.expiresAt, field('expiry'));
  for (const [name, value] of [['agents', facts.agents], ['servers', facts.servers]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new KeyfleetError('BAD_INPUT', `${field(name)} must be a whole number from 1 to 100000, got ${JSON.stringify(value)}`);
  }
  return facts;
}

/** A license for a running key from facts read elsewhere, and the instance's drift ended. */
export function storeLicenses(ctx: Context, adoptions: Array<{ instance: Instance; key: string; facts: AdoptFacts; origin: 'manual' | 'adopted'; details?: License['details'] }>): License[] {
  const at = ctx.now().toISOString();
  const licenses: License[] = adoptions.map(({ instance, key, facts, origin, details }) => ({
    id: newId('lic'),
    vendor: 'queuemetrics',
    key,
    instanceId: instance.id,
    ...(instance.clientId ? { clientId: instance.clientId } : {}),
    product: productLabel(facts.agents, facts.servers),
    limits: { agents: facts.agents, servers: facts.servers },
    expiresAt: facts.expiresAt,
    origin,
    status: 'active',
    replaces: [],
    ...(details ? { details } : {}),
    createdAt: at,
    updatedAt: at,
  }));
  const adopted = new Map(adoptions.map((a) => [a.instance.id, a.key]));
  ctx.store.update((d) => ({
    ...d,
    licenses: [...d.licenses, ...licenses],
    instances: d.instances.map((i) => (adopted.has(i.id) && i.snapshot?.key === adopted.get(i.id) ? { ...i, drift: 'none' as const } : i)),
  }));
  return licenses;
}

/** `instance adopt NAME --expires DATE --agents N --servers N`: facts from the instance's License page. */
export async function adoptByHand(ctx: Context, input: { instance: string } & AdoptFacts, opts: CallOptions = {}): Promise<AdoptOutcome> {
  const facts = checkFacts({ expiresAt: input.expiresAt.trim(), agents: input.agents, servers: input.servers });
  const { instance, key } = await runningKey(ctx, findInstance(ctx, input.instance), opts);
  assertNotRecorded(ctx, instance, key);
  const [license] = storeLicenses(ctx, [{ instance, key, facts, origin: 'manual' }]);
  ctx.journal.append({
    action: 'instance.adopt',
    target: instance.name,
    instanceId: instance.id,
    licenseId: license!.id,
    outcome: 'ok',
    summary: `key ${maskKey(key)} adopted from facts entered by hand: ${facts.agents} agents, ${facts.servers} server(s), expires ${facts.expiresAt}`,
  });
  return { license: license!, instance: ctx.store.data.instances.find((i) => i.id === instance.id)! };
}

/** A PPK the user marked as converted before Keyfleet, not adopted on an instance yet. */
function assertAdoptable(ppk: Ppk): void {
  if (!ppk.convertedElsewhere) {
    throw new KeyfleetError(
      'BAD_INPUT',
      `PPK ${ppk.ppk} is not marked as converted before Keyfleet: asking the key server for an unconverted PPK converts it and spends it. If it was converted already, mark it so first (Add PPKs, "already converted")`,
      { ppk: ppk.ppk, field: 'ppk', nextSteps: [{ kind: 'mark-converted', ppk: ppk.ppk }] },
    );
  }
  if (ppk.licenseId) throw new KeyfleetError('CONFLICT', `PPK ${ppk.ppk} is adopted already (license ${ppk.licenseId})`, { ppk: ppk.ppk, license: ppk.licenseId });
}

/** Who the key server's request names (it ignores them for a PPK it converted before). */
function requestParties(ctx: Context, source: KeySource, instance: Instance | undefined, input: { enduser?: string | undefined; email?: string | undefined }): { enduser: string; email: string } {
  const client = instance?.clientId ? ctx.store.data.clients.find((c) => c.id === instance.clientId) : undefined;
  const enduser = input.enduser?.trim() || client?.name || source.name;
  const email = input.email?.trim() || source.email || client?.email;
  if (!email) throw new KeyfleetError('BAD_INPUT', `email: the key server asks for an e-mail address; give one, or set a default on key source ${source.name}`, { field: 'email' });
  return { enduser, email };
}

/** Ask the key server for a converted PPK's key; the answer as a receipt (not yet recorded). */
async function askKeyServer(ctx: Context, ppk: Ppk, source: KeySource, parties: { enduser: string; email: string }, signal?: AbortSignal): Promise<PpkReceipt> {
  const server = lowayKeyServer(ctx, source);
  let result;
  try {
    result = await server.convert({ ppk: ppk.ppk, ...parties }, signal ? { signal } : {});
  } catch (e) {
    const info = toErrorInfo(e);
    const hint = info.code === 'VENDOR_REFUSED' ? '; check that the PPK is the one this key was converted from, and that it was converted on this key server' : '';
    const subject = `key server ${source.name}`;
    const message = info.message.startsWith(subject) ? info.message : `${subject}: ${info.message.replace(/^key server /, '')}`;
    throw new KeyfleetError(info.code, `${message}${hint}`, { ...info.details, ppk: ppk.ppk }, { cause: e });
  }
  return ppkReceiptOf(ppk, result, parties, source.id);
}

/** The key a PPK gives, from its stored conversion when the key server was asked before. */
function storedConversion(ppk: Ppk): PpkReceipt | null {
  const c = ppk.conversion;
  if (!c) return null;
  return { kind: 'ppk', ppkId: ppk.id, ppk: ppk.ppk, key: c.key, issuedAt: c.issuedAt, expiresAt: c.expiresAt, serverTime: c.serverTime, skewMs: c.skewMs, enduser: c.enduser, email: c.email, sourceId: c.sourceId ?? '' };
}

/**
 * `instance adopt NAME --ppk PPK`: ask the key server for that converted PPK's key (persisted the
 * moment it arrives, as every key is), and store the license when it is the key the instance
 * runs. Another key: nothing is attached (KEY_MISMATCH), the PPK keeps the answer for later.
 */
export async function adoptWithPpk(
  ctx: Context,
  input: { instance: string; ppk: string; enduser?: string | undefined; email?: string | undefined; source?: string | undefined; signal?: AbortSignal },
): Promise<AdoptOutcome> {
  const ppk = findPpk(ctx, input.ppk);
  assertAdoptable(ppk);
  const { instance, key: running } = await runningKey(ctx, findInstance(ctx, input.instance), input.signal ? { signal: input.signal } : {});
  assertNotRecorded(ctx, instance, running);
  let receipt = storedConversion(ppk);
  const source = receipt ? null : findSource(ctx, input.source, 'loway-keyserver');
  if (!receipt) {
    receipt = await askKeyServer(ctx, ppk, source!, requestParties(ctx, source!, instance, input), input.signal);
  }
  const matches = receipt.key === running;
  const adopt = { ...receipt, adopt: { instanceId: matches ? instance.id : null } };
  // Money first: the answer is durable before anything else can fail.
  const event = source ? recordReceipt(ctx, adopt, ppk.ppk) : { id: `stored:${ppk.id}`, at: ctx.now().toISOString() };
  const next = ctx.store.update((d) => applyReceipt(d, event.id, adopt, event.at));
  if (!matches) {
    ctx.journal.append({ action: 'instance.adopt', target: instance.name, instanceId: instance.id, outcome: 'failed', summary: `PPK ${ppk.ppk} gives key ${maskKey(receipt.key)}; the instance runs ${maskKey(running)}` });
    throw new KeyfleetError(
      'KEY_MISMATCH',
      `PPK ${ppk.ppk} gives key ${maskKey(receipt.key)} (expires ${receipt.expiresAt}), but instance ${instance.name} runs ${maskKey(running)}: nothing was attached. Adopt it with the PPK its key came from, or with the facts on its License page`,
      { ppk: ppk.ppk, ppkKey: receipt.key, runningKey: running },
    );
  }
  const license = next.licenses.find((l) => l.vendor === 'queuemetrics' && l.key === running)!;
  ctx.journal.append({
    action: 'instance.adopt',
    target: instance.name,
    instanceId: instance.id,
    licenseId: license.id,
    outcome: 'ok',
    summary: `key ${maskKey(running)} adopted from PPK ${ppk.ppk}: expires ${license.expiresAt}`,
  });
  return { license, instance: next.instances.find((i) => i.id === instance.id)! };
}

/** What a bulk adoption did (the contract's result type: the window shows it as is). */
export type BulkAdoptResult = AdoptConvertedResult;

/** PPKs marked converted before Keyfleet and not adopted yet; `ask`: those the key server must be asked for. */
export function convertedPpksToAdopt(ctx: Context): { all: Ppk[]; ask: Ppk[] } {
  const all = ctx.store.data.ppks.filter((p) => p.convertedElsewhere && !p.licenseId);
  return { all, ask: all.filter((p) => !p.conversion) };
}

/**
 * Adopt in bulk: every PPK marked converted and not yet attached is asked for (the key server is
 * one host: bounded through the scheduler), and each key is matched with the keys QueueMetrics
 * instances with an unknown key run. Every answer is persisted as it arrives; the store takes
 * all of them in one commit.
 */
export async function adoptConvertedPpks(
  ctx: Context,
  opts: {
    instanceIds?: readonly string[] | undefined;
    enduser?: string | undefined;
    email?: string | undefined;
    source?: string | undefined;
    concurrency?: number | undefined;
    signal?: AbortSignal;
    onProgress?: (p: { done: number; total: number; adopted: number }) => void;
  } = {},
): Promise<BulkAdoptResult> {
  const started = Date.now();
  const wanted = opts.instanceIds ? new Set(opts.instanceIds.map((r) => findInstance(ctx, r).id)) : null;
  const unknown = () => ctx.store.data.instances.filter((i) => i.kind === 'queuemetrics' && i.drift === 'unknown' && (!wanted || wanted.has(i.id)));
  const byKey = new Map<string, Instance[]>();
  for (const i of unknown()) if (i.snapshot?.key) byKey.set(i.snapshot.key, [...(byKey.get(i.snapshot.key) ?? []), i]);

  const { all, ask } = convertedPpksToAdopt(ctx);
  const source = ask.length > 0 ? findSource(ctx, opts.source, 'loway-keyserver') : null;
  const parties = source ? requestParties(ctx, source, undefined, opts) : null;
  const receipts: Array<{ id: string; at: string; receipt: PpkReceipt }> = [];
  const unmatched: BulkAdoptResult['unmatchedPpks'] = [];
  const claimed = new Set<string>();
  const adoptions: BulkAdoptResult['adoptions'] = [];

  /** Match one answer with the running keys, persist it (when fresh), and queue it for the store. */
  const take = (ppk: Ppk, answer: PpkReceipt, fresh: boolean) => {
    const holders = (byKey.get(answer.key) ?? []).filter((i) => !claimed.has(i.id));
    const instance = holders.length === 1 ? holders[0] : undefined;
    if (instance) claimed.add(instance.id);
    const receipt: PpkReceipt = { ...answer, adopt: { instanceId: instance?.id ?? null } };
    const event = fresh ? recordReceipt(ctx, receipt, ppk.ppk) : { id: `stored:${ppk.id}`, at: ctx.now().toISOString() };
    receipts.push({ id: event.id, at: event.at, receipt });
    if (!instance) {
      const reason = holders.length > 1 ? `its key runs on ${holders.length} instances (${holders.map((h) => h.name).join(', ')}): adopt it on one of them by hand` : 'its key runs on no QueueMetrics instance with an unknown key';
      unmatched.push({ ppk: ppk.ppk, key: answer.key, expiresAt: answer.expiresAt, reason });
    } else adoptions.push({ instance: instance.name, ppk: ppk.ppk, licenseId: '', expiresAt: answer.expiresAt });
  };

  let done = 0;
  const total = all.length;
  for (const ppk of all) {
    const stored = storedConversion(ppk);
    if (!stored) continue;
    take(ppk, stored, false);
    opts.onProgress?.({ done: ++done, total, adopted: adoptions.length });
  }
  const settings = ctx.store.data.settings;
  await runScheduled(
    ask.map((ppk) => ({ host: hostOf(source!.url), run: (signal: AbortSignal) => askKeyServer(ctx, ppk, source!, parties!, signal) })),
    { concurrency: opts.concurrency ?? Math.min(8, settings.refreshConcurrency), perHost: settings.perHostConcurrency, ...(opts.signal ? { signal: opts.signal } : {}) },
    (index, outcome) => {
      const ppk = ask[index]!;
      if (outcome.ok) take(ppk, outcome.value, true);
      else {
        const info = toErrorInfo(outcome.cancelled ? new KeyfleetError('CANCELLED', 'cancelled before it was asked') : outcome.error);
        unmatched.push({ ppk: ppk.ppk, key: null, expiresAt: null, reason: info.message });
      }
      opts.onProgress?.({ done: ++done, total, adopted: adoptions.length });
    },
  );

  if (receipts.length > 0) {
    const next = ctx.store.update((d) => receipts.reduce((data, r) => applyReceipt(data, r.id, r.receipt, r.at), d));
    const licenseOf = new Map(next.licenses.filter((l) => l.origin === 'adopted').map((l) => [l.key, l.id]));
    const keyOf = new Map(receipts.map((r) => [r.receipt.ppk, r.receipt.key]));
    for (const a of adoptions) a.licenseId = licenseOf.get(keyOf.get(a.ppk)!) ?? '';
  }
  const unknownInstances = unknown().map((i) => ({ instance: i.name, key: i.snapshot?.key ?? null }));
  ctx.journal.append({
    action: 'instance.adopt-bulk',
    target: `${total} PPK(s)`,
    outcome: 'ok',
    summary: `${adoptions.length} adopted, ${unmatched.length} PPK(s) unmatched, ${unknownInstances.length} instance(s) still with an unknown key; key server asked for ${ask.length}`,
  });
  return { adopted: adoptions.length, adoptions, unmatchedPpks: unmatched, unknownInstances, asked: ask.length, durationMs: Date.now() - started };
}

