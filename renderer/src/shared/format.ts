/** Formatting shared by every page: dates stay ISO (unambiguous in a fleet tool), keys are masked. */
import { ORIGIN_LABELS as ORIGIN_NAMES, VENDOR_COLORS as VENDOR_COLOR_OF, VENDOR_LABELS } from '../../../electron/core/api/contract.ts';

export function maskKey(key: string): string {
  if (key.length <= 10) return key.length <= 2 ? '••' : `${key.slice(0, 2)}…`;
  return `${key.slice(0, 6)}…${key.slice(-4)}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return 'never';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const s = Math.round((now.getTime() - then) / 1000);
  const abs = Math.abs(s);
  const suffix = s >= 0 ? 'ago' : 'from now';
  if (abs < 45) return 'just now';
  if (abs < 3600) return `${Math.round(abs / 60)} min ${suffix}`;
  if (abs < 86_400) return `${Math.round(abs / 3600)} h ${suffix}`;
  return `${Math.round(abs / 86_400)} d ${suffix}`;
}

export function daysLeftLabel(daysLeft: number | null): string {
  if (daysLeft === null) return 'perpetual';
  if (daysLeft < 0) return `${-daysLeft} d ago`;
  if (daysLeft === 0) return 'today';
  return `${daysLeft} d`;
}

export function daysLeftSentence(daysLeft: number | null): string {
  if (daysLeft === null) return 'never expires';
  if (daysLeft < 0) return `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  if (daysLeft === 0) return 'expires today';
  return `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
}

/** Colour band for days left, the same everywhere (Webitel's admin uses <30 and <90). */
export function daysLeftColor(daysLeft: number | null): string {
  if (daysLeft === null) return 'gray';
  if (daysLeft < 0) return 'red';
  if (daysLeft < 30) return 'orange';
  if (daysLeft < 90) return 'yellow';
  return 'teal';
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** -1 or null means unlimited where the vendor says so. */
export function formatLimit(n: number | null | undefined): string {
  if (n === undefined) return '—';
  if (n === null || n < 0) return 'unlimited';
  return String(n);
}

export interface LimitsLike {
  agents?: number | undefined;
  servers?: number | undefined;
  seats?: number | undefined;
  connections?: number | null | undefined;
  users?: number | null | undefined;
  competitive?: boolean | undefined;
  used?: number | undefined;
}

export function formatLimits(l: LimitsLike): string {
  const parts: string[] = [];
  if (l.agents !== undefined) parts.push(`${l.agents} agent${l.agents === 1 ? '' : 's'}`);
  if (l.servers !== undefined) parts.push(`${l.servers} srv`);
  if (l.seats !== undefined) parts.push(`${l.used !== undefined ? `${l.used}/` : ''}${l.seats} seat${l.seats === 1 ? '' : 's'}`);
  if (l.users !== undefined) parts.push(`${formatLimit(l.users)} users`);
  if (l.connections !== undefined) parts.push(`${formatLimit(l.connections)} conn`);
  if (l.competitive !== undefined) parts.push(l.competitive ? 'competitive' : 'nominal');
  return parts.length ? parts.join(' · ') : '—';
}

export { VENDOR_LABELS };

/** Looked up by any vendor string a license carries (an unknown one falls back to gray where shown). */
export const VENDOR_COLORS: Readonly<Record<string, string>> = VENDOR_COLOR_OF;

/** Where a license came from, named as everywhere else (the CLI, exports' documentation). */
export const ORIGIN_LABELS: Record<string, string> = ORIGIN_NAMES;

export const STATUS_COLORS: Record<string, string> = {
  active: 'teal',
  expiring: 'orange',
  expired: 'red',
  revoked: 'gray',
  superseded: 'gray',
  // Recorded on an instance that was read running another key (drift).
  'not-running': 'orange',
};

export function vendorLabel(v: string): string {
  return (VENDOR_LABELS as Record<string, string>)[v] ?? v;
}

/** Parse "30, 14, 7" into numbers; null when any part is not a whole number. */
export function parseDayList(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return null;
    out.push(Number(p));
  }
  return out;
}

const DURATIONS: Record<number, string> = { 30: '1 month', 31: '1 month', 90: '3 months', 92: '3 months', 365: '1 year', 366: '1 year', 1460: '4 years', 1461: '4 years' };

/** "QM 50 agents · 1 srv · 3 months": fits the narrow card; the full label is the tooltip. */
export function shortStockLabel(g: { product: string; agents: number; servers: number; days: number }): string {
  return `${g.product} ${g.agents} agents · ${g.servers} srv · ${DURATIONS[g.days] ?? `${g.days} days`}`;
}

/** Today as YYYY-MM-DD in this computer's zone (snooze dates are calendar days in the user's zone). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The date reminders stay quiet until, while that is still ahead (a past snooze means nothing). */
export function activeSnooze(l: { snoozedUntil: string | null }, now: Date = new Date()): string | null {
  return l.snoozedUntil && l.snoozedUntil >= todayIso(now) ? l.snoozedUntil : null;
}

/** "60, 30, 7 days" */
export function formatStages(stages: readonly number[]): string {
  return stages.length ? `${stages.join(', ')} day${stages.length === 1 && stages[0] === 1 ? '' : 's'}` : 'none';
}
