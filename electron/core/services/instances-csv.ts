import path from 'node:path';
import type { Context } from '../context.ts';
import type { Client, Credential, Instance, StoreData } from '../store/schema.ts';
import { ClientSchema, INSTANCE_KINDS, InstanceSchema } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import { checkInstanceUrl } from './instances.ts';
import { INSTANCE_CSV } from '../csv-columns.ts';
import type { CsvDetected } from './csv.ts';
import { cellText, checkRowAgainstStore, readCsv } from './csv.ts';

/** A first line with a URL, or a kind in the second column, is an instance, not a header. */
const looksLikeInstanceRow = (cells: string[]) => cells.some((c) => /^https?:\/\//i.test(c)) || (INSTANCE_KINDS as readonly string[]).includes((cells[1] ?? '').toLowerCase());

export interface CsvImportResult {
  imported: number;
  clientsCreated: number;
  credential: string | null;
  errors: Array<{ line: number; message: string }>;
  detected: CsvDetected;
}

export interface CsvImportOptions {
  /** One shared credential for every row (one keychain item). */
  sharedSecret?: string | undefined;
  /** Import the valid lines even when others are bad. */
  validOnly?: boolean;
  fileName?: string;
  /** More to write in the same commit as the instances (onboarding records its progress so). */
  alsoCommit?: (next: StoreData, added: readonly Instance[]) => StoreData;
}

/** Column names as the CSV calls them, for the store fields a row fills. */
const FIELD_COLUMN: Record<string, string> = { coreServer: 'core_server', clientId: 'client' };
const columnOf = (field: string) => FIELD_COLUMN[field] ?? field;

/**
 * Add many instances from CSV: the file's bytes, or text already decoded. Every line is checked
 * first; unless validOnly, one bad line imports nothing and every bad line is reported with its
 * number. The good ones are written in one store commit.
 */
export async function importInstancesCsv(ctx: Context, input: string | Uint8Array, opts: CsvImportOptions = {}): Promise<CsvImportResult> {
  const { rows, errors, detected } = readCsv(input, INSTANCE_CSV, looksLikeInstanceRow);

  const data = ctx.store.data;
  const takenNames = new Set(data.instances.map((i) => i.name.toLowerCase()));
  // One server is one instance: a row on a server in use, or on the server of an earlier row, is refused.
  const { EndpointIndex, sameEndpointConflict } = await import('../vendors/queuemetrics/same-server.ts');
  const endpoints = new EndpointIndex(data.instances);
  const clientsByName = new Map(data.clients.map((c) => [c.name.toLowerCase(), c]));
  const newClients: Client[] = [];
  const instances: Instance[] = [];
  const now = ctx.now().toISOString();
  const credential: Credential | null = opts.sharedSecret
    ? { id: newId('cr'), name: `import ${opts.fileName ? path.basename(opts.fileName).slice(0, 120) : 'csv'} ${now.slice(0, 19)}`, createdAt: now }
    : null;

  for (const { line, values: row } of rows) {
    try {
      const name = row.name?.trim() ?? '';
      if (!name) throw new KeyfleetError('BAD_INPUT', 'name is empty');
      if (name.length > 200) throw new KeyfleetError('BAD_INPUT', 'name is longer than 200 characters');
      if (takenNames.has(name.toLowerCase())) throw new KeyfleetError('BAD_INPUT', `an instance named ${cellText(name)} already exists`);
      const kind = (row.kind ?? '').trim().toLowerCase();
      if (!(INSTANCE_KINDS as readonly string[]).includes(kind)) throw new KeyfleetError('BAD_INPUT', `kind ${cellText(row.kind ?? '')} is not one of ${INSTANCE_KINDS.join(', ')}`);
      const url = checkInstanceUrl(kind as Instance['kind'], row.url ?? '', 'url');
      const instance: Instance = { id: newId('in'), name, kind: kind as Instance['kind'], url, tags: [], createdAt: now };
      const clientName = row.client?.trim();
      if (clientName) {
        let client = clientsByName.get(clientName.toLowerCase());
        if (!client) {
          client = { id: newId('cl'), name: clientName, tags: [], createdAt: now };
          checkRowAgainstStore(ClientSchema, client, (f) => `client ${f}`);
          clientsByName.set(clientName.toLowerCase(), client);
          newClients.push(client);
        }
        instance.clientId = client.id;
      }
      if (row.user?.trim()) instance.user = row.user.trim();
      if (row.tags?.trim()) instance.tags = row.tags.split(/[;|]/).map((t) => t.trim()).filter(Boolean);
      if (row.group?.trim()) instance.group = row.group.trim();
      if (row.core_server?.trim()) instance.coreServer = row.core_server.trim();
      if (credential) instance.secret = { type: 'shared', credentialId: credential.id };
      checkRowAgainstStore(InstanceSchema, instance, columnOf);
      const sameServer = endpoints.find(instance);
      if (sameServer) throw sameEndpointConflict(name, instance, sameServer);
      takenNames.add(name.toLowerCase());
      endpoints.add(instance);
      instances.push(instance);
    } catch (e) {
      errors.push({ line, message: (e as Error).message });
    }
  }

  errors.sort((a, b) => a.line - b.line);
  if ((errors.length > 0 && !opts.validOnly) || instances.length === 0) return { imported: 0, clientsCreated: 0, credential: null, errors, detected };
  // Clients only for rows that are imported.
  const usedClientIds = new Set(instances.map((i) => i.clientId));
  const clientsToAdd = newClients.filter((c) => usedClientIds.has(c.id));
  if (credential) await ctx.vault.set({ type: 'credential', id: credential.id }, opts.sharedSecret!);
  try {
    ctx.store.update((d) => {
      const next = {
        ...d,
        clients: [...d.clients, ...clientsToAdd],
        instances: [...d.instances, ...instances],
        credentials: credential ? [...d.credentials, credential] : d.credentials,
      };
      return opts.alsoCommit ? opts.alsoCommit(next, instances) : next;
    });
  } catch (e) {
    if (credential) await ctx.vault.delete({ type: 'credential', id: credential.id }).catch(() => false);
    throw e;
  }
  ctx.journal.append({
    action: 'instance.import',
    target: opts.fileName ? path.basename(opts.fileName) : 'csv',
    outcome: 'ok',
    summary: `${instances.length} instance(s), ${clientsToAdd.length} new client(s)${errors.length ? `, ${errors.length} bad line(s) skipped` : ''}`,
  });
  return { imported: instances.length, clientsCreated: clientsToAdd.length, credential: credential?.name ?? null, errors, detected };
}
