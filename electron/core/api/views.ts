import type { Context } from '../context.ts';
import type { CheckResult, InstanceView } from './instances.contract.ts';
import type { Instance } from '../store/schema.ts';
import { KeyfleetError } from '../errors.ts';
import { listLicenses, type LicenseView } from '../services/licenses.ts';

/**
 * The views the app and the CLI show of an instance and of a license. Kept apart from
 * handlers.ts, which imports every service and vendor client: a CLI command that shows a
 * license must not pay for loading them all. Import only types and the licenses service here.
 */

export function instanceView(ctx: Context, i: Instance): InstanceView {
  const client = i.clientId ? ctx.store.data.clients.find((c) => c.id === i.clientId) : undefined;
  return { ...i, hasSecret: Boolean(i.secret), client: client?.name ?? null };
}

export function licenseView(ctx: Context, id: string): LicenseView {
  const view = listLicenses(ctx, { id })[0];
  if (!view) throw new KeyfleetError('NOT_FOUND', `no license ${id}`);
  return view;
}

/** An instance after a check: its view, its licenses (the current one first) and its drift. */
export function instanceCheckView(ctx: Context, instanceId: string): CheckResult {
  const instance = ctx.store.data.instances.find((i) => i.id === instanceId);
  if (!instance) throw new KeyfleetError('NOT_FOUND', `no instance ${instanceId}`);
  const licenses = listLicenses(ctx, { instanceId });
  return { instance: instanceView(ctx, instance), license: licenses[0] ?? null, licenses, drift: instance.drift ?? 'unknown' };
}
