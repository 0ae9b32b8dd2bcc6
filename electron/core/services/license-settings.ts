import type { z } from 'zod';
import type { Context } from '../context.ts';
import type { LicenseSettingsSchema, LicenseView } from '../api/licenses.contract.ts';
import { KeyfleetError } from '../errors.ts';
import { normalizeStages } from '../domain/reminders.ts';
import { licenseView } from '../api/views.ts';
import { setLicenseReminder } from './reminders.ts';
import { findByRef } from './lookup.ts';

export type LicenseSettings = z.output<typeof LicenseSettingsSchema>;

/**
 * Change a license's own settings: reminders muted or snoozed, its reminder stages, its client
 * (null: none). Every reference is resolved before anything is written, so a client that does
 * not exist changes nothing.
 */
export function updateLicenseSettings(ctx: Context, { id, muted, snoozeDays, reminderStages, client }: LicenseSettings): LicenseView {
  if (!ctx.store.data.licenses.some((l) => l.id === id)) throw new KeyfleetError('NOT_FOUND', `no license ${id}`);
  const clientId = client === undefined || client === null ? undefined : findByRef(ctx.store.data.clients, client, 'client').id;
  setLicenseReminder(ctx, id, { muted, snoozeDays, reminderStages: reminderStages === undefined ? undefined : reminderStages === null ? null : normalizeStages(reminderStages) });
  if (client !== undefined) ctx.store.update((d) => ({ ...d, licenses: d.licenses.map((l) => (l.id === id ? { ...l, clientId } : l)) }));
  return licenseView(ctx, id);
}
