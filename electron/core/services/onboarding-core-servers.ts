import type { Context } from '../context.ts';
import type { Instance, License, StoreData } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { instanceSecretOwner } from './instances.ts';

/**
 * After the read: an iSymphony host onboarded without a core server that runs several becomes
 * one instance per core server (named `NAME/slug`), each holding the license read for its core
 * server; and every license read from an onboarded instance that has a client (a Webitel
 * registry, say) is matched to that client. One store commit.
 */
export async function splitCoreServersAndMatchClients(ctx: Context, instanceIds: readonly string[]): Promise<{ split: number; added: string[]; matched: number }> {
  const data = ctx.store.data;
  const onboarded = new Set(instanceIds);
  const licensesByInstance = new Map<string, number[]>();
  data.licenses.forEach((l, n) => {
    if (l.instanceId && onboarded.has(l.instanceId) && l.status === 'active') licensesByInstance.set(l.instanceId, [...(licensesByInstance.get(l.instanceId) ?? []), n]);
  });
  const taken = new Set(data.instances.map((i) => i.name.toLowerCase()));
  const uniqueName = (wanted: string) => {
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  };

  const instances = data.instances.slice();
  const licenses = data.licenses.slice();
  const added: Instance[] = [];
  const secretCopies: Array<{ from: string; to: string }> = [];
  let split = 0;
  let matched = 0;
  const now = ctx.now().toISOString();

  instances.forEach((instance, at) => {
    if (!onboarded.has(instance.id) || instance.kind !== 'isymphony' || instance.coreServer) return;
    const positions = (licensesByInstance.get(instance.id) ?? []).filter((n) => licenses[n]!.vendor === 'isymphony');
    const slugs = [...new Set(positions.map((n) => licenses[n]!.details?.coreServer).filter((s): s is string => typeof s === 'string'))];
    if (slugs.length < 2) return;
    split++;
    taken.delete(instance.name.toLowerCase());
    slugs.forEach((slug, k) => {
      const own = positions.filter((n) => licenses[n]!.details?.coreServer === slug);
      const serials = own.map((n) => licenses[n]!.key).join(',') || null;
      const snapshot = instance.snapshot ? { ...instance.snapshot, key: serials, summary: `core server ${slug}` } : undefined;
      const target: Instance =
        k === 0
          ? { ...instance, name: uniqueName(`${instance.name}/${slug}`), coreServer: slug, ...(snapshot ? { snapshot } : {}) }
          : { ...instance, id: newId('in'), name: uniqueName(`${instance.name}/${slug}`), coreServer: slug, createdAt: now, ...(snapshot ? { snapshot } : {}) };
      if (k === 0) instances[at] = target;
      else {
        added.push(target);
        if (instance.secret?.type === 'own') secretCopies.push({ from: instance.id, to: target.id });
      }
      for (const n of own) licenses[n] = { ...licenses[n]!, instanceId: target.id, updatedAt: now };
    });
  });

  const clientOf = new Map(instances.filter((i) => onboarded.has(i.id) && i.clientId).map((i) => [i.id, i.clientId!]));
  for (const i of added) if (i.clientId) clientOf.set(i.id, i.clientId);
  licenses.forEach((l, n) => {
    const clientId = l.instanceId ? clientOf.get(l.instanceId) : undefined;
    if (clientId && !l.clientId && l.status === 'active') {
      licenses[n] = { ...l, clientId, updatedAt: now } satisfies License;
      matched++;
    }
  });

  if (split === 0 && matched === 0) return { split, added: [], matched };
  // An instance with its own keychain item: each new core-server instance gets a copy (by its own id).
  for (const { from, to } of secretCopies) {
    const owner = instanceSecretOwner({ ...data.instances.find((i) => i.id === from)! });
    const secret = owner ? await ctx.vault.get(owner) : null;
    if (secret !== null) await ctx.vault.set({ type: 'instance', id: to }, secret);
  }
  ctx.store.update((d: StoreData) => ({ ...d, instances: [...instances, ...added], licenses, ...(d.onboarding ? { onboarding: { ...d.onboarding, instanceIds: [...d.onboarding.instanceIds, ...added.map((i) => i.id)] } } : {}) }));
  if (split > 0) {
    ctx.journal.append({ action: 'onboarding.core-servers', target: 'onboarding', outcome: 'ok', summary: `${split} iSymphony host(s) split into one instance per core server (${added.length} added)` });
  }
  return { split, added: added.map((i) => i.id), matched };
}
