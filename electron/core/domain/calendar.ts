import { createEvents } from 'ics';
import type { DateArray, EventAttributes } from 'ics';
import { KeyfleetError } from '../errors.ts';
import { excerpt } from '../net/http.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { IsoDate } from '../vendors/types.ts';
import { addDaysToIsoDate, parseIsoDate } from './reminders.ts';

/**
 * Expiries as an iCalendar (RFC 5545) file: one all-day event per license on its expiry date
 * (the last valid day), with a display alarm at the policy's first stage. UIDs are stable so a
 * re-import or a feed refresh updates the events instead of duplicating them.
 */

export interface ExpiryEvent {
  /** Stable across exports, e.g. licenseEventUid(license.id). */
  uid: string;
  title: string;
  description?: string;
  /** The expiry day. */
  date: IsoDate;
  url?: string;
  /** Days before `date` for the alarm (the first stage of the license's policy); null = no alarm. */
  alarmDaysBefore: number | null;
}

const PRODUCT_ID = 'Keyfleet';
const MAX_ALARM_DAYS = 3650;
/** Printable ASCII without the TEXT separators, so a UID needs no escaping anywhere. */
const SAFE_UID = /^[\x21-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]{1,255}$/;

/** The event UID for a license: the same license always gets the same UID. */
export function licenseEventUid(licenseId: string): string {
  return `${encodeURIComponent(licenseId)}@keyfleet`;
}

export function buildCalendar(events: readonly ExpiryEvent[], opts: { name: string; now?: Date }): string {
  const name = opts.name.trim();
  if (name === '') throw new KeyfleetError('BAD_INPUT', 'calendar name must not be empty');
  const now = opts.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new KeyfleetError('BAD_INPUT', 'calendar timestamp is not a valid date');

  const seen = new Set<string>();
  for (const e of events) {
    if (!SAFE_UID.test(e.uid)) {
      throw new KeyfleetError('BAD_INPUT', `calendar event UID ${JSON.stringify(e.uid)} must be 1-255 printable ASCII characters without , ; or \\`);
    }
    if (seen.has(e.uid)) throw new KeyfleetError('BAD_INPUT', `calendar event UID ${e.uid} appears twice`);
    seen.add(e.uid);
  }

  // Sorted so the same fleet always gives the same file (easy to diff, no needless rewrites).
  const sorted = [...events].sort((a, b) => (a.date === b.date ? (a.uid < b.uid ? -1 : 1) : a.date < b.date ? -1 : 1));
  const attributes = sorted.map((e) => toEventAttributes(e, now));
  const header = { productId: PRODUCT_ID, calName: name, method: 'PUBLISH' };

  const result = createEvents(attributes, header);
  if (result.error || result.value === null) throw calendarLibraryError(sorted, attributes, header, result.error);
  return foldByOctets(repairIcsDurations(unfold(result.value)));
}

function toEventAttributes(e: ExpiryEvent, now: Date): EventAttributes {
  const subject = `calendar event ${e.uid}`;
  const title = e.title.trim();
  if (title === '') throw new KeyfleetError('BAD_INPUT', `${subject}: title must not be empty`);
  const start = toDateArray(e.date, `${subject}: date`);
  // All-day DTEND is exclusive: the event covers exactly the expiry day.
  const end = toDateArray(addDaysToIsoDate(e.date, 1, `${subject}: date`), `${subject}: date`);
  if (e.alarmDaysBefore !== null && (!Number.isInteger(e.alarmDaysBefore) || e.alarmDaysBefore < 0 || e.alarmDaysBefore > MAX_ALARM_DAYS)) {
    throw new KeyfleetError('BAD_INPUT', `${subject}: alarm must be a whole number of days from 0 to ${MAX_ALARM_DAYS}, got ${String(e.alarmDaysBefore)}`);
  }
  const attrs: EventAttributes & { timestamp: number } = {
    uid: e.uid,
    title,
    start,
    end,
    // DTSTAMP from the injected clock, so the output is reproducible in tests.
    timestamp: now.getTime(),
    transp: 'TRANSPARENT',
    ...(e.description ? { description: e.description } : {}),
    ...(e.url ? { url: e.url } : {}),
    ...(e.alarmDaysBefore !== null
      ? { alarms: [{ action: 'display' as const, description: title, trigger: { days: e.alarmDaysBefore, before: true } }] }
      : {}),
  };
  return attrs;
}

function toDateArray(date: IsoDate, what: string): DateArray {
  const { year, month, day } = parseIsoDate(date, what);
  return [year, month, day];
}

/** RFC 5545 §3.1: a line break followed by one space or tab continues the line. */
function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, '');
}

const MAX_LINE_OCTETS = 75;

/**
 * Folds every line to at most 75 octets (RFC 5545 §3.1), counting UTF-8 bytes, never inside a
 * character. ics folds at 75 characters, so accented or CJK text ran to 150 octets and more,
 * which strict clients reject or cut.
 */
function foldByOctets(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      if (Buffer.byteLength(line) <= MAX_LINE_OCTETS) return line;
      const parts: string[] = [];
      let part = '';
      let octets = 0;
      for (const ch of line) {
        const size = Buffer.byteLength(ch);
        // Continuation lines start with a space, which counts towards their 75 octets.
        if (octets + size > MAX_LINE_OCTETS) {
          parts.push(part);
          part = ' ';
          octets = 1;
        }
        part += ch;
        octets += size;
      }
      parts.push(part);
      return parts.join('\r\n');
    })
    .join('\r\n');
}

/**
 * ics 3.x writes relative durations with a dangling time designator ("-P30DT", and "-PT" for
 * zero), which RFC 5545 §3.3.6 does not allow and strict clients reject. Rewrite exactly those
 * TRIGGER lines as "-P<n>D"; well-formed lines are left alone, so a fixed ics is a no-op here.
 */
function repairIcsDurations(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      const m = /^TRIGGER:(-?)P(?:(\d+)D)?T$/.exec(line);
      return m ? `TRIGGER:${m[1]}P${m[2] ?? '0'}D` : line;
    })
    .join('\r\n');
}

/** ics reports the first invalid event without saying which: find it so the message can. */
function calendarLibraryError(
  events: readonly ExpiryEvent[],
  attributes: readonly EventAttributes[],
  header: { productId: string; calName: string; method: string },
  error: Error | null,
): KeyfleetError {
  let subject = 'calendar';
  for (let i = 0; i < attributes.length; i++) {
    const one = attributes[i];
    if (one && createEvents([one], header).error) {
      subject = `calendar event ${events[i]?.uid ?? i}`;
      break;
    }
  }
  const reason = excerpt(error?.message ?? 'the iCalendar library produced no output');
  return new KeyfleetError('BAD_INPUT', `${subject}: ${reason}`, undefined, { cause: error ?? undefined });
}

/**
 * Replaces the feed file atomically: a calendar app polling the feed sees the old file or the
 * new one, never half. Readable by others (0644): calendar apps read it.
 */
export async function writeCalendarFeed(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, { mode: 0o644 });
  } catch (e) {
    throw feedWriteError(path, e);
  }
}

function feedWriteError(path: string, e: unknown): KeyfleetError {
  const err = e as NodeJS.ErrnoException;
  const code = err.code;
  const message = `could not write the calendar feed ${path}: ${err.message ?? String(e)}`;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new KeyfleetError('BAD_INPUT', message, { path, errno: code }, { cause: e });
  }
  return new KeyfleetError('INTERNAL', message, { path, ...(code ? { errno: code } : {}) }, { cause: e });
}
