import type { Context } from '../context.ts';
import type { Instance, InstanceKind } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import { normalizeFingerprint } from '../net/http.ts';
import { isBareQueueMetricsAddress, isBareQueueMetricsHost, queueMetricsBaseUrl } from '../vendors/queuemetrics/url.ts';
import type { SecretOwner } from '../vault/vault.ts';
import { assertUniqueName, findByRef, replaceById } from './lookup.ts';

export interface InstanceInput {
  name: string;
  kind: InstanceKind;
  url: string;
  client?: string | undefined;
  user?: string | undefined;
  /** A secret of its own, written to the keychain. */
  secret?: string | undefined;
  /** Or the name/id of a shared credential. */
  credential?: string | undefined;
  coreServer?: string | undefined;
  domainId?: string | undefined;
  pinSha256?: string | undefined;
  tags?: string[] | undefined;
  group?: string | undefined;
  notes?: string | undefined;
}

export function checkUrl(url: string, field = 'url'): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new KeyfleetError('BAD_INPUT', `${field}: "${trimmed}" is not a URL (it must start with http:// or https://)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new KeyfleetError('BAD_INPUT', `${field}: only http:// and https:// URLs are supported, got ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    throw new KeyfleetError('BAD_INPUT', `${field}: put credentials in the user and secret fields, not in the URL`);
  }
  // A URL is stored and shown in plain text; a secret pasted into its query must not be.
  for (const name of parsed.searchParams.keys()) {
    if (/pwd|pass|secret|token|access|auth/i.test(name)) {
      throw new KeyfleetError('BAD_INPUT', `${field}: the URL carries "${name}", which looks like a secret; give the secret separately (it goes to the OS keychain)`);
    }
  }
  // The store holds URLs to RFC 3986; a URL typed with spaces or non-ASCII letters is kept in
  // its percent-encoded form rather than refused when it is written.
  return isRfc3986(trimmed) ? trimmed : parsed.href;
}

/**
 * An instance's URL as stored. QueueMetrics takes a bare `host:port` or dotted host the way its
 * client reads one (http, port 8080 when none is given, webapp /queuemetrics), written out in
 * full so the list shows what is used; every other URL must name http:// or https://. A bare
 * word (`pbx`, `notaurl`) is refused as the typing mistake it usually is.
 */
export function checkInstanceUrl(kind: InstanceKind, url: string, field = 'url'): string {
  if (kind === 'queuemetrics' && url.trim() !== '' && isBareQueueMetricsHost(url)) {
    const notAnAddress = () => new KeyfleetError('BAD_INPUT', `${field}: "${url.trim()}" is not a URL (give http://host:port/queuemetrics, or host:port)`);
    if (!isBareQueueMetricsAddress(url)) throw notAnAddress();
    let expanded: string;
    try {
      expanded = queueMetricsBaseUrl(url);
    } catch {
      throw notAnAddress();
    }
    return checkUrl(expanded, field);
  }
  return checkUrl(url, field);
}

/** Refuse a second instance on a server an instance already uses (however its URL was typed). */
async function assertEndpointFree(ctx: Context, candidate: Instance): Promise<void> {
  const { instanceOnSameEndpoint, sameEndpointConflict } = await import('../vendors/queuemetrics/same-server.ts');
  const existing = instanceOnSameEndpoint(candidate, ctx.store.data.instances);
  if (existing) throw sameEndpointConflict(candidate.name, candidate, existing);
}

function isRfc3986(url: string): boolean {
  if (/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/u.test(url)) return false;
  if (/%(?![0-9A-Fa-f]{2})/.test(url)) return false;
  if (url.indexOf('#') !== url.lastIndexOf('#')) return false;
  const afterHost = url.replace(/^[a-z][a-z0-9+.-]*:\/\/(?:\[[0-9A-Fa-f:.]*\])?/i, '');
  return !/[[\]]/.test(afterHost);
}

/** The keychain item that holds an instance's secret, if it has one. */
export function instanceSecretOwner(instance: Instance): SecretOwner | null {
  if (!instance.secret) return null;
  return instance.secret.type === 'own' ? { type: 'instance', id: instance.id } : { type: 'credential', id: instance.secret.credentialId };
}

export function findInstance(ctx: Context, ref: string): Instance {
  return findByRef(ctx.store.data.instances, ref, 'instance');
}

function buildInstance(ctx: Context, input: InstanceInput, id: string): Instance {
  const data = ctx.store.data;
  if (input.secret !== undefined && input.credential !== undefined) {
    throw new KeyfleetError('BAD_INPUT', 'give either a secret of its own or a shared credential, not both');
  }
  const client = input.client ? findByRef(data.clients, input.client, 'client') : undefined;
  const credential = input.credential ? findByRef(data.credentials, input.credential, 'credential') : undefined;
  const instance: Instance = {
    id,
    name: input.name.trim(),
    kind: input.kind,
    url: checkInstanceUrl(input.kind, input.url),
    tags: input.tags ?? [],
    createdAt: ctx.now().toISOString(),
  };
  if (client) instance.clientId = client.id;
  const user = input.user?.trim() || credential?.user;
  if (user) instance.user = user;
  if (input.secret !== undefined) instance.secret = { type: 'own' };
  if (credential) instance.secret = { type: 'shared', credentialId: credential.id };
  if (input.coreServer) instance.coreServer = input.coreServer.trim();
  if (input.domainId) instance.domainId = input.domainId.trim();
  if (input.pinSha256) instance.pinSha256 = normalizeFingerprint(input.pinSha256);
  if (input.group) instance.group = input.group.trim();
  if (input.notes) instance.notes = input.notes;
  return instance;
}

