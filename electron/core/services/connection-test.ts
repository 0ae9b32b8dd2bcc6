import type { Context } from '../context.ts';
import type { Instance } from '../store/schema.ts';
import type { ConnectionTestResult } from '../api/contract.ts';
import type { InstanceInput } from './instances.ts';
import { KeyfleetError, withSubject } from '../errors.ts';
import { normalizeFingerprint } from '../net/http.ts';
import { checkUrl, findInstance, instanceSecretOwner } from './instances.ts';
import { findByRef } from './lookup.ts';
import { qlmPing } from '../vendors/qlm/service.ts';
import { lowayKeyServer } from '../vendors/queuemetrics/key-source.ts';
import { instanceDrivers } from '../vendors/registry.ts';
import type { InstanceDriver } from '../vendors/instance-driver.ts';
import { INSTANCE_KINDS, VENDOR_LABELS, namesOr } from '../vendor-names.ts';
import type { VendorEndpoint } from '../vendors/types.ts';

/**
 * Try an instance's settings before saving them: the stored instance, a draft, or a stored
 * instance with some fields changed. A draft without a new secret uses the stored one.
 */
export async function testInstance(ctx: Context, input: { ref?: string | undefined; draft?: Partial<InstanceInput> | undefined }): Promise<ConnectionTestResult> {
  const stored: Instance | undefined = input.ref ? findInstance(ctx, input.ref) : undefined;
  const draft = input.draft ?? {};
  const kind = draft.kind ?? stored?.kind;
  const url = draft.url ?? stored?.url;
  if (!kind) throw new KeyfleetError('BAD_INPUT', `kind: choose ${namesOr(INSTANCE_KINDS.map((k) => VENDOR_LABELS[k]))}`);
  if (!url) throw new KeyfleetError('BAD_INPUT', 'url: is required');
  let secret = draft.secret;
  if (secret === undefined && stored) {
    const owner = instanceSecretOwner(stored);
    secret = owner ? ((await ctx.vault.get(owner)) ?? undefined) : undefined;
  }
  if (secret === undefined && draft.credential) {
    const cred = ctx.store.data.credentials.find((c) => c.id === draft.credential || c.name === draft.credential);
    if (cred) secret = (await ctx.vault.get({ type: 'credential', id: cred.id })) ?? undefined;
  }
  const endpoint: VendorEndpoint = { http: ctx.http, baseUrl: checkUrl(url), timeoutMs: 15_000 };
  const user = draft.user ?? stored?.user;
  if (user) endpoint.user = user;
  if (secret !== undefined) endpoint.secret = secret;
  const pin = draft.pinSha256 ?? stored?.pinSha256;
  if (pin) endpoint.pinSha256 = normalizeFingerprint(pin);
  const label = draft.name ?? stored?.name ?? url;
  try {
    const driver: InstanceDriver = instanceDrivers[kind];
    return await driver.testConnection(driver.createClient(endpoint), { coreServer: draft.coreServer ?? stored?.coreServer });
  } catch (e) {
    throw withSubject(e, label);
  }
}

/**
 * Try a key source without spending anything: QLM answers PingHttp (version, clock skew); a
 * Loway key server is asked for its status line with no PPK, which converts nothing.
 */
export async function testSource(ctx: Context, ref: string): Promise<{ ok: true; summary: string; skewMs: number | null }> {
  const source = findByRef(ctx.store.data.sources, ref, 'key source');
  if (source.kind === 'qlm') {
    const ping = await qlmPing(ctx, source.id);
    return { ok: true, summary: `${ping.message || 'QLM answered'}${ping.serverVersion ? ` (version ${ping.serverVersion})` : ''}`, skewMs: ping.skewMs };
  }
  try {
    const probe = await lowayKeyServer(ctx, source).probe();
    return { ok: true, summary: `key server ${new URL(source.url).host} answered (${probe.status})`, skewMs: probe.skewMs };
  } catch (e) {
    throw withSubject(e, `key source ${source.name}`);
  }
}
