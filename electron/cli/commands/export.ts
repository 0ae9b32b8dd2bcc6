import path from 'node:path';
import type { Context } from '../../core/context.ts';
import type { ExportResult } from '../../core/api/contract.ts';
import type { Command, CommandArgs } from '../framework.ts';
import { str } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';

const exportsService = () => import('../../core/services/exports.ts');

async function writeOut(file: string | undefined, content: string): Promise<string | null> {
  if (!file) return null;
  const target = path.resolve(file);
  const { writeFileAtomicSync } = await import('../../core/store/atomic-file.ts');
  try {
    writeFileAtomicSync(target, content);
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `cannot write ${target}: ${(e as Error).message}`);
  }
  return target;
}

function formatOf(values: CommandArgs['values']): 'csv' | 'json' {
  const format = str(values, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new KeyfleetError('BAD_INPUT', '--format must be csv or json');
  return format;
}

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

type ExportsService = Awaited<ReturnType<typeof exportsService>>;

/** `export WHAT`: the export as CSV or JSON on standard output, or written to --out. */
function exportCommand(
  what: string,
  usageOptions: string,
  summary: string,
  produce: (service: ExportsService, ctx: Context, format: 'csv' | 'json', values: CommandArgs['values']) => ExportResult,
  extraOptions: Command['options'] = {},
): Command {
  return {
    path: ['export', what],
    usage: `export ${what} [--format csv|json]${usageOptions} [--out FILE]`,
    summary,
    options: { format: { type: 'string' }, ...extraOptions, out: { type: 'string' } },
    async run(ctx, { values }) {
      const format = formatOf(values);
      const r = produce(await exportsService(), ctx, format, values);
      const written = await writeOut(str(values, 'out'), r.content);
      return { json: written ? { file: written } : r, text: written ? `wrote ${written}` : r.content.trimEnd() };
    },
  };
}

export const commands: Command[] = [
  exportCommand('licenses', '', 'every license as CSV or JSON (secrets are never exported)', (s, ctx, format) => s.exportLicenses(ctx, format)),
  exportCommand('clients', '', 'clients as CSV or JSON (re-importable with client import)', (s, ctx, format) => s.exportClients(ctx, format)),
  exportCommand('instances', '', 'instances as CSV or JSON (re-importable with instance import); never secrets', (s, ctx, format) => s.exportInstances(ctx, format)),
  exportCommand('history', ' [--instance NAME]', 'the event log as CSV or JSON', (s, ctx, format, values) => s.exportHistory(ctx, format, str(values, 'instance')), { instance: { type: 'string' } }),
];
