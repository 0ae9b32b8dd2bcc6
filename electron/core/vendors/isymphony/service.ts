import type { Context } from '../../context.ts';
import type { License } from '../../store/schema.ts';
import { KeyfleetError, withSubject } from '../../errors.ts';
import { findInstance } from '../../services/instances.ts';
import { instanceClient } from '../instance-endpoint.ts';
import { iSymphonyDriver } from './driver.ts';
import { applyReadings } from '../../services/instance-check.ts';
import type { ISymphonyActivation } from './client.ts';

export async function isymphonyCoreServers(ctx: Context, ref: string) {
  const instance = findInstance(ctx, ref);
  try {
    return await (await instanceClient(ctx, instance, iSymphonyDriver)).listCoreServers();
  } catch (e) {
    throw withSubject(e, `instance ${instance.name}`);
  }
}

export async function isymphonyModules(ctx: Context, ref: string) {
  const instance = findInstance(ctx, ref);
  const slug = await coreServerSlug(ctx, ref);
  try {
    return await (await instanceClient(ctx, instance, iSymphonyDriver)).moduleLicenses(slug);
  } catch (e) {
    throw withSubject(e, `instance ${instance.name}`);
  }
}

/** The configured core server, or the only one there is. */
async function coreServerSlug(ctx: Context, ref: string): Promise<string> {
  const instance = findInstance(ctx, ref);
  if (instance.coreServer) return instance.coreServer;
  const servers = await isymphonyCoreServers(ctx, ref);
  if (servers.length === 1) return servers[0]!.slug;
  throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} has ${servers.length} core servers (${servers.map((s) => s.slug).join(', ')}); choose one (--core-server)`);
}

export interface ISymphonyActivateInput {
  instance: string;
  serial: string;
  licensedTo?: string | undefined;
  email?: string | undefined;
  cancelBind?: boolean | undefined;
}

/**
 * Activate a serial on the instance's core server, completing the bind step when the server
 * asks for it (licensed-to and e-mail default to the instance's client), then read the
 * license back and store it.
 */
export async function isymphonyActivate(ctx: Context, input: ISymphonyActivateInput): Promise<{ license: License; outcome: ISymphonyActivation['outcome'] }> {
  const instance = findInstance(ctx, input.instance);
  if (instance.kind !== 'isymphony') throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}, not iSymphony`);
  const slug = await coreServerSlug(ctx, instance.id);
  const client = instance.clientId ? ctx.store.data.clients.find((c) => c.id === instance.clientId) : undefined;
  const licensedTo = input.licensedTo?.trim() || client?.name;
  const email = input.email?.trim() || client?.email;
  const bind = licensedTo && email ? { licensedTo, email } : null;
  const serialShown = `${input.serial.trim().slice(0, 6)}…`;
  ctx.journal.append({ action: 'isymphony.activate', target: instance.name, instanceId: instance.id, outcome: 'started', summary: `serial ${serialShown} on core server ${slug}` });
  let result: ISymphonyActivation;
  try {
    const api = await instanceClient(ctx, instance, iSymphonyDriver);
    result = await api.activate(slug, input.serial.trim(), bind, { onBindRequested: () => (input.cancelBind ? 'cancel' : 'continue') });
  } catch (e) {
    const err = withSubject(e, `instance ${instance.name}`);
    ctx.journal.append({ action: 'isymphony.activate', target: instance.name, instanceId: instance.id, outcome: 'failed', error: { code: err.code, message: err.message } });
    throw err;
  }
  const at = ctx.now().toISOString();
  const next = ctx.store.update((d) => applyReadings(d, [{ instanceId: instance.id, at, durationMs: 0, reading: { kind: 'isymphony', licenses: [{ slug, license: result.license }] } }]));
  const license = next.licenses.find((l) => l.vendor === 'isymphony' && l.instanceId === instance.id && l.key === result.license.serial);
  if (!license) throw new KeyfleetError('INTERNAL', 'the activated license was not stored');
  ctx.journal.append({
    action: 'isymphony.activate',
    target: instance.name,
    instanceId: instance.id,
    licenseId: license.id,
    outcome: 'ok',
    summary: `${result.outcome}: serial ${serialShown}, ${result.license.expiresAt ? `expires ${result.license.expiresAt}` : 'perpetual'}`,
  });
  return { license, outcome: result.outcome };
}
