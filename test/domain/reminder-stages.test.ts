import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STAGES,
  addDaysToIsoDate,
  daysUntil,
  dueStage,
  effectiveStages,
  firstStage,
  normalizeStages,
  todayIn,
} from '../../electron/core/domain/reminders.ts';
import { expectKeyfleetError } from '../helpers/errors.ts';

/** Reminder stages (normalised, layered global → client → license), calendar days to an expiry in the user's zone, and the stage a day count falls in. */

const STAGES = [...DEFAULT_STAGES];

/** Independent oracle: today's date in a zone via Intl, day count via UTC day numbers. */
function oracleDaysUntil(expiresAt: string, now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const today = Date.UTC(get('year'), get('month') - 1, get('day'));
  const [y, m, d] = expiresAt.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - today) / 86_400_000);
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
