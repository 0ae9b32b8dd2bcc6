import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyfleetError } from '../../electron/core/errors.ts';
import {
  DEFAULT_STAGES,
  addDaysToIsoDate,
  daysUntil,
  dueReminders,
  dueStage,
  effectiveStages,
  firstStage,
  lowStockReminders,
  lowStockText,
  normalizeStages,
  pruneFired,
  recordFired,
  reminderText,
  snoozeUntil,
  todayIn,
  updateLowStockFired,
} from '../../electron/core/domain/reminders.ts';
import type { FiredReminder, LowStockFired, ReminderLicense, StockGroup } from '../../electron/core/domain/reminders.ts';

const STAGES = [...DEFAULT_STAGES];

function expectKeyfleetError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    expect((e as KeyfleetError).code).toBe(code);
    expect((e as KeyfleetError).message).toMatch(message);
    return;
  }
  throw new Error('expected a KeyfleetError');
}

/** Independent oracle: today's date in a zone via Intl, day count via UTC day numbers. */
function oracleDaysUntil(expiresAt: string, now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const today = Date.UTC(get('year'), get('month') - 1, get('day'));
  const [y, m, d] = expiresAt.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - today) / 86_400_000);
}

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

describe('normalizeStages', () => {
  it('dedupes and sorts largest first', () => {
    expect(normalizeStages([1, 30, 0, 7, 14, 7])).toEqual([30, 14, 7, 1, 0]);
    expect(normalizeStages([])).toEqual([]);
    expect(normalizeStages([3650, 0])).toEqual([3650, 0]);
  });

  it('rejects negative, fractional, too large and non-numeric stages, naming the value', () => {
    expectKeyfleetError(() => normalizeStages([30, -1]), 'BAD_INPUT', /reminder stage -1 is not a whole number of days from 0 to 3650/);
    expectKeyfleetError(() => normalizeStages([1.5]), 'BAD_INPUT', /reminder stage 1\.5 /);
    expectKeyfleetError(() => normalizeStages([3651]), 'BAD_INPUT', /reminder stage 3651 /);
    expectKeyfleetError(() => normalizeStages([Number.NaN]), 'BAD_INPUT', /reminder stage NaN /);
    expectKeyfleetError(() => normalizeStages(['7'] as unknown as number[]), 'BAD_INPUT', /reminder stage "7" /);
    expectKeyfleetError(() => normalizeStages(Array.from({ length: 21 }, (_, i) => i)), 'BAD_INPUT', /at most 20 reminder stages/);
  });
});

describe('effectiveStages', () => {
  it('takes the most specific policy: license, then client, then global', () => {
    expect(effectiveStages({ global: [30, 7] })).toEqual([30, 7]);
    expect(effectiveStages({ global: [30, 7], client: [60, 10] })).toEqual([60, 10]);
    expect(effectiveStages({ global: [30, 7], client: [60, 10], license: [3, 90] })).toEqual([90, 3]);
    expect(effectiveStages({ global: [30, 7], client: null, license: undefined })).toEqual([30, 7]);
    // An empty override is a real choice: no reminders for this license.
    expect(effectiveStages({ global: [30, 7], client: [60], license: [] })).toEqual([]);
  });

  it('validates the winning policy', () => {
    expectKeyfleetError(() => effectiveStages({ global: [30], license: [-5] }), 'BAD_INPUT', /reminder stage -5/);
  });

  it('firstStage is the earliest warning, or null without stages', () => {
    expect(firstStage([7, 30, 0])).toBe(30);
    expect(firstStage([])).toBeNull();
  });
});

