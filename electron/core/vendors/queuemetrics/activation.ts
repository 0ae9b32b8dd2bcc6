// Long by design: one flow, PPK activation (convert on the key server, install, wait for the restart, verify, record), whose steps share the receipts and error handling that make a crash or a lost answer recoverable.
import type { Context } from '../../context.ts';
import type { Instance, License, Ppk } from '../../store/schema.ts';
import { KeyfleetError, toErrorInfo, withSubject } from '../../errors.ts';
import type { NextStep } from '../../next-steps.ts';
import { addDaysToIsoDate, todayIn } from '../../domain/reminders.ts';
import { describePpk } from './ppk.ts';
import { maskKey } from './client.ts';
import type { QmInstallProgress } from './client.ts';
import { findByRef, replaceById } from '../../services/lookup.ts';
import { findInstance } from '../../services/instances.ts';
import { choosePpk, findPpk, markPpkRefused } from './ppk-stock.ts';
import { findSource } from '../../services/sources.ts';
import { instanceClient } from '../instance-endpoint.ts';
import { lowayKeyServer } from './key-source.ts';
import { queueMetricsDriver } from './driver.ts';
import {
  applyReceipt,
  heldForAnother,
  heldPpkConflict,
  recordPpkRequest,
  recordPpkRequestFailed,
  recordReceipt,
  unresolvedPpkRequests,
  type PpkReceipt,
  type PpkRequest,
} from '../../services/key-receipts.ts';

export type ActivationStep = 'choosing' | 'checking' | 'converting' | 'converted' | QmInstallProgress['phase'];
export interface ActivationProgress {
  step: ActivationStep;
  message: string;
}

export interface ConvertInput {
  ppk: string;
  enduser: string;
  email: string;
  source?: string | undefined;
  clientId?: string | undefined;
  /** The instance the key is for, so the conversion shows in its history. */
  instanceId?: string | undefined;
  signal?: AbortSignal;
}

/**
 * Turn a PPK into a license key on the Loway key server. The key is written to the receipts
 * journal (fsync'd) the moment it arrives, then to the store. A PPK converted before is not
 * sent again: its stored key is returned.
 */
export async function convertPpk(ctx: Context, input: ConvertInput): Promise<{ ppk: Ppk; license: License; fresh: boolean }> {
  const ppk = findPpk(ctx, input.ppk);
  if (ppk.convertedElsewhere) throw convertedElsewhereConflict(ppk);
  if (ppk.conversion && ppk.licenseId) {
    const license = ctx.store.data.licenses.find((l) => l.id === ppk.licenseId);
    if (license) return { ppk, license, fresh: false };
  }
  const source = findSource(ctx, input.source, 'loway-keyserver');
  const held = heldForAnother(unresolvedPpkRequests(ctx), ppk, input.enduser);
  if (held) throw heldPpkConflict(ppk, held);
  const server = lowayKeyServer(ctx, source);
  // Durable before the request leaves: from then on the server may spend the PPK even if we die.
  const request: PpkRequest = { ppkId: ppk.id, ppk: ppk.ppk, enduser: input.enduser.trim(), email: input.email, sourceId: source.id };
  recordPpkRequest(ctx, request);
  let result;
  try {
    result = await server.convert({ ppk: ppk.ppk, enduser: input.enduser, email: input.email }, input.signal ? { signal: input.signal } : {});
  } catch (e) {
    let err = keyServerError(e, source.name);
    recordPpkRequestFailed(ctx, request, err);
    if (err.code === 'VENDOR_REFUSED') {
      // S:KO: the key server will not convert this PPK. Picking it again would fail again.
      const words = typeof err.details?.reason === 'string' ? err.details.reason : err.message;
      markPpkRefused(ctx, ppk.id, words, source.id);
      err = new KeyfleetError(err.code, `${err.message}. PPK ${ppk.ppk} is marked refused and no longer offered from stock`, { ...err.details, ppk: ppk.ppk, refused: true }, { cause: err });
    }
    ctx.journal.append({ action: 'ppk.convert', target: ppk.ppk, sourceId: source.id, instanceId: input.instanceId, outcome: 'failed', error: { code: err.code, message: err.message } });
    throw err;
  }
  const receipt: PpkReceipt = {
    kind: 'ppk',
    ppkId: ppk.id,
    ppk: ppk.ppk,
    key: result.key,
    issuedAt: result.issuedAt,
    expiresAt: result.expiresAt,
    serverTime: result.serverTime,
    skewMs: result.skewMs,
    enduser: input.enduser,
    email: input.email,
    sourceId: source.id,
    clientId: input.clientId,
  };
  // Money first: durable before anything else can fail.
  const event = recordReceipt(ctx, receipt, ppk.ppk);
  const next = ctx.store.update((d) => applyReceipt(d, event.id, receipt, event.at));
  ctx.journal.append({
    action: 'ppk.convert',
    target: ppk.ppk,
    sourceId: source.id,
    instanceId: input.instanceId,
    outcome: 'ok',
    summary: `${describePpk(ppk)} → key ${maskKey(result.key)}, expires ${result.expiresAt}; ${describeSkew(result.skewMs)}`,
  });
  const storedPpk = next.ppks.find((p) => p.id === ppk.id)!;
  const license = next.licenses.find((l) => l.key === result.key && l.vendor === 'queuemetrics')!;
  return { ppk: storedPpk, license, fresh: true };
}

