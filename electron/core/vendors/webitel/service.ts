import type { Context } from '../../context.ts';
import type { License } from '../../store/schema.ts';
import type { CapacityRow, WebitelHolder } from '../../api/contract.ts';
import { KeyfleetError, withSubject } from '../../errors.ts';
import { findInstance } from '../../services/instances.ts';
import { instanceClient } from '../instance-endpoint.ts';
import { webitelDriver } from './driver.ts';
import { applyReadings, readInstance } from '../../services/instance-check.ts';
import { checkLogoutAllowed, effectiveCapacity } from './rules.ts';
import { checkCertificateShape } from './client.ts';

function requireWebitel(ctx: Context, ref: string) {
  const instance = findInstance(ctx, ref);
  if (instance.kind !== 'webitel') throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}, not Webitel`);
  return instance;
}

/**
 * Import a license certificate, then re-read the registry so the new grants are stored.
 * A blank or obviously malformed key is refused before the keychain or the network is touched.
 * Returns every active license of the instance; the ones the import added carry origin 'imported'.
 */
export async function webitelImport(ctx: Context, ref: string, certificate: string): Promise<License[]> {
  const instance = requireWebitel(ctx, ref);
  const normalized = checkCertificateShape(certificate);
  const before = new Set(ctx.store.data.licenses.filter((l) => l.instanceId === instance.id && l.status === 'active').map((l) => l.key));
  let accepted = false;
  try {
    const client = await instanceClient(ctx, instance, webitelDriver);
    await client.importCertificate(normalized);
    accepted = true;
    const reading = await readInstance(ctx, instance);
    const at = ctx.now().toISOString();
    // Grants this certificate added are stored as imported, not as merely read from the instance.
    const next = ctx.store.update((d) => {
      const read = applyReadings(d, [{ instanceId: instance.id, at, durationMs: 0, reading }]);
      return { ...read, licenses: read.licenses.map((l) => (l.instanceId === instance.id && l.vendor === 'webitel' && !before.has(l.key) && l.origin === 'instance' ? { ...l, origin: 'imported' as const } : l)) };
    });
    const imported = next.licenses.filter((l) => l.instanceId === instance.id && l.vendor === 'webitel' && l.status === 'active');
    const fresh = imported.filter((l) => !before.has(l.key));
    ctx.journal.append({ action: 'webitel.import', target: instance.name, instanceId: instance.id, outcome: 'ok', summary: `${fresh.length} new license(s): ${fresh.map((l) => l.product).join(', ') || 'none'}` });
    return imported;
  } catch (e) {
    let err = withSubject(e, `instance ${instance.name}`);
    // The server took the key; only reading the registry back failed. Say so, or the user retries an import that already happened.
    if (accepted) err = new KeyfleetError(err.code, `${err.message} (the license key WAS accepted; run "instance check ${instance.name}" to read the new licenses)`, err.details, { cause: e });
    ctx.journal.append({ action: 'webitel.import', target: instance.name, instanceId: instance.id, outcome: 'failed', error: { code: err.code, message: err.message } });
    throw err;
  }
}

/** Who holds a license, with whether the operator may force each one offline. */
export async function webitelUsers(ctx: Context, ref: string, licenseId: string, q?: string): Promise<WebitelHolder[]> {
  const instance = requireWebitel(ctx, ref);
  try {
    const client = await instanceClient(ctx, instance, webitelDriver);
    const users = await client.allLicenseUsers(licenseId, q);
    return users.map((u) => {
      // Without the operator's domain configured, the server is left to enforce the domain rule.
      const check = instance.domainId
        ? checkLogoutAllowed({ operatorDomainId: instance.domainId, holderDomainId: u.domainId, sessions: u.sessions })
        : u.sessions > 0
          ? { allowed: true }
          : { allowed: false, reason: 'the user has no active session' };
      return { id: u.userId, name: u.userName, domain: u.domainName, domainId: u.domainId, sessions: u.sessions, canLogout: check.allowed, reason: check.reason ?? null };
    });
  } catch (e) {
    throw withSubject(e, `instance ${instance.name}`);
  }
}

/**
 * Force a user offline. With the license known, the domain and session rules are checked here
 * first; without it, Webitel itself enforces them and its refusal is shown.
 */
export async function webitelLogout(ctx: Context, ref: string, licenseId: string | undefined, userId: string): Promise<void> {
  const instance = requireWebitel(ctx, ref);
  let holder: WebitelHolder | undefined;
  if (licenseId) {
    holder = (await webitelUsers(ctx, ref, licenseId)).find((h) => h.id === userId);
    if (!holder) throw new KeyfleetError('NOT_FOUND', `user ${userId} does not hold license ${licenseId} on ${instance.name}`);
    if (!holder.canLogout) throw new KeyfleetError('DENIED', `cannot force ${holder.name} offline: ${holder.reason ?? 'not allowed'}`);
  }
  try {
    await (await instanceClient(ctx, instance, webitelDriver)).logoutUser(userId);
  } catch (e) {
    const err = withSubject(e, `instance ${instance.name}`);
    ctx.journal.append({ action: 'webitel.logout', target: instance.name, instanceId: instance.id, outcome: 'failed', error: { code: err.code, message: err.message } });
    throw err;
  }
  ctx.journal.append({ action: 'webitel.logout', target: instance.name, instanceId: instance.id, outcome: 'ok', summary: holder ? `${holder.name} (${holder.domain}) forced offline` : `user ${userId} forced offline` });
}

/** Effective capacity per product from the stored registry (works offline). */
export function webitelCapacity(ctx: Context, ref: string): CapacityRow[] {
  const instance = requireWebitel(ctx, ref);
  const licenses = ctx.store.data.licenses.filter((l) => l.instanceId === instance.id && l.vendor === 'webitel' && l.status === 'active');
  return effectiveCapacity(
    licenses.map((l) => ({ id: l.key, product: l.product, limit: l.limits.seats ?? 0, competitive: l.limits.competitive ?? false, validFrom: l.validFrom ?? null, validTill: l.expiresAt ? `${l.expiresAt}T23:59:59.999Z` : null })),
    ctx.now(),
  ).map((r) => ({ product: r.product, capacity: r.capacity, licenses: r.licenses, counted: r.counted, rule: r.rule, warnings: r.warnings }));
}
