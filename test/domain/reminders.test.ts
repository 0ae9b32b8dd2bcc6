import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STAGES,
  addDaysToIsoDate,
  dueReminders,
  effectiveStages,
  pruneFired,
  recordFired,
  snoozeUntil,
  todayIn,
} from '../../electron/core/domain/reminders.ts';
import type { FiredReminder, ReminderLicense } from '../../electron/core/domain/reminders.ts';
import { expectKeyfleetError } from '../helpers/errors.ts';

/** Which expiry reminders are due, each (license, stage) once across runs, snoozes and time zones, and what is recorded as fired. */

const STAGES = [...DEFAULT_STAGES];

/** Runs the reminder loop the way the app does: evaluate, then record what fired. */
class ReminderClock {
  fired: FiredReminder[] = [];
  readonly timeZone: string;
  constructor(timeZone: string) {
    this.timeZone = timeZone;
  }
  evaluate(now: Date, licenses: ReminderLicense[]) {
    const due = dueReminders({ now, timeZone: this.timeZone, licenses, fired: this.fired });
    this.fired = recordFired(this.fired, due, now);
    return due;
  }
}

describe('dueReminders', () => {
  const zone = 'Europe/Rome';
  const lic = (over: Partial<ReminderLicense> = {}): ReminderLicense => ({ id: 'L1', expiresAt: '2026-11-10', stages: STAGES, ...over });

  it('fires each stage exactly once over a run of days crossing the October DST change', () => {
    const clock = new ReminderClock(zone);
    const firedOn: Array<{ day: string; stage: number; daysLeft: number }> = [];
    // 08:00 and 23:59 local each day from 5 Oct to 20 Nov 2026 (DST ends 25 Oct).
    for (let day = '2026-10-05'; day <= '2026-11-20'; day = addDaysToIsoDate(day, 1)) {
      const offset = day < '2026-10-25' ? '+02:00' : '+01:00'; // CEST until the 25th
      for (const time of ['08:00:00', '23:59:00']) {
        const now = new Date(`${day}T${time}${offset}`);
        for (const d of clock.evaluate(now, [lic()])) firedOn.push({ day: todayIn(now, zone), stage: d.stage, daysLeft: d.daysLeft });
      }
    }
    expect(firedOn).toEqual([
      { day: '2026-10-11', stage: 30, daysLeft: 30 },
      { day: '2026-10-27', stage: 14, daysLeft: 14 },
      { day: '2026-11-03', stage: 7, daysLeft: 7 },
      { day: '2026-11-09', stage: 1, daysLeft: 1 },
      { day: '2026-11-10', stage: 0, daysLeft: 0 },
    ]);
    expect(clock.fired.map((f) => f.stage)).toEqual([30, 14, 7, 1, 0]);
    expect(clock.fired.every((f) => f.expiresAt === '2026-11-10' && f.licenseId === 'L1')).toBe(true);
  });

  it('a license first seen past several stages fires only the nearest one', () => {
    const clock = new ReminderClock(zone);
    const first = clock.evaluate(new Date('2026-11-05T09:00:00+01:00'), [lic()]);
    expect(first).toEqual([{ licenseId: 'L1', stage: 7, daysLeft: 5, expiresAt: '2026-11-10' }]);
    // Same day again, and the days until stage 1: nothing.
    expect(clock.evaluate(new Date('2026-11-05T18:00:00+01:00'), [lic()])).toEqual([]);
    expect(clock.evaluate(new Date('2026-11-08T09:00:00+01:00'), [lic()])).toEqual([]);
    expect(clock.evaluate(new Date('2026-11-09T09:00:00+01:00'), [lic()])).toEqual([{ licenseId: 'L1', stage: 1, daysLeft: 1, expiresAt: '2026-11-10' }]);
  });

  it('repeated evaluation at the same moment fires nothing the second time', () => {
    const clock = new ReminderClock(zone);
    const now = new Date('2026-10-11T09:00:00+02:00');
    expect(clock.evaluate(now, [lic()])).toHaveLength(1);
    expect(clock.evaluate(now, [lic()])).toEqual([]);
    expect(clock.fired).toHaveLength(1);
  });

  it('never goes back to a larger stage after a smaller one fired for the same expiry', () => {
    const fired: FiredReminder[] = [{ licenseId: 'L1', stage: 7, expiresAt: '2026-11-10', firedAt: '2026-11-03T08:00:00.000Z' }];
    // 10 days left would be stage 14, but 7 already fired (e.g. the policy changed since).
    const now = new Date('2026-10-31T09:00:00+01:00');
    expect(dueReminders({ now, timeZone: zone, licenses: [lic()], fired })).toEqual([]);
  });

  it('a renewed license (new expiry) starts its stages afresh', () => {
    const clock = new ReminderClock(zone);
    clock.evaluate(new Date('2026-11-10T09:00:00+01:00'), [lic()]);
    expect(clock.fired.map((f) => f.stage)).toEqual([0]);

    // Renewed for a year: nothing now, stage 30 a year later.
    const renewed = lic({ expiresAt: '2027-11-10' });
    expect(clock.evaluate(new Date('2026-11-12T09:00:00+01:00'), [renewed])).toEqual([]);
    expect(clock.evaluate(new Date('2027-10-11T09:00:00+02:00'), [renewed])).toEqual([{ licenseId: 'L1', stage: 30, daysLeft: 30, expiresAt: '2027-11-10' }]);

    // Renewed for only 8 days: its stage 14 fires although stage 0 fired for the old expiry.
    const fresh = new ReminderClock(zone);
    fresh.fired = clock.fired.filter((f) => f.expiresAt === '2026-11-10');
    expect(fresh.evaluate(new Date('2026-11-12T09:00:00+01:00'), [lic({ expiresAt: '2026-11-20' })])).toEqual([
      { licenseId: 'L1', stage: 14, daysLeft: 8, expiresAt: '2026-11-20' },
    ]);
  });

  it('snooze holds reminders until the snooze date in the user zone, then fires the nearest stage', () => {
    const snoozed = lic({ snoozedUntil: '2026-11-05' });
    expect(dueReminders({ now: new Date('2026-11-03T09:00:00+01:00'), timeZone: zone, licenses: [snoozed], fired: [] })).toEqual([]);
    expect(dueReminders({ now: new Date('2026-11-05T09:00:00+01:00'), timeZone: zone, licenses: [snoozed], fired: [] })).toEqual([
      { licenseId: 'L1', stage: 7, daysLeft: 5, expiresAt: '2026-11-10' },
    ]);
    // 23:30 UTC on the 4th is already the 5th in Rome, but not in UTC.
    const edge = new Date('2026-11-04T23:30:00Z');
    expect(dueReminders({ now: edge, timeZone: 'Europe/Rome', licenses: [snoozed], fired: [] })).toHaveLength(1);
    expect(dueReminders({ now: edge, timeZone: 'UTC', licenses: [snoozed], fired: [] })).toEqual([]);
  });

  it('snoozeUntil counts calendar days from today in the zone', () => {
    expect(snoozeUntil(new Date('2026-11-04T23:30:00Z'), 'Europe/Rome', 3)).toBe('2026-11-08');
    expect(snoozeUntil(new Date('2026-11-04T23:30:00Z'), 'UTC', 3)).toBe('2026-11-07');
    expect(snoozeUntil(new Date('2026-03-28T12:00:00Z'), 'Europe/Rome', 1)).toBe('2026-03-29');
    expectKeyfleetError(() => snoozeUntil(new Date(), 'UTC', 0), 'BAD_INPUT', /snooze must be a whole number of days from 1 to 3650, got 0/);
  });

  it('muted, perpetual and empty-policy licenses never fire', () => {
    const now = new Date('2026-11-10T09:00:00+01:00');
    const licenses = [lic({ id: 'muted', muted: true }), lic({ id: 'perpetual', expiresAt: null }), lic({ id: 'off', stages: [] })];
    expect(dueReminders({ now, timeZone: zone, licenses, fired: [] })).toEqual([]);
  });

  it('expires today fires stage 0; an expired license fires the 0 stage once, nothing more', () => {
    const today = dueReminders({ now: new Date('2026-11-10T23:59:00+01:00'), timeZone: zone, licenses: [lic()], fired: [] });
    expect(today).toEqual([{ licenseId: 'L1', stage: 0, daysLeft: 0, expiresAt: '2026-11-10' }]);

    const clock = new ReminderClock(zone);
    clock.fired = [{ licenseId: 'L1', stage: 1, expiresAt: '2026-11-10', firedAt: '2026-11-09T08:00:00.000Z' }];
    expect(clock.evaluate(new Date('2026-11-13T09:00:00+01:00'), [lic()])).toEqual([{ licenseId: 'L1', stage: 0, daysLeft: -3, expiresAt: '2026-11-10' }]);
    expect(clock.evaluate(new Date('2026-11-14T09:00:00+01:00'), [lic()])).toEqual([]);
    expect(clock.evaluate(new Date('2027-05-01T09:00:00+02:00'), [lic()])).toEqual([]);
  });

  it('a policy without 0 still gives one "expired" notice after the lapse', () => {
    const clock = new ReminderClock(zone);
    const l = lic({ stages: [30, 14] });
    expect(clock.evaluate(new Date('2026-11-10T09:00:00+01:00'), [l]).map((d) => d.stage)).toEqual([14]);
    expect(clock.evaluate(new Date('2026-11-11T09:00:00+01:00'), [l])).toEqual([{ licenseId: 'L1', stage: 0, daysLeft: -1, expiresAt: '2026-11-10' }]);
    expect(clock.evaluate(new Date('2026-11-12T09:00:00+01:00'), [l])).toEqual([]);
  });

  it('the same instant is expiry day in Auckland but the day before in UTC', () => {
    const now = new Date('2026-06-30T13:00:00Z');
    const l = lic({ expiresAt: '2026-07-01' });
    expect(dueReminders({ now, timeZone: 'Pacific/Auckland', licenses: [l], fired: [] })).toEqual([{ licenseId: 'L1', stage: 0, daysLeft: 0, expiresAt: '2026-07-01' }]);
    expect(dueReminders({ now, timeZone: 'UTC', licenses: [l], fired: [] })).toEqual([{ licenseId: 'L1', stage: 1, daysLeft: 1, expiresAt: '2026-07-01' }]);
  });

  it('applies per-client and per-license overrides through effectiveStages', () => {
    const global = [30, 7];
    const now = new Date('2026-10-01T09:00:00+02:00'); // 40 days before 2026-11-10
    const licenses: ReminderLicense[] = [
      { id: 'global', expiresAt: '2026-11-10', stages: effectiveStages({ global }) },
      { id: 'client', expiresAt: '2026-11-10', stages: effectiveStages({ global, client: [60, 7] }) },
      { id: 'license', expiresAt: '2026-11-10', stages: effectiveStages({ global, client: [60, 7], license: [45] }) },
    ];
    expect(dueReminders({ now, timeZone: zone, licenses, fired: [] })).toEqual([
      { licenseId: 'client', stage: 60, daysLeft: 40, expiresAt: '2026-11-10' },
      { licenseId: 'license', stage: 45, daysLeft: 40, expiresAt: '2026-11-10' },
    ]);
  });

  it('returns reminders soonest expiry first', () => {
    const now = new Date('2026-11-01T09:00:00+01:00');
    const licenses = [
      lic({ id: 'b', expiresAt: '2026-11-20' }),
      lic({ id: 'z', expiresAt: '2026-10-01' }),
      lic({ id: 'a', expiresAt: '2026-11-20' }),
      lic({ id: 'c', expiresAt: '2026-11-02' }),
    ];
    expect(dueReminders({ now, timeZone: zone, licenses, fired: [] }).map((d) => `${d.licenseId}:${d.stage}`)).toEqual(['z:0', 'c:1', 'a:30', 'b:30']);
  });

  it('names the license whose data is malformed', () => {
    const now = new Date('2026-11-01T09:00:00+01:00');
    expectKeyfleetError(
      () => dueReminders({ now, timeZone: zone, licenses: [lic({ id: 'bad', expiresAt: '2026-13-01' })], fired: [] }),
      'BAD_INPUT',
      /license bad: expiry date "2026-13-01" is not a calendar date/,
    );
    expectKeyfleetError(
      () => dueReminders({ now, timeZone: zone, licenses: [lic({ id: 'bad2', stages: [7, -3] })], fired: [] }),
      'BAD_INPUT',
      /license bad2: reminder stage -3/,
    );
    expectKeyfleetError(() => dueReminders({ now, timeZone: 'Nowhere/Town', licenses: [], fired: [] }), 'BAD_INPUT', /unknown time zone "Nowhere\/Town"/);
  });
});

