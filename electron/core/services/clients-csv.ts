import type { Context } from '../context.ts';
import type { Client } from '../store/schema.ts';
import { ClientSchema } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import { cellText, checkRowAgainstStore, readCsv } from './csv.ts';

const ALIASES: Record<string, string> = {
  name: 'name',
  client: 'name',
  customer: 'name',
  company: 'name',
  firm: 'name',
  email: 'email',
  e_mail: 'email',
  mail: 'email',
  notes: 'notes',
  note: 'notes',
  tags: 'tags',
};

export interface ClientCsvResult {
  imported: number;
  errors: Array<{ line: number; message: string }>;
}

/** Add clients from CSV (name,email,notes,tags). A bad line imports nothing unless validOnly. */
export function importClientsCsv(ctx: Context, text: string, opts: { validOnly?: boolean; fileName?: string } = {}): ClientCsvResult {
  const { columns, rows } = readCsv(text, ALIASES, ['name', 'email', 'notes', 'tags']);
  const taken = new Set(ctx.store.data.clients.map((c) => c.name.toLowerCase()));
  const now = ctx.now().toISOString();
  const clients: Client[] = [];
  const errors: ClientCsvResult['errors'] = [];
  for (const { line, values, cells } of rows) {
    try {
      if (cells > columns.length) throw new KeyfleetError('BAD_INPUT', `${cells} columns, expected at most ${columns.length}`);
      const name = values.name?.trim() ?? '';
      if (!name) throw new KeyfleetError('BAD_INPUT', 'name is empty');
      if (name.length > 200) throw new KeyfleetError('BAD_INPUT', 'name is longer than 200 characters');
      if (taken.has(name.toLowerCase())) throw new KeyfleetError('BAD_INPUT', `a client named ${cellText(name)} already exists`);
      const email = values.email?.trim();
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new KeyfleetError('BAD_INPUT', `email ${cellText(email)} is not an e-mail address`);
      const client: Client = { id: newId('cl'), name, tags: (values.tags ?? '').split(/[;|]/).map((t) => t.trim()).filter(Boolean), createdAt: now };
      if (email) client.email = email;
      if (values.notes?.trim()) client.notes = values.notes.trim();
      checkRowAgainstStore(ClientSchema, client);
      taken.add(name.toLowerCase());
      clients.push(client);
    } catch (e) {
      errors.push({ line, message: (e as Error).message });
    }
  }
  if ((errors.length > 0 && !opts.validOnly) || clients.length === 0) return { imported: 0, errors };
  ctx.store.update((d) => ({ ...d, clients: [...d.clients, ...clients] }));
  ctx.journal.append({ action: 'client.import', target: opts.fileName ?? 'csv', outcome: 'ok', summary: `${clients.length} client(s)${errors.length ? `, ${errors.length} bad line(s) skipped` : ''}` });
  return { imported: clients.length, errors };
}