export async function addInstance(ctx: Context, input: InstanceInput): Promise<Instance> {
  assertUniqueName(ctx.store.data.instances, input.name, 'instance');
  const instance = buildInstance(ctx, input, newId('in'));
  await assertEndpointFree(ctx, instance);
  // Keychain first: when it is missing, nothing is stored and the user is told why.
  if (input.secret !== undefined) await ctx.vault.set({ type: 'instance', id: instance.id }, input.secret);
  try {
    ctx.store.update((d) => ({ ...d, instances: [...d.instances, instance] }));
  } catch (e) {
    if (input.secret !== undefined) await ctx.vault.delete({ type: 'instance', id: instance.id }).catch(() => false);
    throw e;
  }
  ctx.journal.append({ action: 'instance.add', target: instance.name, instanceId: instance.id, outcome: 'ok', summary: `${instance.kind} at ${instance.url}` });
  return instance;
}

export interface InstancePatch extends Partial<Omit<InstanceInput, 'kind' | 'client'>> {
  /** A client name/id, or null to detach. */
  client?: string | null | undefined;
  /** Remove the instance's own secret. */
  clearSecret?: boolean;
  /** Remove the pinned certificate. */
  clearPin?: boolean;
}

export async function updateInstance(ctx: Context, ref: string, patch: InstancePatch): Promise<Instance> {
  const current = findInstance(ctx, ref);
  if (patch.name !== undefined) assertUniqueName(ctx.store.data.instances, patch.name, 'instance', current.id);
  const data = ctx.store.data;
  const next: Instance = { ...current };
  if (patch.name !== undefined) next.name = patch.name.trim();
  if (patch.url !== undefined) next.url = checkInstanceUrl(current.kind, patch.url);
  if (patch.client !== undefined) next.clientId = patch.client ? findByRef(data.clients, patch.client, 'client').id : undefined;
  if (patch.user !== undefined) next.user = patch.user.trim() || undefined;
  if (patch.coreServer !== undefined) next.coreServer = patch.coreServer.trim() || undefined;
  if (patch.domainId !== undefined) next.domainId = patch.domainId.trim() || undefined;
  if (patch.pinSha256 !== undefined) next.pinSha256 = normalizeFingerprint(patch.pinSha256);
  if (patch.clearPin) next.pinSha256 = undefined;
  if (patch.tags !== undefined) next.tags = patch.tags;
  if (patch.group !== undefined) next.group = patch.group.trim() || undefined;
  if (patch.notes !== undefined) next.notes = patch.notes || undefined;
  if (patch.credential !== undefined) next.secret = { type: 'shared', credentialId: findByRef(data.credentials, patch.credential, 'credential').id };
  // Before the keychain is touched: a refused change changes nothing.
  if (next.url !== current.url || next.coreServer !== current.coreServer) await assertEndpointFree(ctx, next);
  if (patch.secret !== undefined) {
    await ctx.vault.set({ type: 'instance', id: current.id }, patch.secret);
    next.secret = { type: 'own' };
  }
  if (patch.clearSecret) next.secret = undefined;
  ctx.store.update((d) => ({ ...d, instances: replaceById(d.instances, next) }));
  if ((patch.clearSecret || patch.credential !== undefined) && current.secret?.type === 'own') {
    await ctx.vault.delete({ type: 'instance', id: current.id });
  }
  ctx.journal.append({ action: 'instance.update', target: next.name, instanceId: next.id, outcome: 'ok' });
  return next;
}

export async function removeInstance(ctx: Context, ref: string): Promise<void> {
  const instance = findInstance(ctx, ref);
  ctx.store.update((d) => ({
    ...d,
    instances: d.instances.filter((i) => i.id !== instance.id),
    licenses: d.licenses.map((l) => (l.instanceId === instance.id ? { ...l, instanceId: undefined } : l)),
  }));
  if (instance.secret?.type === 'own') await ctx.vault.delete({ type: 'instance', id: instance.id });
  ctx.journal.append({ action: 'instance.remove', target: instance.name, instanceId: instance.id, outcome: 'ok' });
}

export async function removeCredential(ctx: Context, ref: string): Promise<void> {
  const credential = findByRef(ctx.store.data.credentials, ref, 'credential');
  const users = ctx.store.data.instances.filter((i) => i.secret?.type === 'shared' && i.secret.credentialId === credential.id);
  if (users.length > 0) throw new KeyfleetError('CONFLICT', `credential "${credential.name}" is used by ${users.length} instance(s) (${users.slice(0, 3).map((i) => i.name).join(', ')}${users.length > 3 ? ', …' : ''}); give them another secret first`);
  ctx.store.update((d) => ({ ...d, credentials: d.credentials.filter((c) => c.id !== credential.id) }));
  await ctx.vault.delete({ type: 'credential', id: credential.id });
  ctx.journal.append({ action: 'credential.remove', target: credential.name, outcome: 'ok' });
}

export async function addCredential(ctx: Context, input: { name: string; user?: string | undefined; secret: string }) {
  assertUniqueName(ctx.store.data.credentials, input.name, 'credential');
  const credential = { id: newId('cr'), name: input.name.trim(), createdAt: ctx.now().toISOString(), ...(input.user ? { user: input.user.trim() } : {}) };
  await ctx.vault.set({ type: 'credential', id: credential.id }, input.secret);
  ctx.store.update((d) => ({ ...d, credentials: [...d.credentials, credential] }));
  ctx.journal.append({ action: 'credential.add', target: credential.name, outcome: 'ok' });
  return credential;
}