describe('recordFired and pruneFired', () => {
  it('recordFired appends once per (license, stage, expiry) with the clock time', () => {
    const now = new Date('2026-11-03T08:00:00Z');
    const due = [{ licenseId: 'L1', stage: 7, daysLeft: 7, expiresAt: '2026-11-10' }];
    const once = recordFired([], due, now);
    expect(once).toEqual([{ licenseId: 'L1', stage: 7, expiresAt: '2026-11-10', firedAt: '2026-11-03T08:00:00.000Z' }]);
    const twice = recordFired(once, due, new Date('2026-11-04T08:00:00Z'));
    expect(twice).toEqual(once);
    expect(twice).not.toBe(once);
  });

  it('pruneFired drops deleted licenses and old expiries', () => {
    const fired: FiredReminder[] = [
      { licenseId: 'kept', stage: 7, expiresAt: '2026-11-10', firedAt: '2026-11-03T08:00:00.000Z' },
      { licenseId: 'renewed', stage: 0, expiresAt: '2026-11-10', firedAt: '2026-11-10T08:00:00.000Z' },
      { licenseId: 'deleted', stage: 30, expiresAt: '2026-12-01', firedAt: '2026-11-01T08:00:00.000Z' },
      { licenseId: 'perpetual', stage: 1, expiresAt: '2026-12-01', firedAt: '2026-11-30T08:00:00.000Z' },
    ];
    const licenses = [
      { id: 'kept', expiresAt: '2026-11-10' },
      { id: 'renewed', expiresAt: '2027-11-10' },
      { id: 'perpetual', expiresAt: null },
    ];
    expect(pruneFired(fired, licenses).map((f) => f.licenseId)).toEqual(['kept']);
  });
});
