// Long by design: one rule set; stages, calendar days in the user's zone, what is due, what fired and the notice text are pure functions that must agree on the same dates.
import { TZDate, tz } from '@date-fns/tz';
// Per-function entry points: the package index loads every date-fns module (~0.8 s cold),
// which the CLI would pay on every start.
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { KeyfleetError } from '../errors.ts';
import type { IsoDate, IsoInstant } from '../vendors/types.ts';

/**
 * Expiry reminders: which (license, stage) is due now, and what a person is told.
 *
 * Pure: the clock (`now`) and the user's IANA zone come in as arguments, and the record of
 * what already fired comes in and goes out as plain lists that the caller stores.
 * Every comparison is between calendar dates in the user's zone, so a reminder is right on
 * DST days, at month ends and for a user whose "today" differs from UTC's.
 */

/** Days before expiry; 0 = "expires today" (the expiry date is the last valid day). */
export const DEFAULT_STAGES: readonly number[] = [30, 14, 7, 1, 0];

const MAX_STAGE_DAYS = 3650;
/** Same cap as the store schema, so a normalised policy can always be saved. */
const MAX_STAGES = 20;

export interface ReminderLicense {
  id: string;
  /** Last valid day; null = perpetual. */
  expiresAt: IsoDate | null;
  /** The license's effective policy (see effectiveStages). An empty list means "no reminders". */
  stages: readonly number[];
  muted?: boolean;
  /** Nothing fires while today (in the user's zone) is before this date. */
  snoozedUntil?: IsoDate | null;
}

/** One (license, stage) that fired, keyed by the expiry it was about so a renewal starts afresh. */
export interface FiredReminder {
  licenseId: string;
  stage: number;
  expiresAt: IsoDate;
  firedAt: IsoInstant;
}

export interface DueReminder {
  licenseId: string;
  stage: number;
  /** Calendar days from today to the expiry date; 0 = today, negative = expired. */
  daysLeft: number;
  expiresAt: IsoDate;
}

export interface StockGroup {
  key: string;
  label: string;
  inStock: number;
  threshold: number;
}

/** "We told the user that `key` was down to `level` in stock." */
export interface LowStockFired {
  key: string;
  level: number;
  firedAt: IsoInstant;
}

export interface LowStockDue {
  key: string;
  label: string;
  inStock: number;
  threshold: number;
}

