import { describe, expect, it } from 'vitest';
import { evaluateReminders, setLicenseReminder } from '../../electron/core/services/reminders.ts';
import { listHistory } from '../../electron/core/services/history.ts';
import { openContext } from '../../electron/core/open.ts';
import { isoDay, seed, seedClient, seedInstance, seedLicense, seedPpk } from '../e2e/seed.ts';
import { serviceContext } from '../helpers/context.ts';

/** Noon UTC today, in UTC, so "expires in 7 days" is the same calendar day count wherever the test runs. */
const NOW = new Date(`${isoDay(0)}T12:00:00.000Z`);

function fleet() {
  const ctx = serviceContext({ now: () => NOW, timeZone: 'UTC' });
  seed(ctx, () => ({
    clients: [seedClient('cl_a', 'Acme', { reminderStages: [3] })],
    instances: [seedInstance('in_1', 'qm-1', 'queuemetrics')],
    licenses: [
      seedLicense('li_7', 'qlm', 7, { instanceId: 'in_1' }),
      seedLicense('li_client', 'qlm', 3, { clientId: 'cl_a' }),
      seedLicense('li_muted', 'qlm', 7, { muted: true }),
      seedLicense('li_revoked', 'qlm', 7, { status: 'revoked' }),
      seedLicense('li_far', 'qlm', 200),
    ],
    ppks: [seedPpk('pk_1', 'A1', 10, 30)],
  }));
  return ctx;
}

describe('evaluateReminders', () => {
  it('returns each due stage once, soonest expiry first (client stages over the global ones), skips muted and revoked licenses, and warns of low PPK stock', () => {
    const ctx = fleet();
    const due = evaluateReminders(ctx);
    expect(due.map((n) => [n.kind, n.target, n.stage])).toEqual([
      ['expiry', 'li_client', 3],
      ['expiry', 'li_7', 7],
      ['low-stock', expect.any(String), null],
    ]);
    expect(due[1]!.title).toContain('Dialer Pro license');
    expect(due[2]!.title).toMatch(/^Low PPK stock/);
    // Recorded as fired in the store file before being shown: a reopened fleet does not fire them again.
    expect(evaluateReminders(openContext({ dataDir: ctx.dataDir, vault: ctx.vault, now: () => NOW, timeZone: 'UTC' }))).toEqual([]);
    expect(listHistory(ctx, { action: 'reminder.fired' }).events).toHaveLength(3);
  });

  it('a dry run shows what is due and records nothing', () => {
    const ctx = fleet();
    expect(evaluateReminders(ctx, { dryRun: true })).toHaveLength(3);
    expect(evaluateReminders(ctx, { dryRun: true })).toHaveLength(3);
    expect(ctx.store.data.fired).toEqual([]);
    expect(listHistory(ctx).events).toEqual([]);
  });
});

describe('setLicenseReminder', () => {
  it('mutes, snoozes (0 ends a snooze) and sets stages; a snoozed license is not due', () => {
    const ctx = fleet();
    const snoozed = setLicenseReminder(ctx, 'li_7', { snoozeDays: 10 });
    expect(snoozed.snoozedUntil).toBeDefined();
    expect(evaluateReminders(ctx, { dryRun: true }).map((n) => n.target)).not.toContain('li_7');
    expect(setLicenseReminder(ctx, 'li_7', { snoozeDays: 0 }).snoozedUntil).toBeUndefined();
    expect(setLicenseReminder(ctx, 'li_7', { muted: true, reminderStages: [1] })).toMatchObject({ muted: true, reminderStages: [1], updatedAt: NOW.toISOString() });
    expect(setLicenseReminder(ctx, 'li_7', { reminderStages: null }).reminderStages).toBeUndefined();
  });
});
