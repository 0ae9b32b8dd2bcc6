import { stringify } from 'csv-stringify/sync';
import type { Context } from '../context.ts';
import type { ExportResult } from '../api/contract.ts';
import { listLicenses } from './licenses.ts';
import { listHistory } from './history.ts';
import { buildCalendar, licenseEventUid } from '../domain/calendar.ts';
import { effectiveStages, firstStage } from '../domain/reminders.ts';

/** CSV cells that a spreadsheet would run as a formula are neutralised. */
function safeCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function stamp(ctx: Context): string {
  return ctx.now().toISOString().slice(0, 10);
}

/** Licenses as CSV or JSON. Keys are included (they are what the user exports for); secrets have no field to leak from. */
export function exportLicenses(ctx: Context, format: 'csv' | 'json', ids?: string[]): ExportResult {
  const wanted = ids ? new Set(ids) : null;
  const rows = listLicenses(ctx, { includeSuperseded: true }).filter((l) => !wanted || wanted.has(l.id));
  const fileName = `keyfleet-licenses-${stamp(ctx)}.${format}`;
  if (format === 'json') return { fileName, mimeType: 'application/json', content: `${JSON.stringify({ licenses: rows }, null, 2)}\n` };
  const columns = ['id', 'vendor', 'client', 'instance', 'product', 'key', 'validFrom', 'expiresAt', 'maintenanceExpiresAt', 'daysLeft', 'status', 'origin', 'agents', 'servers', 'seats'];
  const body = rows.map((l) => [l.id, l.vendor, l.client, l.instance, l.product, l.key, l.validFrom, l.expiresAt, l.maintenanceExpiresAt, l.daysLeft, l.status, l.origin, l.limits.agents, l.limits.servers, l.limits.seats].map(safeCell));
  return { fileName, mimeType: 'text/csv', content: stringify([columns, ...body]) };
}

export function exportHistory(ctx: Context, format: 'csv' | 'json', instance?: string): ExportResult {
  const { events } = listHistory(ctx, { instance });
  // Payloads stay out of exports: they are for replay, not for reading.
  const rows = events.map(({ data: _data, ...e }) => e);
  const fileName = `keyfleet-history-${stamp(ctx)}.${format}`;
  if (format === 'json') return { fileName, mimeType: 'application/json', content: `${JSON.stringify({ events: rows }, null, 2)}\n` };
  const columns = ['at', 'actor', 'action', 'target', 'outcome', 'summary', 'error'];
  return { fileName, mimeType: 'text/csv', content: stringify([columns, ...rows.map((e) => [e.at, e.actor, e.action, e.target, e.outcome, e.summary, e.error?.message].map(safeCell))]) };
}

/** Clients as CSV or JSON, in the columns `client import` reads back. */
export function exportClients(ctx: Context, format: 'csv' | 'json'): ExportResult {
  const clients = ctx.store.data.clients;
  const fileName = `keyfleet-clients-${stamp(ctx)}.${format}`;
  if (format === 'json') return { fileName, mimeType: 'application/json', content: `${JSON.stringify({ clients }, null, 2)}\n` };
  return { fileName, mimeType: 'text/csv', content: stringify([['name', 'email', 'notes', 'tags'], ...clients.map((c) => [c.name, c.email, c.notes, c.tags.join(';')].map(safeCell))]) };
}

/**
 * Instances as CSV or JSON, in the columns `instance import` reads back. Secrets have no column:
 * an export says only whether an instance has one and which shared credential it uses.
 */
export function exportInstances(ctx: Context, format: 'csv' | 'json'): ExportResult {
  const data = ctx.store.data;
  const clients = new Map(data.clients.map((c) => [c.id, c.name]));
  const credentials = new Map(data.credentials.map((c) => [c.id, c.name]));
  const rows = data.instances.map((i) => ({
    name: i.name,
    kind: i.kind,
    url: i.url,
    client: i.clientId ? (clients.get(i.clientId) ?? '') : '',
    user: i.user ?? '',
    tags: i.tags.join(';'),
    group: i.group ?? '',
    core_server: i.coreServer ?? '',
    secret: !i.secret ? 'none' : i.secret.type === 'own' ? 'own (keychain)' : `shared: ${credentials.get(i.secret.credentialId) ?? i.secret.credentialId}`,
  }));
  const fileName = `keyfleet-instances-${stamp(ctx)}.${format}`;
  if (format === 'json') return { fileName, mimeType: 'application/json', content: `${JSON.stringify({ instances: rows }, null, 2)}\n` };
  const columns = ['name', 'kind', 'url', 'client', 'user', 'tags', 'group', 'core_server', 'secret'] as const;
  return { fileName, mimeType: 'text/csv', content: stringify([[...columns], ...rows.map((r) => columns.map((c) => safeCell(r[c])))]) };
}

/** Every expiry as an iCalendar file, each event with an alarm at the license's first stage. */
export function exportCalendar(ctx: Context): ExportResult {
  const data = ctx.store.data;
  const clients = new Map(data.clients.map((c) => [c.id, c]));
  const events = listLicenses(ctx)
    .filter((l) => l.expiresAt && l.status !== 'revoked')
    .map((l) => {
      const stored = data.licenses.find((x) => x.id === l.id)!;
      const stages = effectiveStages({ global: data.settings.reminderStages, client: l.clientId ? (clients.get(l.clientId)?.reminderStages ?? null) : null, license: stored.reminderStages ?? null });
      return {
        uid: licenseEventUid(l.id),
        title: `${l.product} expires${l.client ? ` — ${l.client}` : ''}`,
        description: [l.instance ? `Instance: ${l.instance}` : null, `Vendor: ${l.vendor}`, `License ${l.id}`].filter(Boolean).join('\n'),
        date: l.expiresAt!,
        alarmDaysBefore: stored.muted ? null : firstStage(stages),
      };
    });
  return { fileName: 'keyfleet-expiries.ics', mimeType: 'text/calendar', content: buildCalendar(events, { name: 'Keyfleet expiries', now: ctx.now() }) };
}