/**
 * A PPK converted before Keyfleet already made the key some instance runs: converting it again
 * would hand that key to a second instance. It is only ever adopted where it runs.
 */
function convertedElsewhereConflict(ppk: Ppk): KeyfleetError {
  const nextSteps: NextStep[] = [{ kind: 'adopt-ppk', ppk: ppk.ppk }];
  return new KeyfleetError(
    'CONFLICT',
    `PPK ${ppk.ppk} was converted before Keyfleet (marked converted): its key already runs on an instance, so it is never converted or activated from stock; adopt it on the instance that runs it`,
    { ppk: ppk.ppk, nextSteps },
  );
}

/**
 * A key-server failure named once: the client says "key server HOST …", and the source's name
 * goes in front of the host, not in front of a second "key server".
 */
function keyServerError(e: unknown, sourceName: string): KeyfleetError {
  const info = toErrorInfo(e);
  const subject = `key server ${sourceName}`;
  const message = info.message.startsWith(subject) ? info.message : `${subject}: ${info.message.replace(/^key server /, '')}`;
  return new KeyfleetError(info.code, message, info.details, { cause: e });
}

/** "server clock 3 s ahead", "server clock 1 s behind", "server clock in step". */
export function describeSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  if (seconds === 0) return 'server clock in step';
  return `server clock ${seconds} s ${skewMs > 0 ? 'ahead' : 'behind'}`;
}

/** The license Keyfleet believes is on the instance now. */
function currentLicense(ctx: Context, instance: Instance): License | undefined {
  return ctx.store.data.licenses
    .filter((l) => l.instanceId === instance.id && l.vendor === 'queuemetrics' && l.status === 'active')
    .sort((a, b) => (b.expiresAt ?? '9999').localeCompare(a.expiresAt ?? '9999'))[0];
}

/** The checks a person must confirm before a PPK is spent or a key replaced. */
export function activationConcerns(current: License | undefined, next: { expiresAt: string; agents?: number | undefined; servers?: number | undefined }): string[] {
  const concerns: string[] = [];
  if (!current) return concerns;
  if (current.expiresAt && next.expiresAt < current.expiresAt) {
    concerns.push(`the new key expires on ${next.expiresAt}, earlier than the installed one (${current.expiresAt})`);
  }
  if (next.agents !== undefined && current.limits.agents !== undefined && next.agents < current.limits.agents) {
    concerns.push(`the new key allows ${next.agents} agents, fewer than the installed one (${current.limits.agents})`);
  }
  if (next.servers !== undefined && current.limits.servers !== undefined && next.servers < current.limits.servers) {
    concerns.push(`the new key allows ${next.servers} servers, fewer than the installed one (${current.limits.servers})`);
  }
  return concerns;
}

export interface InstallOutcome {
  license: License;
  installed: boolean;
  verified: boolean;
  warnings: string[];
}

