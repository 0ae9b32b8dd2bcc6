import { KeyfleetError } from '../../errors.ts';
import type { IsoDate, IsoInstant } from '../types.ts';

/** An instant the server reported, with the calendar date it names. */
export interface QlmDateTime {
  instant: IsoInstant;
  date: IsoDate;
}

export const DEFAULT_QLM_DATE_FORMAT = 'yyyy-MM-dd';

/** The tokens a License Server `dateFormat` (a .NET format string) may use for is_expdate. */
const FORMAT_TOKEN = /yyyy|MM|M|dd|d/g;

/** Checks a configured date format once, so a typo fails at setup and not mid-order. */
export function validateQlmDateFormat(format: string): void {
  const tokens = format.match(FORMAT_TOKEN) ?? [];
  const has = (re: RegExp) => tokens.filter((t) => re.test(t)).length === 1;
  const literals = format.replace(FORMAT_TOKEN, '');
  if (!has(/^yyyy$/) || !has(/^MM?$/) || !has(/^dd?$/) || /[A-Za-z]/.test(literals)) {
    throw new KeyfleetError(
      'BAD_INPUT',
      `QLM date format "${format}" is not supported: use year yyyy, month MM or M and day dd or d with separators, e.g. yyyy-MM-dd, MM/dd/yyyy, dd/MM/yyyy`,
    );
  }
}

/** True when s is YYYY-MM-DD and names a day that exists. */
export function isRealIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Formats an ISO date for is_expdate with the server's configured format. */
export function formatQlmDate(date: IsoDate, format: string): string {
  if (!isRealIsoDate(date)) throw new KeyfleetError('BAD_INPUT', `not a real date: ${String(date)} (expected YYYY-MM-DD)`);
  validateQlmDateFormat(format);
  const [y, m, d] = date.split('-') as [string, string, string];
  return format.replace(FORMAT_TOKEN, (t) => {
    switch (t) {
      case 'yyyy':
        return y;
      case 'MM':
        return m;
      case 'M':
        return String(Number(m));
      case 'dd':
        return d;
      default:
        return String(Number(d));
    }
  });
}

/** True when s is `yyyy-MM-dd HH:mm:ss` naming a real moment (product property expiry). */
export function isQlmPropertyExpiry(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  return !!m && isRealIsoDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number): QlmDateTime | null {
  // .NET's DateTime.MinValue and empty dates mean "no date" on QLM.
  if (y <= 1) return null;
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return { instant: t.toISOString().replace('.000Z', 'Z'), date: t.toISOString().slice(0, 10) };
}

/**
 * Reads a date the License Server wrote. INFERRED: Soraco shows `2024-09-02 23:59` for
 * expiryDate and `2015-08-05T15:53:16Z` for serverDate but does not say which zone a
 * zone-less value is in; Keyfleet reads those as UTC. Also tolerated: seconds, an offset,
 * a date alone, and .NET's en-US `9/2/2024 11:59:00 PM`. Unreadable or empty → null.
 */
export function parseQlmDateTime(text: string | null | undefined): QlmDateTime | null {
  const s = (text ?? '').trim();
  if (!s) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    const local = build(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    if (!local) return null;
    const zone = m[7];
    if (!zone || zone.toUpperCase() === 'Z') return local;
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offsetMs = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    const t = new Date(Date.parse(local.instant) - offsetMs);
    const instant = t.toISOString().replace('.000Z', 'Z');
    // 9999-12-31T23:59-14:00 is in year 10000 in UTC, which has no four-digit form: unreadable.
    if (!/^\d{4}-/.test(instant)) return null;
    return { instant, date: `${m[1]}-${m[2]}-${m[3]}` };
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(s);
  if (m) {
    let h = Number(m[4] ?? 0);
    const ampm = m[7]?.toUpperCase();
    if (ampm === 'PM' && h < 12) h += 12;
    if (ampm === 'AM' && h === 12) h = 0;
    return build(Number(m[3]), Number(m[1]), Number(m[2]), h, Number(m[5] ?? 0), Number(m[6] ?? 0));
  }
  return null;
}
