import path from 'node:path';
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

export const commands: Command[] = [
  {
    path: ['export', 'licenses'],
    usage: 'export licenses [--format csv|json] [--out FILE]',
    summary: 'every license as CSV or JSON (secrets are never exported)',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(ctx, { values }) {
      const format = formatOf(values);
      const { exportLicenses } = await exportsService();
      const r = exportLicenses(ctx, format);
      const written = await writeOut(str(values, 'out'), r.content);
      return { json: written ? { file: written } : r, text: written ? `wrote ${written}` : r.content.trimEnd() };
    },
  },
  {
    path: ['export', 'clients'],
    usage: 'export clients [--format csv|json] [--out FILE]',
    summary: 'clients as CSV or JSON (re-importable with client import)',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(ctx, { values }) {
      const format = formatOf(values);
      const { exportClients } = await exportsService();
      const r = exportClients(ctx, format);
      const written = await writeOut(str(values, 'out'), r.content);
      return { json: written ? { file: written } : r, text: written ? `wrote ${written}` : r.content.trimEnd() };
    },
  },
  {
    path: ['export', 'instances'],
    usage: 'export instances [--format csv|json] [--out FILE]',
    summary: 'instances as CSV or JSON (re-importable with instance import); never secrets',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(ctx, { values }) {
      const format = formatOf(values);
      const { exportInstances } = await exportsService();
      const r = exportInstances(ctx, format);
      const written = await writeOut(str(values, 'out'), r.content);
      return { json: written ? { file: written } : r, text: written ? `wrote ${written}` : r.content.trimEnd() };
    },
  },
  {
    path: ['export', 'history'],
    usage: 'export history [--format csv|json] [--instance NAME] [--out FILE]',
    summary: 'the event log as CSV or JSON',
    options: { format: { type: 'string' }, instance: { type: 'string' }, out: { type: 'string' } },
    async run(ctx, { values }) {
      const format = formatOf(values);
      const { exportHistory } = await exportsService();
      const r = exportHistory(ctx, format, str(values, 'instance'));
      const written = await writeOut(str(values, 'out'), r.content);
      return { json: written ? { file: written } : r, text: written ? `wrote ${written}` : r.content.trimEnd() };
    },
  },
];