export interface NotificationText {
  title: string;
  body: string;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Year, month (1-12) and day of a real calendar date given as YYYY-MM-DD. */
export function parseIsoDate(value: unknown, what = 'date'): { year: number; month: number; day: number } {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!m) throw new KeyfleetError('BAD_INPUT', `${what} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // Years below 1000 would hit Date's two-digit-year mapping and are never a real expiry.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new KeyfleetError('BAD_INPUT', `${what} ${JSON.stringify(value)} is not a calendar date`);
  }
  return { year, month, day };
}

/**
 * The calendar date a date-fns date stands for, YYYY-MM-DD. A TZDate answers getFullYear() and
 * friends in its own zone. (date-fns' `format` does the same, but loading it and its locale costs
 * the CLI ~0.1 s of every start, for a fixed pattern.)
 */
function isoDateOf(d: Date): IsoDate {
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The given IsoDate shifted by whole calendar days (negative = earlier). */
export function addDaysToIsoDate(date: IsoDate, days: number, what = 'date'): IsoDate {
  const { year, month, day } = parseIsoDate(date, what);
  // Noon in UTC keeps the arithmetic a pure calendar operation (UTC has no DST).
  return isoDateOf(addDays(new TZDate(year, month - 1, day, 12, 'UTC'), days));
}

function assertTimeZone(timeZone: unknown): asserts timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new KeyfleetError('BAD_INPUT', `time zone must be an IANA zone name such as Europe/Rome, got ${JSON.stringify(timeZone)}`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new KeyfleetError('BAD_INPUT', `unknown time zone ${JSON.stringify(timeZone)}`);
  }
}

function assertNow(now: unknown): asserts now is Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KeyfleetError('BAD_INPUT', `the current time must be a valid Date, got ${String(now)}`);
  }
}

/** Today's date in the user's zone. */
export function todayIn(now: Date, timeZone: string): IsoDate {
  assertNow(now);
  assertTimeZone(timeZone);
  return isoDateOf(new TZDate(now.getTime(), timeZone));
}

/**
 * Calendar days from today (in `timeZone`) to the expiry date: 0 = expires today, 1 = tomorrow,
 * negative = expired. Both ends are calendar dates in the zone, so a 23- or 25-hour day
 * counts as one day.
 */
export function daysUntil(expiresAt: IsoDate, now: Date, timeZone: string): number {
  assertNow(now);
  assertTimeZone(timeZone);
  const { year, month, day } = parseIsoDate(expiresAt, 'expiry date');
  const expiryDay = new TZDate(year, month - 1, day, timeZone);
  return differenceInCalendarDays(expiryDay, new TZDate(now.getTime(), timeZone), { in: tz(timeZone) });
}

/** The date `days` calendar days after today in the user's zone, for "snooze for N days". */
export function snoozeUntil(now: Date, timeZone: string, days: number): IsoDate {
  if (!Number.isInteger(days) || days < 1 || days > MAX_STAGE_DAYS) {
    throw new KeyfleetError('BAD_INPUT', `snooze must be a whole number of days from 1 to ${MAX_STAGE_DAYS}, got ${String(days)}`);
  }
  return addDaysToIsoDate(todayIn(now, timeZone), days, 'today');
}

// ---------------------------------------------------------------------------------------------
// Policy

/** Unique whole days from 0 to 3650, largest first. */
export function normalizeStages(stages: readonly unknown[]): number[] {
  if (!Array.isArray(stages)) {
    throw new KeyfleetError('BAD_INPUT', `reminder stages must be a list of days, got ${JSON.stringify(stages)}`);
  }
  const unique = new Set<number>();
  for (const s of stages) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > MAX_STAGE_DAYS) {
      throw new KeyfleetError(
        'BAD_INPUT',
        `reminder stage ${typeof s === 'string' ? JSON.stringify(s) : String(s)} is not a whole number of days from 0 to ${MAX_STAGE_DAYS}`,
        { stage: typeof s === 'number' ? s : String(s) },
      );
    }
    unique.add(s);
  }
  if (unique.size > MAX_STAGES) {
    throw new KeyfleetError('BAD_INPUT', `at most ${MAX_STAGES} reminder stages are allowed, got ${unique.size}`);
  }
  return [...unique].sort((a, b) => b - a);
}

/**
 * The most specific policy wins: license, then client, then the global setting. An override
 * that is an empty list is a real choice ("no reminders here"); null/undefined means "inherit".
 */
export function effectiveStages(policy: {
  global: readonly number[];
  client?: readonly number[] | null;
  license?: readonly number[] | null;
}): number[] {
  return normalizeStages(policy.license ?? policy.client ?? policy.global);
}

/** The stage the calendar alarm uses: the earliest warning of the policy, or null for none. */
export function firstStage(stages: readonly number[]): number | null {
  const normalized = normalizeStages(stages);
  return normalized[0] ?? null;
}

/**
 * The stage that is due at `daysLeft`: the smallest stage not yet passed, so after a gap
 * (app closed, license first seen late) only the nearest stage fires, never a burst.
 * Once expired, the 0 ("expired") stage is due even when the policy omits it: a lapse is
 * always worth one notice unless the license is muted or its policy is empty.
 */
export function dueStage(stages: readonly number[], daysLeft: number): number | null {
  if (stages.length === 0) return null;
  if (daysLeft < 0) return 0;
  let due: number | null = null;
  for (const s of stages) if (daysLeft <= s && (due === null || s < due)) due = s;
  return due;
}

// ---------------------------------------------------------------------------------------------
// Expiry reminders

const firedKey = (licenseId: string, expiresAt: IsoDate): string => `${licenseId}\u0000${expiresAt}`;

/**
 * The reminders to show now, soonest expiry first. A (license, stage, expiry) fires once; a
 * stage larger than one already fired for the same expiry never fires (no going backwards);
 * a renewed license (new expiry) has no fired records and starts afresh.
 */
export function dueReminders(input: {
  now: Date;
  timeZone: string;
  licenses: readonly ReminderLicense[];
  fired: readonly FiredReminder[];
}): DueReminder[] {
  const { now, timeZone } = input;
  const today = todayIn(now, timeZone);

  const smallestFired = new Map<string, number>();
  for (const f of input.fired) {
    const key = firedKey(f.licenseId, f.expiresAt);
    const prev = smallestFired.get(key);
    if (prev === undefined || f.stage < prev) smallestFired.set(key, f.stage);
  }

  const due: DueReminder[] = [];
  for (const license of input.licenses) {
    if (license.expiresAt === null || license.muted === true) continue;
    const subject = `license ${license.id}`;
    parseIsoDate(license.expiresAt, `${subject}: expiry date`);
    if (license.snoozedUntil) {
      parseIsoDate(license.snoozedUntil, `${subject}: snoozed-until date`);
      // Same-format YYYY-MM-DD strings compare as dates.
      if (today < license.snoozedUntil) continue;
    }
    let stages: number[];
    try {
      stages = normalizeStages(license.stages);
    } catch (e) {
      throw new KeyfleetError('BAD_INPUT', `${subject}: ${(e as Error).message}`, { licenseId: license.id });
    }
    const daysLeft = daysUntil(license.expiresAt, now, timeZone);
    const stage = dueStage(stages, daysLeft);
    if (stage === null) continue;
    const already = smallestFired.get(firedKey(license.id, license.expiresAt));
    if (already !== undefined && already <= stage) continue;
    due.push({ licenseId: license.id, stage, daysLeft, expiresAt: license.expiresAt });
  }

  return due.sort((a, b) => (a.expiresAt === b.expiresAt ? compareText(a.licenseId, b.licenseId) : compareText(a.expiresAt, b.expiresAt)));
}

/** The fired list with `due` added (idempotent: a record already there is not duplicated). */
export function recordFired(fired: readonly FiredReminder[], due: readonly DueReminder[], now: Date): FiredReminder[] {
  assertNow(now);
  const firedAt = now.toISOString();
  const seen = new Set(fired.map((f) => `${firedKey(f.licenseId, f.expiresAt)}\u0000${f.stage}`));
  const out = [...fired];
  for (const d of due) {
    const key = `${firedKey(d.licenseId, d.expiresAt)}\u0000${d.stage}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ licenseId: d.licenseId, stage: d.stage, expiresAt: d.expiresAt, firedAt });
  }
  return out;
}

