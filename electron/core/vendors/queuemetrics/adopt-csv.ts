import path from 'node:path';
import type { Context } from '../../context.ts';
import type { Instance } from '../../store/schema.ts';
import { KeyfleetError } from '../../errors.ts';
import { ADOPT_CSV } from '../../csv-columns.ts';
import { cellText, readCsv, type CsvDetected } from '../../services/csv.ts';
import { checkInstance } from '../../services/instance-check.ts';
import { hostOf, runScheduled } from '../../services/scheduler.ts';
import { findByRef } from '../../services/lookup.ts';
import { parseIsoDate } from '../../domain/reminders.ts';
import { maskKey } from './client.ts';
import { recordedKeyConflict, storeLicenses, type AdoptFacts } from './adopt.ts';

export interface AdoptCsvResult {
  adopted: number;
  errors: Array<{ line: number; message: string }>;
  detected: CsvDetected;
}

const looksLikeAdoptRow = (cells: string[]) => /^\d{4}-\d{2}-\d{2}$/.test(cells[2]?.trim() ?? '');

function wholeNumber(text: string | undefined, column: string): number {
  const t = (text ?? '').trim();
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 100_000) throw new KeyfleetError('BAD_INPUT', `${column} must be a whole number from 1 to 100000, got ${cellText(t)}`);
  return Number(t);
}

/**
 * `instance adopt --file F.csv`: the keys QueueMetrics instances already run, with their expiry
 * and limits, become licenses (origin adopted). Every row's key must be the one its instance ran
 * when read (instances never read are read now, through the scheduler). All or nothing: one bad
 * line adopts none, and every bad line is reported with its number.
 */
export async function adoptFromCsv(ctx: Context, input: string | Uint8Array, opts: { fileName?: string } = {}): Promise<AdoptCsvResult> {
  const { rows, errors, detected } = readCsv(input, ADOPT_CSV, looksLikeAdoptRow);
  const named = rows.map((r) => {
    try {
      return findByRef(ctx.store.data.instances, r.values.instance?.trim() ?? '', 'instance');
    } catch {
      return undefined;
    }
  });
  // Instances never read are read once now: their running key is what each row is checked against.
  const unread = [...new Map(named.filter((i): i is Instance => i?.kind === 'queuemetrics' && !i.snapshot).map((i) => [i.id, i])).values()];
  const readErrors = new Map<string, string>();
  const settings = ctx.store.data.settings;
  await runScheduled(
    unread.map((i) => ({ host: hostOf(i.url), run: (signal: AbortSignal) => checkInstance(ctx, i.id, { signal }) })),
    { concurrency: settings.refreshConcurrency, perHost: settings.perHostConcurrency },
    (index, outcome) => {
      const failure = outcome.ok ? outcome.value.error : (outcome.error as Error);
      if (failure) readErrors.set(unread[index]!.id, failure.message);
    },
  );

  const data = ctx.store.data;
  const takenKeys = new Map(data.licenses.filter((l) => l.vendor === 'queuemetrics').map((l) => [l.key, l.id]));
  const seenInstances = new Map<string, number>();
  const adoptions: Array<{ instance: Instance; key: string; facts: AdoptFacts }> = [];
  rows.forEach(({ line, values: row }, n) => {
    try {
      const ref = row.instance?.trim() ?? '';
      if (!ref) throw new KeyfleetError('BAD_INPUT', 'instance is empty');
      const found = named[n] ? data.instances.find((i) => i.id === named[n]!.id) : undefined;
      if (!found) throw new KeyfleetError('BAD_INPUT', `no instance named ${cellText(ref)}: add it first (instance import or instance add)`);
      if (found.kind !== 'queuemetrics') throw new KeyfleetError('BAD_INPUT', `instance ${found.name} is ${found.kind}: only QueueMetrics keys are adopted`);
      const earlier = seenInstances.get(found.id);
      if (earlier !== undefined) throw new KeyfleetError('BAD_INPUT', `instance ${found.name} is on line ${earlier} too`);
      seenInstances.set(found.id, line);
      const key = (row.key ?? '').trim();
      if (!key) throw new KeyfleetError('BAD_INPUT', 'key is empty');
      const expiresAt = (row.expiry ?? '').trim();
      parseIsoDate(expiresAt, 'expiry');
      const agents = wholeNumber(row.agents, 'agents');
      const servers = wholeNumber(row.servers, 'servers');
      const readError = readErrors.get(found.id);
      if (readError) throw new KeyfleetError('BAD_INPUT', `instance ${found.name} could not be read to compare keys: ${readError}`);
      const running = found.snapshot?.key ?? null;
      if (running === null) throw new KeyfleetError('BAD_INPUT', `instance ${found.name} runs no key (read ${found.snapshot?.at ?? 'never'})`);
      if (key !== running) throw new KeyfleetError('BAD_INPUT', `key ${maskKey(key)} is not the key instance ${found.name} runs (${maskKey(running)}, read ${found.snapshot!.at})`);
      const conflict = recordedKeyConflict(data, found, key);
      if (conflict) throw new KeyfleetError('BAD_INPUT', conflict);
      const owner = takenKeys.get(key);
      if (owner) throw new KeyfleetError('BAD_INPUT', `the key instance ${found.name} runs is already license ${owner}`);
      adoptions.push({ instance: found, key, facts: { expiresAt, agents, servers } });
    } catch (e) {
      errors.push({ line, message: (e as Error).message });
    }
  });
  errors.sort((a, b) => a.line - b.line);
  if (errors.length > 0 || adoptions.length === 0) return { adopted: 0, errors, detected };

  const adoptedFrom = opts.fileName ? path.basename(opts.fileName) : 'csv';
  const licenses = storeLicenses(
    ctx,
    adoptions.map((a) => ({ ...a, origin: 'adopted' as const, details: { adoptedFrom } })),
  );
  ctx.journal.append({ action: 'instance.adopt-csv', target: adoptedFrom, outcome: 'ok', summary: `${licenses.length} running key(s) adopted with their expiry` });
  return { adopted: licenses.length, errors, detected };
}
