import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { KeyfleetError } from '../../electron/core/errors.ts';
import { buildCalendar, licenseEventUid, writeCalendarFeed } from '../../electron/core/domain/calendar.ts';
import type { ExpiryEvent } from '../../electron/core/domain/calendar.ts';
import { tempDir } from '../helpers/tmp.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

const events: ExpiryEvent[] = [
  {
    uid: licenseEventUid('lic-qm-acme'),
    title: 'QueueMetrics license for Acme expires',
    description: 'Instance qm-acme, 20 agents.\nRenew before it lapses; contact: ops, billing',
    date: '2026-12-01',
    url: 'https://keyfleet.local/licenses/lic-qm-acme',
    alarmDaysBefore: 30,
  },
  { uid: licenseEventUid('lic-web-beta'), title: 'Webitel license for Beta expires', date: '2027-02-28', alarmDaysBefore: 0 },
  { uid: licenseEventUid('lic-isym'), title: 'iSymphony license expires', date: '2026-11-30', alarmDaysBefore: null },
];

function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return { cal, vevents: cal.getAllSubcomponents('vevent') };
}

function byUid(vevents: ICAL.Component[], uid: string): ICAL.Component {
  const found = vevents.find((v) => v.getFirstPropertyValue('uid') === uid);
  if (!found) throw new Error(`no VEVENT ${uid}`);
  return found;
}

function expectBadInput(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    expect((e as KeyfleetError).code).toBe('BAD_INPUT');
    expect((e as KeyfleetError).message).toMatch(message);
    return;
  }
  throw new Error('expected a BAD_INPUT error');
}

