import type { Command } from '../framework.ts';
import { str, table } from '../framework.ts';
import { CLIENT_CSV, csvImportHelp } from '../../core/csv-columns.ts';
import { contractSchemas } from '../command-input.ts';
import { removeCommand } from '../command-shapes.ts';
import { csvImportText, readCsvFile } from '../csv-import.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['client', 'add'],
    usage: 'client add NAME [--email E] [--notes TEXT] [--tag T]…',
    summary: 'add a client (an end customer)',
    options: { email: { type: 'string' }, notes: { type: 'string' }, tag: { type: 'string', multiple: true } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const [{ validateInput, ClientInputSchema }, { addClient }] = await Promise.all([contractSchemas(), import('../../core/services/clients.ts')]);
      const input = validateInput(ClientInputSchema, { name: positionals[0], email: str(values, 'email'), notes: str(values, 'notes'), tags: values.tag });
      const client = addClient(ctx, input);
      return { json: { client }, text: `added client ${client.name} (${client.id})` };
    },
  },
  {
    path: ['client', 'list'],
    usage: 'client list',
    summary: 'list clients',
    async run(ctx) {
      const { listClients } = await import('../../core/services/clients.ts');
      const clients = listClients(ctx);
      const counts = new Map<string, number>();
      for (const i of ctx.store.data.instances) if (i.clientId) counts.set(i.clientId, (counts.get(i.clientId) ?? 0) + 1);
      return {
        json: { clients: clients.map((c) => ({ ...c, instances: counts.get(c.id) ?? 0 })) },
        get text() {
          return clients.length ? table(['NAME', 'E-MAIL', 'INSTANCES', 'ID'], clients.map((c) => [c.name, c.email, counts.get(c.id) ?? 0, c.id])) : 'no clients yet: keyfleet client add NAME';
        },
      };
    },
  },
  {
    path: ['client', 'import'],
    usage: 'client import FILE.csv [--valid-only]',
    summary: 'add many clients from CSV (name,email,notes,tags); a bad line imports nothing unless --valid-only',
    help: csvImportHelp(CLIENT_CSV),
    options: { 'valid-only': { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const bytes = readCsvFile(positionals[0]!);
      const { importClientsCsv } = await import('../../core/services/clients-csv.ts');
      const result = importClientsCsv(ctx, bytes, { validOnly: Boolean(values['valid-only']), fileName: positionals[0]! });
      return {
        json: result,
        text: await csvImportText({ summary: `imported ${result.imported} client(s)`, file: positionals[0]!, ...result, command: 'client import' }),
        ...(result.errors.length > 0 && result.imported === 0 ? { exitCode: 2 } : {}),
      };
    },
  },
  removeCommand('client', 'client', 'remove a client that owns no instances', async (ctx, ref) => (await import('../../core/services/clients.ts')).removeClient(ctx, ref)),
];
