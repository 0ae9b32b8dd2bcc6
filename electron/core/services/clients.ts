import type { Context } from '../context.ts';
import type { Client } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import { assertUniqueName, findByRef, replaceById } from './lookup.ts';

export interface ClientInput {
  name: string;
  email?: string | undefined;
  notes?: string | undefined;
  tags?: string[] | undefined;
}

export function listClients(ctx: Context): readonly Client[] {
  return ctx.store.data.clients;
}

export function addClient(ctx: Context, input: ClientInput): Client {
  const data = ctx.store.data;
  assertUniqueName(data.clients, input.name, 'client');
  const client: Client = {
    id: newId('cl'),
    name: input.name.trim(),
    tags: input.tags ?? [],
    createdAt: ctx.now().toISOString(),
    ...(input.email ? { email: input.email.trim() } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
  };
  ctx.store.update((d) => ({ ...d, clients: [...d.clients, client] }));
  ctx.journal.append({ action: 'client.add', target: client.name, outcome: 'ok' });
  return client;
}

export function updateClient(ctx: Context, ref: string, patch: Partial<ClientInput> & { reminderStages?: number[] | null }): Client {
  const current = findByRef(ctx.store.data.clients, ref, 'client');
  if (patch.name !== undefined) assertUniqueName(ctx.store.data.clients, patch.name, 'client', current.id);
  const next: Client = { ...current };
  if (patch.name !== undefined) next.name = patch.name.trim();
  if (patch.email !== undefined) next.email = patch.email.trim() || undefined;
  if (patch.notes !== undefined) next.notes = patch.notes || undefined;
  if (patch.tags !== undefined) next.tags = patch.tags;
  if (patch.reminderStages !== undefined) next.reminderStages = patch.reminderStages ?? undefined;
  ctx.store.update((d) => ({ ...d, clients: replaceById(d.clients, next) }));
  ctx.journal.append({ action: 'client.update', target: next.name, outcome: 'ok' });
  return next;
}

export function removeClient(ctx: Context, ref: string): void {
  const client = findByRef(ctx.store.data.clients, ref, 'client');
  const used = ctx.store.data.instances.filter((i) => i.clientId === client.id).length;
  if (used > 0) throw new KeyfleetError('CONFLICT', `client "${client.name}" still owns ${used} instance(s); move or remove them first`);
  ctx.store.update((d) => ({
    ...d,
    clients: d.clients.filter((c) => c.id !== client.id),
    licenses: d.licenses.map((l) => (l.clientId === client.id ? { ...l, clientId: undefined } : l)),
  }));
  ctx.journal.append({ action: 'client.remove', target: client.name, outcome: 'ok' });
}