/** Install a stored key on a QueueMetrics instance, wait for its restart, read it back. */
async function installKey(
  ctx: Context,
  instance: Instance,
  license: License,
  opts: { onProgress?: (p: ActivationProgress) => void; signal?: AbortSignal; installTimeoutMs?: number },
): Promise<InstallOutcome> {
  const client = await instanceClient(ctx, instance, queueMetricsDriver);
  ctx.journal.append({ action: 'qm.install', target: instance.name, instanceId: instance.id, licenseId: license.id, outcome: 'started', summary: `key ${maskKey(license.key)}` });
  let verified: boolean;
  try {
    const r = await client.installAndVerify(license.key, {
      ...(opts.installTimeoutMs ? { timeoutMs: opts.installTimeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => opts.onProgress?.({ step: p.phase, message: p.message }),
    });
    verified = r.verified;
  } catch (e) {
    const err = withSubject(e, `instance ${instance.name}`);
    ctx.journal.append({ action: 'qm.install', target: instance.name, instanceId: instance.id, licenseId: license.id, outcome: 'failed', error: { code: err.code, message: err.message } });
    const nextSteps: NextStep[] = [{ kind: 'install-stored-key', license: license.id, instance: instance.name }];
    throw new KeyfleetError(
      err.code,
      `${err.message}. The key is stored (license ${license.id}): install it again without spending another PPK`,
      { ...err.details, licenseId: license.id, stored: true, nextSteps },
      { cause: err },
    );
  }
  const now = ctx.now().toISOString();
  let stored!: License;
  ctx.store.update((d) => {
    const previous = d.licenses.filter((l) => l.instanceId === instance.id && l.vendor === 'queuemetrics' && l.status === 'active' && l.id !== license.id);
    const superseded = new Set(previous.map((l) => l.id));
    const current = d.licenses.find((l) => l.id === license.id) ?? license;
    stored = {
      ...current,
      instanceId: instance.id,
      clientId: current.clientId ?? instance.clientId,
      status: 'active',
      replaces: [...new Set([...current.replaces, ...superseded])],
      updatedAt: now,
    };
    const inst = d.instances.find((i) => i.id === instance.id) ?? instance;
    return {
      ...d,
      licenses: d.licenses.map((l) => (l.id === stored.id ? stored : superseded.has(l.id) ? { ...l, status: 'superseded' as const, updatedAt: now } : l)),
      ppks: d.ppks.map((p) => (p.licenseId === license.id ? { ...p, state: 'installed' as const, instanceId: instance.id } : p)),
      instances: replaceById(d.instances, {
        ...inst,
        installedKey: license.key,
        snapshot: { at: now, key: license.key },
        drift: 'none',
        lastCheck: { at: now, ok: true },
      }),
    };
  });
  ctx.journal.append({
    action: 'qm.install',
    target: instance.name,
    instanceId: instance.id,
    licenseId: license.id,
    outcome: 'ok',
    summary: `key ${maskKey(license.key)} installed${verified ? ' and verified' : ''}, expires ${license.expiresAt}`,
  });
  return { license: stored, installed: true, verified, warnings: [] };
}

export interface ActivateInput {
  ppk?: string | undefined;
  instance: string;
  enduser?: string | undefined;
  email?: string | undefined;
  source?: string | undefined;
  confirm?: boolean | undefined;
  onProgress?: (p: ActivationProgress) => void;
  signal?: AbortSignal;
  installTimeoutMs?: number;
}

/**
 * The one-click workflow: pick a PPK, check the instance is reachable and the new key makes
 * sense, convert (persisting the key), install with QM.setActivationKey, wait for QM's restart
 * and confirm the key took. A failure after conversion leaves the key stored for a retry.
 */
export async function activatePpk(ctx: Context, input: ActivateInput): Promise<InstallOutcome & { ppk: Ppk; choice: { ppk: string; reason: string } | null }> {
  const instance = findInstance(ctx, input.instance);
  if (instance.kind !== 'queuemetrics') throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}; PPKs activate QueueMetrics instances`);
  const client = instance.clientId ? ctx.store.data.clients.find((c) => c.id === instance.clientId) : undefined;
  const enduser = input.enduser?.trim() || client?.name;
  // A PPK whose conversion for another end-user was interrupted is not offered.
  const held = unresolvedPpkRequests(ctx);
  const choice = input.ppk ? null : choosePpk(ctx, instance.id, enduser);
  const ppk = input.ppk ? findPpk(ctx, input.ppk) : choice!.ppk;
  if (!ppk) throw new KeyfleetError('NOT_FOUND', `no PPK to spend on ${instance.name}: ${choice!.reason}; add PPKs to stock first`);
  if (ppk.convertedElsewhere) throw convertedElsewhereConflict(ppk);
  if (ppk.state === 'installed') throw new KeyfleetError('CONFLICT', `PPK ${ppk.ppk} is already installed${ppk.instanceId ? ` on ${findByRef(ctx.store.data.instances, ppk.instanceId, 'instance').name}` : ''}`);
  const source = findSource(ctx, input.source ?? ppk.conversion?.sourceId, 'loway-keyserver');
  if (!enduser) throw new KeyfleetError('BAD_INPUT', `enduser: instance ${instance.name} has no client; give the end-user firm name (--enduser)`);
  const heldBy = heldForAnother(held, ppk, enduser);
  if (heldBy) throw heldPpkConflict(ppk, heldBy);
  const email = input.email?.trim() || source.email || client?.email;
  if (!email) throw new KeyfleetError('BAD_INPUT', `email: give the e-mail that receives the license note (--email), or set a default on key source ${source.name}`);

  // Said before anything is spent: which PPK and why, when the person did not name one.
  if (choice) input.onProgress?.({ step: 'choosing', message: `chose ${ppk.ppk} (${describePpk(ppk)}): ${choice.reason}` });
  // Before spending anything: the instance answers with these credentials, and the new key makes sense.
  input.onProgress?.({ step: 'checking', message: `checking ${instance.name} is reachable` });
  const qm = await instanceClient(ctx, instance, queueMetricsDriver);
  try {
    await qm.readKey(input.signal ? { signal: input.signal } : {});
  } catch (e) {
    throw withSubject(e, `instance ${instance.name} (nothing was spent)`);
  }
  const current = currentLicense(ctx, instance);
  const expectedExpiry = ppk.conversion?.expiresAt ?? addDaysToIsoDate(todayIn(ctx.now(), ctx.timeZone), ppk.days);
  const concerns = activationConcerns(current, { expiresAt: expectedExpiry, agents: ppk.agents, servers: ppk.servers });
  if (concerns.length > 0 && !input.confirm) {
    throw new KeyfleetError('NEEDS_CONFIRMATION', `activating ${ppk.ppk} on ${instance.name}: ${concerns.join('; ')}. Confirm to go ahead`, { concerns });
  }

  input.onProgress?.({ step: 'converting', message: `converting ${ppk.ppk} on ${source.name}` });
  const converted = await convertPpk(ctx, { ppk: ppk.id, enduser, email, source: source.id, clientId: instance.clientId, instanceId: instance.id, ...(input.signal ? { signal: input.signal } : {}) });
  input.onProgress?.({ step: 'converted', message: `key received and stored; expires ${converted.license.expiresAt}` });
  const outcome = await installKey(ctx, instance, converted.license, input);
  const ppkAfter = ctx.store.data.ppks.find((p) => p.id === ppk.id)!;
  return { ...outcome, warnings: concerns, ppk: ppkAfter, choice: choice ? { ppk: ppk.ppk, reason: choice.reason } : null };
}

/** Resume an activation whose install failed: install the stored key without a new PPK. */
export async function installStoredKey(
  ctx: Context,
  input: { license: string; instance: string; confirm?: boolean | undefined; onProgress?: (p: ActivationProgress) => void; signal?: AbortSignal; installTimeoutMs?: number },
): Promise<InstallOutcome & { ppk: Ppk | null }> {
  const instance = findInstance(ctx, input.instance);
  if (instance.kind !== 'queuemetrics') throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}, not QueueMetrics`);
  const license =
    ctx.store.data.licenses.find((l) => l.id === input.license || l.key === input.license) ??
    (() => {
      const ppk = ctx.store.data.ppks.find((p) => p.ppk === input.license || p.id === input.license);
      return ppk?.licenseId ? ctx.store.data.licenses.find((l) => l.id === ppk.licenseId) : undefined;
    })();
  if (!license) throw new KeyfleetError('NOT_FOUND', `no stored license or converted PPK "${input.license}"`);
  if (license.vendor !== 'queuemetrics') throw new KeyfleetError('BAD_INPUT', `license ${license.id} is a ${license.vendor} license`);
  const current = currentLicense(ctx, instance);
  const concerns = current?.id === license.id ? [] : activationConcerns(current, { expiresAt: license.expiresAt ?? '9999-12-31', agents: license.limits.agents, servers: license.limits.servers });
  if (concerns.length > 0 && !input.confirm) {
    throw new KeyfleetError('NEEDS_CONFIRMATION', `installing license ${license.id} on ${instance.name}: ${concerns.join('; ')}. Confirm to go ahead`, { concerns });
  }
  const outcome = await installKey(ctx, instance, license, input);
  const ppk = ctx.store.data.ppks.find((p) => p.licenseId === license.id) ?? null;
  return { ...outcome, warnings: concerns, ppk };
}
