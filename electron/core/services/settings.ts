import type { z } from 'zod';
import type { Context } from '../context.ts';
import type { Settings } from '../store/schema.ts';
import type { SettingsPatchSchema } from '../api/app.contract.ts';
import { normalizeStages } from '../domain/reminders.ts';

export type SettingsPatch = z.output<typeof SettingsPatchSchema>;

/** Change the settings given; the others keep their values. Reminder stages are stored sorted and unique. */
export function updateSettings(ctx: Context, patch: SettingsPatch): Settings {
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  if (patch.reminderStages) given.reminderStages = normalizeStages(patch.reminderStages);
  return ctx.store.update((d) => ({ ...d, settings: { ...d.settings, ...given } })).settings;
}