describe('daysUntil: calendar days in the user zone', () => {
  it('counts 0 for the expiry day itself and negatives after it', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(daysUntil('2026-12-01', now, 'UTC')).toBe(0);
    expect(daysUntil('2026-12-08', now, 'UTC')).toBe(7);
    expect(daysUntil('2026-11-28', now, 'UTC')).toBe(-3);
  });

  it('Europe/Rome, spring forward (2026-03-29): 00:30 and 23:30 local are the same day', () => {
    const before = new Date('2026-03-28T23:30:00Z'); // 00:30 CET on the 29th
    const after = new Date('2026-03-29T21:30:00Z'); // 23:30 CEST on the 29th
    expect(todayIn(before, 'Europe/Rome')).toBe('2026-03-29');
    expect(todayIn(after, 'Europe/Rome')).toBe('2026-03-29');
    expect(daysUntil('2026-03-30', before, 'Europe/Rome')).toBe(1);
    expect(daysUntil('2026-03-30', after, 'Europe/Rome')).toBe(1);
    // The same instant in UTC is still the 28th: a UTC-based count would be off by one.
    expect(daysUntil('2026-03-30', before, 'UTC')).toBe(2);
    // Across the short day: a month of calendar days, not of 24-hour blocks.
    expect(daysUntil('2026-04-01', new Date('2026-03-01T23:30:00Z'), 'Europe/Rome')).toBe(30);
  });

  it('Europe/Rome, fall back (2026-10-25): the 25-hour day is one day', () => {
    const early = new Date('2026-10-24T22:30:00Z'); // 00:30 CEST on the 25th
    const late = new Date('2026-10-25T22:30:00Z'); // 23:30 CET on the 25th
    expect(todayIn(early, 'Europe/Rome')).toBe('2026-10-25');
    expect(todayIn(late, 'Europe/Rome')).toBe('2026-10-25');
    expect(daysUntil('2026-10-26', early, 'Europe/Rome')).toBe(1);
    expect(daysUntil('2026-10-26', late, 'Europe/Rome')).toBe(1);
    expect(daysUntil('2026-10-25', late, 'Europe/Rome')).toBe(0);
    expect(daysUntil('2026-11-25', late, 'Europe/Rome')).toBe(31);
  });

  it('America/New_York, both DST changes (2026-03-08, 2026-11-01)', () => {
    const springLate = new Date('2026-03-09T03:30:00Z'); // 23:30 EDT on the 8th
    expect(todayIn(springLate, 'America/New_York')).toBe('2026-03-08');
    expect(daysUntil('2026-03-09', springLate, 'America/New_York')).toBe(1);
    expect(daysUntil('2026-03-09', springLate, 'UTC')).toBe(0);
    const springEarly = new Date('2026-03-08T05:30:00Z'); // 00:30 EST on the 8th
    expect(daysUntil('2026-03-09', springEarly, 'America/New_York')).toBe(1);

    const fallLate = new Date('2026-11-02T04:30:00Z'); // 23:30 EST on the 1st
    expect(todayIn(fallLate, 'America/New_York')).toBe('2026-11-01');
    expect(daysUntil('2026-11-02', fallLate, 'America/New_York')).toBe(1);
    const fallEarly = new Date('2026-11-01T04:30:00Z'); // 00:30 EDT on the 1st
    expect(daysUntil('2026-11-02', fallEarly, 'America/New_York')).toBe(1);
  });

  it('month ends and leap years', () => {
    const jan31 = new Date('2026-01-31T12:00:00Z');
    expect(daysUntil('2026-02-28', jan31, 'UTC')).toBe(28);
    expect(daysUntil('2026-03-01', jan31, 'UTC')).toBe(29);
    expect(daysUntil('2028-03-01', new Date('2028-01-31T12:00:00Z'), 'UTC')).toBe(30);
    expect(daysUntil('2027-01-01', new Date('2026-12-31T23:59:59Z'), 'UTC')).toBe(1);
    expect(addDaysToIsoDate('2026-01-31', 28)).toBe('2026-02-28');
    expect(addDaysToIsoDate('2026-01-31', 29)).toBe('2026-03-01');
    expect(addDaysToIsoDate('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('a user in Pacific/Auckland has a different today than UTC', () => {
    const now = new Date('2026-06-30T13:00:00Z'); // 01:00 on 1 July in Auckland (NZST, +12)
    expect(todayIn(now, 'Pacific/Auckland')).toBe('2026-07-01');
    expect(todayIn(now, 'UTC')).toBe('2026-06-30');
    expect(daysUntil('2026-07-01', now, 'Pacific/Auckland')).toBe(0);
    expect(daysUntil('2026-07-01', now, 'UTC')).toBe(1);
  });

  it('rejects impossible dates, unknown zones and invalid clocks', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expectKeyfleetError(() => daysUntil('2026-02-29', now, 'UTC'), 'BAD_INPUT', /expiry date "2026-02-29" is not a calendar date/);
    expectKeyfleetError(() => daysUntil('2026-1-5', now, 'UTC'), 'BAD_INPUT', /expiry date must be a date YYYY-MM-DD, got "2026-1-5"/);
    expectKeyfleetError(() => daysUntil('2026-01-05', now, 'Mars/Olympus'), 'BAD_INPUT', /unknown time zone "Mars\/Olympus"/);
    expectKeyfleetError(() => daysUntil('2026-01-05', new Date('nope'), 'UTC'), 'BAD_INPUT', /current time must be a valid Date/);
  });

  it('agrees with an Intl-based oracle for any instant, zone and expiry', () => {
    const zones = ['UTC', 'Europe/Rome', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'America/St_Johns', 'Pacific/Pago_Pago'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: -400, max: 400 }),
        fc.constantFrom(...zones),
        (ms, offsetDays, zone) => {
          const now = new Date(ms);
          const expiresAt = addDaysToIsoDate(todayIn(now, 'UTC'), offsetDays);
          expect(daysUntil(expiresAt, now, zone)).toBe(oracleDaysUntil(expiresAt, now, zone));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('dueStage', () => {
  it('is the smallest stage not yet passed, and 0 once expired', () => {
    expect(dueStage(STAGES, 45)).toBeNull();
    expect(dueStage(STAGES, 30)).toBe(30);
    expect(dueStage(STAGES, 29)).toBe(30);
    expect(dueStage(STAGES, 5)).toBe(7);
    expect(dueStage(STAGES, 1)).toBe(1);
    expect(dueStage(STAGES, 0)).toBe(0);
    expect(dueStage(STAGES, -9)).toBe(0);
    expect(dueStage([30, 14], 0)).toBe(14);
    expect(dueStage([30, 14], -1)).toBe(0);
    expect(dueStage([], -1)).toBeNull();
  });
});

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

describe('low PPK stock', () => {
  const group = (inStock: number, threshold = 2): StockGroup => ({ key: 'qm-10', label: 'QueueMetrics 10 agents', inStock, threshold });

  it('fires at the threshold, again on each further drop, and again only after a restock above it', () => {
    let fired: LowStockFired[] = [];
    const step = (g: StockGroup, at: string) => {
      const due = lowStockReminders([g], fired);
      fired = updateLowStockFired(fired, [g], due, new Date(at));
      return due.map((d) => d.inStock);
    };
    expect(step(group(3), '2026-01-01T00:00:00Z')).toEqual([]);
    expect(step(group(2), '2026-01-02T00:00:00Z')).toEqual([2]);
    expect(step(group(2), '2026-01-03T00:00:00Z')).toEqual([]);
    expect(step(group(1), '2026-01-04T00:00:00Z')).toEqual([1]);
    expect(fired).toEqual([{ key: 'qm-10', level: 1, firedAt: '2026-01-04T00:00:00.000Z' }]);
    expect(step(group(2), '2026-01-05T00:00:00Z')).toEqual([]); // partial restock, still low: stay quiet
    expect(step(group(1), '2026-01-06T00:00:00Z')).toEqual([]);
    expect(step(group(0), '2026-01-07T00:00:00Z')).toEqual([0]);
    expect(step(group(5), '2026-01-08T00:00:00Z')).toEqual([]); // restocked: re-armed
    expect(fired).toEqual([]);
    expect(step(group(2), '2026-01-09T00:00:00Z')).toEqual([2]);
  });

  it('keeps records of groups missing from the list and handles a zero threshold', () => {
    const fired: LowStockFired[] = [{ key: 'gone', level: 0, firedAt: '2026-01-01T00:00:00.000Z' }];
    expect(updateLowStockFired(fired, [group(9)], [], new Date('2026-01-02T00:00:00Z'))).toEqual(fired);
    expect(lowStockReminders([group(0, 0)], []).map((d) => d.key)).toEqual(['qm-10']);
    expect(lowStockReminders([group(1, 0)], [])).toEqual([]);
  });

  it('rejects malformed counts, naming the group', () => {
    expectKeyfleetError(() => lowStockReminders([group(-1)], []), 'BAD_INPUT', /stock of QueueMetrics 10 agents must be a whole number ≥ 0, got -1/);
    expectKeyfleetError(() => lowStockReminders([group(1, 1.5)], []), 'BAD_INPUT', /low-stock threshold of QueueMetrics 10 agents/);
  });

  it('words the notice', () => {
    expect(lowStockText({ key: 'k', label: 'QueueMetrics 10 agents', inStock: 1, threshold: 2 })).toEqual({
      title: 'Low PPK stock: QueueMetrics 10 agents',
      body: '1 PPK left in stock (reminder threshold 2).',
    });
    expect(lowStockText({ key: 'k', label: 'QM', inStock: 0, threshold: 2 }).title).toBe('Out of PPK stock: QM');
  });
});

describe('reminderText', () => {
  const info = { product: 'QueueMetrics', clientName: 'Acme', instanceName: 'qm-acme' };
  it('says days left, tomorrow, today and expired', () => {
    expect(reminderText({ daysLeft: 7, expiresAt: '2026-12-01' }, info)).toEqual({
      title: 'QueueMetrics license for Acme expires in 7 days (2026-12-01)',
      body: 'Its last valid day is 2026-12-01. Instance: qm-acme.',
    });
    expect(reminderText({ daysLeft: 1, expiresAt: '2026-12-01' }, info).title).toBe('QueueMetrics license for Acme expires tomorrow (2026-12-01)');
    expect(reminderText({ daysLeft: 0, expiresAt: '2026-12-01' }, info).title).toBe('QueueMetrics license for Acme expires today (2026-12-01)');
    const expired = reminderText({ daysLeft: -1, expiresAt: '2026-12-01' }, { product: 'Webitel' });
    expect(expired).toEqual({ title: 'Webitel license expired (2026-12-01)', body: 'It expired 1 day ago; its last valid day was 2026-12-01.' });
  });
});