describe('buildCalendar', () => {
  it('produces one all-day VEVENT per expiry that ical.js reads back', () => {
    const text = buildCalendar(events, { name: 'Keyfleet expiries', now: NOW });
    const { cal, vevents } = parse(text);
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('prodid')).toBe('Keyfleet');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Keyfleet expiries');
    expect(vevents).toHaveLength(3);

    const acme = byUid(vevents, 'lic-qm-acme@keyfleet');
    const start = acme.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.isDate).toBe(true);
    expect(start.toString()).toBe('2026-12-01');
    const end = acme.getFirstPropertyValue('dtend') as ICAL.Time;
    expect(end.isDate).toBe(true);
    expect(end.toString()).toBe('2026-12-02');
    expect(acme.getFirstPropertyValue('summary')).toBe('QueueMetrics license for Acme expires');
    expect(acme.getFirstPropertyValue('description')).toBe('Instance qm-acme, 20 agents.\nRenew before it lapses; contact: ops, billing');
    expect(acme.getFirstPropertyValue('url')).toBe('https://keyfleet.local/licenses/lic-qm-acme');
    expect((acme.getFirstPropertyValue('dtstamp') as ICAL.Time).toString()).toBe('2026-11-22T10:00:00Z');
  });

  it('puts a DISPLAY alarm at the first stage as TRIGGER -P<n>D, and none when asked for none', () => {
    const text = buildCalendar(events, { name: 'Keyfleet expiries', now: NOW });
    const { vevents } = parse(text);

    const alarms = byUid(vevents, 'lic-qm-acme@keyfleet').getAllSubcomponents('valarm');
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(alarm.getFirstPropertyValue('description')).toBe('QueueMetrics license for Acme expires');
    const trigger = alarm.getFirstPropertyValue('trigger') as ICAL.Duration;
    expect(trigger.isNegative).toBe(true);
    expect(trigger.toSeconds()).toBe(-30 * 86_400);
    expect(trigger.toString()).toBe('-P30D');

    const zero = byUid(vevents, 'lic-web-beta@keyfleet').getFirstSubcomponent('valarm');
    // "-P0D": at the start of the expiry day (a signed zero, so compare by value).
    expect((zero?.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds() === 0).toBe(true);
    expect(byUid(vevents, 'lic-isym@keyfleet').getAllSubcomponents('valarm')).toHaveLength(0);

    // The raw lines are RFC 5545 durations (ics alone writes "-P30DT" and "-PT").
    const triggers = text.split('\r\n').filter((l) => l.startsWith('TRIGGER'));
    expect(triggers).toEqual(['TRIGGER:-P30D', 'TRIGGER:-P0D']);
  });

  it('keeps UIDs stable and the output identical between builds of the same fleet', () => {
    const first = buildCalendar(events, { name: 'Keyfleet expiries', now: NOW });
    const second = buildCalendar([...events].reverse(), { name: 'Keyfleet expiries', now: NOW });
    expect(second).toBe(first);
    const later = buildCalendar(events, { name: 'Keyfleet expiries', now: new Date('2026-12-24T00:00:00Z') });
    const uids = (t: string) => parse(t).vevents.map((v) => v.getFirstPropertyValue('uid')).sort();
    expect(uids(later)).toEqual(uids(first));
    expect(uids(first)).toEqual(['lic-isym@keyfleet', 'lic-qm-acme@keyfleet', 'lic-web-beta@keyfleet']);
    // Events come out in date order.
    expect(parse(first).vevents.map((v) => (v.getFirstPropertyValue('dtstart') as ICAL.Time).toString())).toEqual(['2026-11-30', '2026-12-01', '2027-02-28']);
  });

  it('writes CRLF lines and folds long ones so ical.js reads them back whole', () => {
    const title = `QueueMetrics license for ${'Very Long Client Name '.repeat(8).trim()} expires`;
    const text = buildCalendar([{ uid: 'long@keyfleet', title, date: '2026-12-01', alarmDaysBefore: 7 }], { name: 'K', now: NOW });
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(Math.max(...text.split('\r\n').map((l) => Buffer.byteLength(l)))).toBeLessThanOrEqual(75);
    expect(parse(text).vevents[0]?.getFirstPropertyValue('summary')).toBe(title);
  });

  it('folds accented and CJK text at 75 octets, not 75 characters, and never inside a character', () => {
    const title = `QueueMetrics-Lizenz für ${'Bäckerei Groß Zürich Société Générale 東京コールセンター '.repeat(4).trim()} läuft ab`;
    const description = `Überprüfen: ${'äöü€'.repeat(60)}\nZweite Zeile mit 😀 und ñ`;
    const name = 'Ablaufdaten Größe Ærø Þórshöfn';
    const text = buildCalendar([{ uid: 'utf8@keyfleet', title, description, date: '2026-12-01', alarmDaysBefore: 7 }], { name, now: NOW });

    // Split the file's bytes, as a client reading octets does, not the JavaScript string.
    const bytes = Buffer.from(text, 'utf8');
    const lines: Buffer[] = [];
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf('\r\n', start);
      lines.push(bytes.subarray(start, end));
      start = end + 2;
    }
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const line of lines) {
      expect(line.length, line.toString()).toBeLessThanOrEqual(75);
      // A fold inside a multi-octet character leaves an invalid sequence at the end of one line.
      expect(() => strict.decode(line), line.toString('hex')).not.toThrow();
    }
    expect(text).not.toContain('\uFFFD');
    // The long lines were folded, and the continuation lines begin with one space.
    expect(lines.filter((l) => l[0] === 0x20).length).toBeGreaterThan(5);

    const { cal, vevents } = parse(text);
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe(name);
    expect(vevents[0]?.getFirstPropertyValue('summary')).toBe(title);
    expect(vevents[0]?.getFirstPropertyValue('description')).toBe(description);
    expect(vevents[0]?.getFirstSubcomponent('valarm')?.getFirstPropertyValue('description')).toBe(title);
  });

  it('licenseEventUid is the same for the same license and safe for odd ids', () => {
    expect(licenseEventUid('abc')).toBe('abc@keyfleet');
    expect(licenseEventUid('abc')).toBe(licenseEventUid('abc'));
    const odd = licenseEventUid('a,b;c\\d é');
    expect(odd).toBe('a%2Cb%3Bc%5Cd%20%C3%A9@keyfleet');
    const text = buildCalendar([{ uid: odd, title: 'x', date: '2026-12-01', alarmDaysBefore: null }], { name: 'K', now: NOW });
    expect(parse(text).vevents[0]?.getFirstPropertyValue('uid')).toBe(odd);
  });

  it('an empty fleet is a valid, empty VCALENDAR', () => {
    const text = buildCalendar([], { name: 'Keyfleet expiries', now: NOW });
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const { cal, vevents } = parse(text);
    expect(vevents).toHaveLength(0);
    expect(cal.getFirstPropertyValue('prodid')).toBe('Keyfleet');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Keyfleet expiries');
  });

  it('rejects bad input with the event named', () => {
    const base: ExpiryEvent = { uid: 'x@keyfleet', title: 'T', date: '2026-12-01', alarmDaysBefore: 7 };
    expectBadInput(() => buildCalendar([{ ...base, date: '2026-02-30' }], { name: 'K' }), /calendar event x@keyfleet: date "2026-02-30" is not a calendar date/);
    expectBadInput(() => buildCalendar([{ ...base, alarmDaysBefore: -1 }], { name: 'K' }), /calendar event x@keyfleet: alarm must be a whole number of days/);
    expectBadInput(() => buildCalendar([{ ...base, title: '  ' }], { name: 'K' }), /calendar event x@keyfleet: title must not be empty/);
    expectBadInput(() => buildCalendar([base, base], { name: 'K' }), /calendar event UID x@keyfleet appears twice/);
    expectBadInput(() => buildCalendar([{ ...base, uid: 'a,b' }], { name: 'K' }), /calendar event UID "a,b" must be/);
    expectBadInput(() => buildCalendar([], { name: ' ' }), /calendar name must not be empty/);
  });

  it('turns an error reported by the ics library into BAD_INPUT naming the event', () => {
    const good: ExpiryEvent = { uid: 'good@keyfleet', title: 'T', date: '2026-12-01', alarmDaysBefore: 7 };
    const bad: ExpiryEvent = { uid: 'bad@keyfleet', title: 'T', date: '2026-12-02', url: 'not a url', alarmDaysBefore: 7 };
    expectBadInput(() => buildCalendar([good, bad], { name: 'K', now: NOW }), /^calendar event bad@keyfleet: url must match/);
  });
});

