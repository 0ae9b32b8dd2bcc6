import type { Context } from '../context.ts';
import type { Client } from '../store/schema.ts';
import { ClientSchema } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import { CLIENT_CSV } from '../csv-columns.ts';
import type { CsvDetected } from './csv.ts';
import { cellText, checkRowAgainstStore, readCsv } from './csv.ts';
import { isEmailAddress } from '../email.ts';

/** A first line with an e-mail address is a client, not a header. */
const looksLikeClientRow = (cells: string[]) => cells.some((c) => isEmailAddress(c));

export interface ClientCsvResult {
  imported: number;
  errors: Array<{ line: number; message: string }>;
  detected: CsvDetected;
}

/**
 * Add clients from CSV (name,email,notes,tags): the file's bytes, or text already decoded. A bad
 * line imports nothing unless validOnly.
 */
export function importClientsCsv(ctx: Context, input: string | Uint8Array, opts: { validOnly?: boolean; fileName?: string } = {}): ClientCsvResult {
  const { rows, errors, detected } = readCsv(input, CLIENT_CSV, looksLikeClientRow);
  const taken = new Set(ctx.store.data.clients.map((c) => c.name.toLowerCase()));
  const now = ctx.now().toISOString();
  const clients: Client[] = [];
  for (const { line, values } of rows) {
    try {
      const name = values.name?.trim() ?? '';
      if (!name) throw new KeyfleetError('BAD_INPUT', 'name is empty');
      if (name.length > 200) throw new KeyfleetError('BAD_INPUT', 'name is longer than 200 characters');
      if (taken.has(name.toLowerCase())) throw new KeyfleetError('BAD_INPUT', `a client named ${cellText(name)} already exists`);
      const email = values.email?.trim();
      if (email && !isEmailAddress(email)) throw new KeyfleetError('BAD_INPUT', `email ${cellText(email)} is not an e-mail address`);
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
  errors.sort((a, b) => a.line - b.line);
  if ((errors.length > 0 && !opts.validOnly) || clients.length === 0) return { imported: 0, errors, detected };
  ctx.store.update((d) => ({ ...d, clients: [...d.clients, ...clients] }));
  ctx.journal.append({ action: 'client.import', target: opts.fileName ?? 'csv', outcome: 'ok', summary: `${clients.length} client(s)${errors.length ? `, ${errors.length} bad line(s) skipped` : ''}` });
  return { imported: clients.length, errors, detected };
}
