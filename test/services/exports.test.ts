import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { exportCalendar, exportClients, exportHistory, exportInstances, exportLicenses } from '../../electron/core/services/exports.ts';
import { addInstance } from '../../electron/core/services/instances.ts';
import { addClient } from '../../electron/core/services/clients.ts';
import { seed, seedLicense } from '../e2e/seed.ts';
import { serviceContext } from '../helpers/context.ts';

const NOW = new Date('2026-03-15T10:00:00.000Z');
const SECRET = `exp-${Math.random().toString(36).slice(2)}-Pw`;

async function fleet() {
  const ctx = serviceContext({ now: () => NOW });
  addClient(ctx, { name: '=HYPERLINK("http://evil")', email: 'ops@acme.example', tags: ['eu', 'prod'] });
  addClient(ctx, { name: 'Globex' });
  const inst = await addInstance(ctx, { name: 'qm-1', kind: 'queuemetrics', url: 'https://qm.example.net/queuemetrics', client: 'Globex', user: 'robot', secret: SECRET, tags: ['prod'] });
  seed(ctx, () => ({ licenses: [seedLicense('li_1', 'queuemetrics', 20, { instanceId: inst.id, product: '+cmd', clientId: ctx.store.data.clients[1]!.id }), seedLicense('li_2', 'qlm', null, { muted: true })] }));
  return ctx;
}

describe('exports', () => {
  it('licenses as CSV: dated file name, one row each, a cell a spreadsheet would run is neutralised', async () => {
    const r = exportLicenses(await fleet(), 'csv');
    expect(r).toMatchObject({ fileName: 'keyfleet-licenses-2026-03-15.csv', mimeType: 'text/csv' });
    const rows = parse(r.content, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((x) => x.id)).toEqual(['li_1', 'li_2']);
    expect(rows[0]).toMatchObject({ product: "'+cmd", instance: 'qm-1', client: 'Globex' });
  });

  it('licenses as JSON, limited to the ids asked for', async () => {
    const r = exportLicenses(await fleet(), 'json', ['li_2']);
    expect(JSON.parse(r.content).licenses.map((l: { id: string }) => l.id)).toEqual(['li_2']);
  });

  it('clients and instances in the columns the importers read back; no secret reaches an export', async () => {
    const ctx = await fleet();
    const clients = parse(exportClients(ctx, 'csv').content, { columns: true }) as Array<Record<string, string>>;
    expect(clients[0]).toEqual({ name: `'=HYPERLINK("http://evil")`, email: 'ops@acme.example', notes: '', tags: 'eu;prod' });
    const csv = exportInstances(ctx, 'csv').content;
    expect(parse(csv, { columns: true })).toEqual([
      { name: 'qm-1', kind: 'queuemetrics', url: 'https://qm.example.net/queuemetrics', client: 'Globex', user: 'robot', tags: 'prod', group: '', core_server: '', secret: 'own (keychain)' },
    ]);
    for (const out of [csv, exportInstances(ctx, 'json').content, exportLicenses(ctx, 'json').content, exportHistory(ctx, 'json').content]) expect(out).not.toContain(SECRET);
  });

  it('history without event payloads, newest first', async () => {
    const ctx = await fleet();
    ctx.journal.append({ action: 'ppk.install', target: 'qm-1', outcome: 'failed', error: { code: 'NETWORK', message: 'refused' }, data: { payload: 'x' } });
    const rows = parse(exportHistory(ctx, 'csv').content, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((e) => e.action).slice(0, 2)).toEqual(['ppk.install', 'instance.add']);
    expect(Object.keys(rows[0]!)).toEqual(['at', 'actor', 'action', 'target', 'outcome', 'summary', 'error']);
    expect(rows[0]).toMatchObject({ action: 'ppk.install', outcome: 'failed', error: 'refused' });
    expect(exportHistory(ctx, 'json').content).not.toContain('payload');
  });

  it('the calendar has an event per dated expiry, with an alarm at the first stage unless muted', async () => {
    const ics = exportCalendar(await fleet()).content;
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('SUMMARY:+cmd expires — Globex');
    expect(ics).toContain('BEGIN:VALARM');
  });
});
