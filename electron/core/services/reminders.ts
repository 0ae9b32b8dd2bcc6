import type { Context } from '../context.ts';
import type { License } from '../store/schema.ts';
import { dueReminders, effectiveStages, lowStockReminders, lowStockText, pruneFired, recordFired, reminderText, snoozeUntil, updateLowStockFired, type NotificationText } from '../domain/reminders.ts';
import { ppkStock } from '../vendors/queuemetrics/ppk-stock.ts';

export interface DueNotice extends NotificationText {
  kind: 'expiry' | 'low-stock';
  /** The license (expiry) or the stock group key (low stock). */
  target: string;
  stage: number | null;
  daysLeft: number | null;
  expiresAt: string | null;
}

function stagesFor(ctx: Context, l: License): number[] {
  const client = l.clientId ? ctx.store.data.clients.find((c) => c.id === l.clientId) : undefined;
  return effectiveStages({ global: ctx.store.data.settings.reminderStages, client: client?.reminderStages ?? null, license: l.reminderStages ?? null });
}

/**
 * The reminders due now: each (license, stage) once, the nearest stage only when several
 * passed, low PPK stock once per level. Unless dryRun, what is returned is recorded as fired
 * (in one store commit) before the caller shows it, so a crash cannot make it fire twice.
 */
export function evaluateReminders(ctx: Context, opts: { dryRun?: boolean } = {}): DueNotice[] {
  const data = ctx.store.data;
  const now = ctx.now();
  const active = data.licenses.filter((l) => l.status === 'active');
  const due = dueReminders({
    now,
    timeZone: ctx.timeZone,
    licenses: active.map((l) => ({ id: l.id, expiresAt: l.expiresAt, stages: stagesFor(ctx, l), muted: l.muted ?? false, snoozedUntil: l.snoozedUntil ?? null })),
    fired: data.fired,
  });
  const groups = ppkStock(ctx).filter((g) => g.inStock + g.converted + g.installed > 0);
  const stockGroups = groups.map((g) => ({ key: g.key, label: g.label, inStock: g.inStock, threshold: g.threshold }));
  const lowStock = lowStockReminders(stockGroups, data.lowStockFired);
  const byId = new Map(data.licenses.map((l) => [l.id, l]));
  const clientName = new Map(data.clients.map((c) => [c.id, c.name]));
  const instanceName = new Map(data.instances.map((i) => [i.id, i.name]));
  const notices: DueNotice[] = due.map((d) => {
    const l = byId.get(d.licenseId)!;
    const text = reminderText(d, { product: l.product, clientName: l.clientId ? clientName.get(l.clientId) : null, instanceName: l.instanceId ? instanceName.get(l.instanceId) : null });
    return { kind: 'expiry', target: d.licenseId, stage: d.stage, daysLeft: d.daysLeft, expiresAt: d.expiresAt, ...text };
  });
  for (const s of lowStock) notices.push({ kind: 'low-stock', target: s.key, stage: null, daysLeft: null, expiresAt: null, ...lowStockText(s) });
  if (!opts.dryRun) {
    const fired = pruneFired(recordFired(data.fired, due, now), data.licenses);
    const lowStockFired = updateLowStockFired(data.lowStockFired, stockGroups, lowStock, now);
    if (due.length > 0 || lowStock.length > 0 || lowStockFired.length !== data.lowStockFired.length || fired.length !== data.fired.length) {
      ctx.store.update((d) => ({ ...d, fired, lowStockFired }));
    }
    if (notices.length > 0) {
      ctx.journal.append(...notices.map((n) => ({ action: 'reminder.fired', target: n.title, ...(n.kind === 'expiry' ? { licenseId: n.target } : {}), outcome: 'info' as const })));
    }
  }
  return notices;
}

export function setLicenseReminder(ctx: Context, id: string, patch: { muted?: boolean | undefined; snoozeDays?: number | undefined; reminderStages?: number[] | null | undefined }): License {
  let out!: License;
  ctx.store.update((d) => ({
    ...d,
    licenses: d.licenses.map((l) => {
      if (l.id !== id) return l;
      out = { ...l, updatedAt: ctx.now().toISOString() };
      if (patch.muted !== undefined) out.muted = patch.muted;
      // 0 ends a snooze early.
      if (patch.snoozeDays !== undefined) out.snoozedUntil = patch.snoozeDays === 0 ? undefined : snoozeUntil(ctx.now(), ctx.timeZone, patch.snoozeDays);
      if (patch.reminderStages !== undefined) out.reminderStages = patch.reminderStages ?? undefined;
      return out;
    }),
  }));
  return out;
}