/** Drops records of licenses that no longer exist and of expiries a license no longer has. */
export function pruneFired(
  fired: readonly FiredReminder[],
  licenses: ReadonlyArray<{ id: string; expiresAt: IsoDate | null }>,
): FiredReminder[] {
  const current = new Map(licenses.map((l) => [l.id, l.expiresAt]));
  return fired.filter((f) => current.get(f.licenseId) === f.expiresAt);
}

// ---------------------------------------------------------------------------------------------
// Low PPK stock

function assertCount(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new KeyfleetError('BAD_INPUT', `${what} must be a whole number ≥ 0, got ${String(value)}`);
  }
}

/**
 * Stock groups that need a notice now. Policy: a group fires when its stock falls to the
 * threshold or below, and again each time it falls further (2 → 1 → 0 are three notices);
 * it stays quiet while the stock stays level or rises. Restocking above the threshold
 * re-arms it (see updateLowStockFired), so the next drop fires again.
 */
export function lowStockReminders(groups: readonly StockGroup[], fired: readonly Pick<LowStockFired, 'key' | 'level'>[]): LowStockDue[] {
  const lowestTold = new Map<string, number>();
  for (const f of fired) {
    const prev = lowestTold.get(f.key);
    if (prev === undefined || f.level < prev) lowestTold.set(f.key, f.level);
  }
  const due: LowStockDue[] = [];
  for (const g of groups) {
    assertCount(g.inStock, `stock of ${g.label}`);
    assertCount(g.threshold, `low-stock threshold of ${g.label}`);
    if (g.inStock > g.threshold) continue;
    const told = lowestTold.get(g.key);
    if (told !== undefined && told <= g.inStock) continue;
    due.push({ key: g.key, label: g.label, inStock: g.inStock, threshold: g.threshold });
  }
  return due.sort((a, b) => a.inStock - b.inStock || compareText(a.label, b.label));
}

/**
 * The low-stock record after an evaluation: groups restocked above their threshold are
 * re-armed (their record dropped), and each due group keeps one record at its new level.
 * Call it after every evaluation, even when nothing was due, or a restock goes unnoticed.
 * Records of groups not in `groups` are kept: a group that vanished from the list did not
 * necessarily get restocked.
 */
export function updateLowStockFired(
  fired: readonly LowStockFired[],
  groups: readonly StockGroup[],
  due: readonly LowStockDue[],
  now: Date,
): LowStockFired[] {
  assertNow(now);
  const rearmed = new Set(groups.filter((g) => g.inStock > g.threshold).map((g) => g.key));
  const replaced = new Set(due.map((d) => d.key));
  const kept = fired.filter((f) => !rearmed.has(f.key) && !replaced.has(f.key));
  const firedAt = now.toISOString();
  return [...kept, ...due.map((d) => ({ key: d.key, level: d.inStock, firedAt }))];
}

// ---------------------------------------------------------------------------------------------
// Words

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Notification text for an expiry reminder, e.g.
 * "QueueMetrics license for Acme expires in 7 days (2026-12-01)".
 */
export function reminderText(
  item: Pick<DueReminder, 'daysLeft' | 'expiresAt'>,
  license: { product: string; clientName?: string | null; instanceName?: string | null },
): NotificationText {
  const who = `${license.product} license${license.clientName ? ` for ${license.clientName}` : ''}`;
  const { daysLeft, expiresAt } = item;
  let title: string;
  let body: string;
  if (daysLeft < 0) {
    title = `${who} expired (${expiresAt})`;
    body = `It expired ${plural(-daysLeft, 'day', 'days')} ago; its last valid day was ${expiresAt}.`;
  } else if (daysLeft === 0) {
    title = `${who} expires today (${expiresAt})`;
    body = `Today, ${expiresAt}, is its last valid day.`;
  } else if (daysLeft === 1) {
    title = `${who} expires tomorrow (${expiresAt})`;
    body = `Its last valid day is ${expiresAt}.`;
  } else {
    title = `${who} expires in ${daysLeft} days (${expiresAt})`;
    body = `Its last valid day is ${expiresAt}.`;
  }
  if (license.instanceName) body += ` Instance: ${license.instanceName}.`;
  return { title, body };
}

/** Notification text for a low-stock reminder. */
export function lowStockText(item: LowStockDue): NotificationText {
  const left = item.inStock === 0 ? 'No PPKs left in stock' : `${plural(item.inStock, 'PPK', 'PPKs')} left in stock`;
  return {
    title: item.inStock === 0 ? `Out of PPK stock: ${item.label}` : `Low PPK stock: ${item.label}`,
    body: `${left} (reminder threshold ${item.threshold}).`,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
