import type { Instance, License, StoreData } from '../store/schema.ts';
import { shellWord } from '../shell-word.ts';

/**
 * What the fleet still does not know after onboarding, each with ONE way to resolve it: the
 * button a desktop user presses (`action`) and the command a CLI user runs (`command`).
 */
export const UNKNOWN_KINDS = ['connection', 'unchecked', 'unknown-key', 'unmatched-license'] as const;
export type UnknownKind = (typeof UNKNOWN_KINDS)[number];

/** The button that resolves each kind in the desktop app. */
export const UNKNOWN_ACTIONS = {
  connection: 'Fix connection',
  unchecked: 'Check now',
  'unknown-key': 'Adopt key',
  'unmatched-license': 'Match client',
} as const satisfies Record<UnknownKind, string>;

export interface UnknownItem {
  kind: UnknownKind;
  /** What is unknown and why, in a sentence. */
  reason: string;
  instance?: string;
  instanceId?: string;
  licenseId?: string;
  /** The button in the app. */
  action: (typeof UNKNOWN_ACTIONS)[UnknownKind];
  /** The command in the CLI. */
  command: string;
  /** QLM licenses without a client: what names their customer on the License Server. */
  qlmMatch?: { by: 'company' | 'email' | 'key'; value: string };
}


function maskKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}…` : key;
}

function connectionCommand(i: Instance, code: string | undefined): string {
  const name = shellWord(i.name);
  if (code === 'AUTH' || code === 'DENIED' || code === 'SECRET_MISSING') return `keyfleet instance update ${name} --user ${shellWord(i.user ?? 'USER')} --secret-stdin && keyfleet instance check ${name}`;
  if (code === 'TLS_UNTRUSTED' || code === 'TLS_PIN_MISMATCH') return `keyfleet instance update ${name} --pin SHA256 && keyfleet instance check ${name}`;
  return `keyfleet instance update ${name} --url URL && keyfleet instance check ${name}`;
}

/** Every unknown in the fleet, instances first (in store order), then licenses. */
export function fleetUnknowns(data: StoreData): UnknownItem[] {
  const items: UnknownItem[] = [];
  const hasConvertedPpks = data.ppks.some((p) => p.convertedElsewhere && !p.licenseId);
  for (const i of data.instances) {
    const name = shellWord(i.name);
    if (!i.lastCheck) {
      items.push({ kind: 'unchecked', reason: `${i.name} has not been read yet`, instance: i.name, instanceId: i.id, action: UNKNOWN_ACTIONS.unchecked, command: `keyfleet instance check ${name}` });
    } else if (!i.lastCheck.ok) {
      const error = i.lastCheck.error;
      items.push({
        kind: 'connection',
        reason: `${i.name}: the connection failed${error ? ` (${error.message})` : ''}`,
        instance: i.name,
        instanceId: i.id,
        action: UNKNOWN_ACTIONS.connection,
        command: connectionCommand(i, error?.code),
      });
    } else if (i.drift === 'unknown') {
      items.push({
        kind: 'unknown-key',
        reason: `${i.name} runs key ${maskKey(i.snapshot?.key ?? '')} that matches no license: its expiry and limits are unknown`,
        instance: i.name,
        instanceId: i.id,
        action: UNKNOWN_ACTIONS['unknown-key'],
        command: hasConvertedPpks ? `keyfleet instance adopt ${name} --ppk PPK` : `keyfleet instance adopt ${name} --expires YYYY-MM-DD --agents N --servers N`,
      });
    }
  }
  const instanceById = new Map(data.instances.map((i) => [i.id, i]));
  // Licenses read from an instance take its client: one item per instance, however many licenses it holds.
  const clientlessByInstance = new Map<string, License[]>();
  const qlmGroups = new Map<string, { flag: 'company' | 'email' | 'key'; value: string; licenses: License[] }>();
  for (const l of data.licenses) {
    if (l.clientId || l.status !== 'active') continue;
    const instance = l.instanceId ? instanceById.get(l.instanceId) : undefined;
    if (instance) {
      const list = clientlessByInstance.get(instance.id);
      if (list) list.push(l);
      else clientlessByInstance.set(instance.id, [l]);
      continue;
    }
    if (l.vendor === 'qlm') {
      // A QLM License Server names the customer on each license: matching the name matches them all.
      const company = typeof l.details?.['userCompany'] === 'string' ? l.details['userCompany'].trim() : '';
      const email = typeof l.details?.['userEmail'] === 'string' ? l.details['userEmail'].trim() : '';
      const by = company ? { flag: 'company' as const, value: company } : email ? { flag: 'email' as const, value: email } : { flag: 'key' as const, value: l.key };
      const group = `${by.flag}\u0000${by.value.toLowerCase()}`;
      const list = qlmGroups.get(group);
      if (list) list.licenses.push(l);
      else qlmGroups.set(group, { ...by, licenses: [l] });
      continue;
    }
    items.push({
      kind: 'unmatched-license',
      reason: `${l.product} ${maskKey(l.key)} belongs to no client`,
      licenseId: l.id,
      action: UNKNOWN_ACTIONS['unmatched-license'],
      command: 'keyfleet licenses --json',
    });
  }
  for (const { flag, value, licenses } of qlmGroups.values()) {
    const whose = flag === 'key' ? `QLM license ${maskKey(value)}` : `${licenses.length} QLM license(s) of ${value}`;
    items.push({
      kind: 'unmatched-license',
      reason: `${whose} belong${flag === 'key' ? 's' : ''} to no client`,
      licenseId: licenses[0]!.id,
      action: UNKNOWN_ACTIONS['unmatched-license'],
      command: `keyfleet qlm match --client CLIENT --${flag} ${shellWord(value)}`,
      qlmMatch: { by: flag, value },
    });
  }
  for (const [instanceId, licenses] of clientlessByInstance) {
    const instance = instanceById.get(instanceId)!;
    const name = shellWord(instance.name);
    items.push({
      kind: 'unmatched-license',
      reason: licenses.length === 1 ? `${licenses[0]!.product} ${maskKey(licenses[0]!.key)} on ${instance.name} belongs to no client` : `${licenses.length} licenses on ${instance.name} belong to no client`,
      instance: instance.name,
      instanceId,
      licenseId: licenses[0]!.id,
      action: UNKNOWN_ACTIONS['unmatched-license'],
      command: `keyfleet instance update ${name} --client CLIENT && keyfleet instance check ${name}`,
    });
  }
  return items;
}