describe('writeCalendarFeed', () => {
  it('writes the feed and leaves no temp file behind', async () => {
    const dir = tempDir('keyfleet-feed-');
    const file = path.join(dir, 'expiries.ics');
    const text = buildCalendar(events, { name: 'Keyfleet expiries', now: NOW });
    await writeCalendarFeed(file, text);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(dir)).toEqual(['expiries.ics']);
  });

  it('replaces the file by rename: a reader holding the old file keeps the whole old text', async () => {
    const dir = tempDir('keyfleet-feed-');
    const file = path.join(dir, 'expiries.ics');
    const oldText = buildCalendar(events.slice(0, 1), { name: 'Old', now: NOW });
    const newText = buildCalendar(events, { name: 'New', now: NOW });
    await writeCalendarFeed(file, oldText);
    const before = fs.statSync(file);

    const reader = fs.openSync(file, 'r'); // a calendar app mid-read
    try {
      await writeCalendarFeed(file, newText);
      const oldSeen = Buffer.alloc(Buffer.byteLength(oldText) + 10);
      const n = fs.readSync(reader, oldSeen, 0, oldSeen.length, 0);
      expect(oldSeen.subarray(0, n).toString('utf8')).toBe(oldText);
    } finally {
      fs.closeSync(reader);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(newText);
    // A new inode means the file was swapped, not rewritten in place.
    if (process.platform !== 'win32') expect(fs.statSync(file).ino).not.toBe(before.ino);
    expect(fs.readdirSync(dir)).toEqual(['expiries.ics']);
  });

  it('fails clearly when the folder does not exist, and leaves nothing behind', async () => {
    const dir = tempDir('keyfleet-feed-');
    const file = path.join(dir, 'missing', 'expiries.ics');
    await expect(writeCalendarFeed(file, 'x')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(`could not write the calendar feed ${file}`),
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('removes its temp file when the rename fails', async () => {
    const dir = tempDir('keyfleet-feed-');
    const target = path.join(dir, 'expiries.ics');
    fs.mkdirSync(target); // a directory where the feed should go: rename cannot replace it
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    await expect(writeCalendarFeed(target, 'BEGIN:VCALENDAR\r\n')).rejects.toBeInstanceOf(KeyfleetError);
    expect(fs.readdirSync(dir)).toEqual(['expiries.ics']);
  });
});
