import { KeyfleetError } from '../../errors.ts';

/**
 * A pre-purchased key (PPK) as Loway sells it, e.g. `XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90`:
 * a 90-day QueueMetrics key for 50 agents and 1 Asterisk server, counted from the day it is
 * converted. Parsed offline; no network call.
 */
export interface ParsedPpk {
  /** The PPK exactly as it must be sent to the key server (trimmed). */
  ppk: string;
  /** The opaque part before ':'. */
  id: string;
  /** Product code, upper-case (QM = QueueMetrics). */
  product: string;
  agents: number;
  servers: number;
  days: number;
}

export const PPK_MAX_LENGTH = 200;
export const PPK_MAX_AGENTS = 100_000;
export const PPK_MAX_SERVERS = 100_000;
export const PPK_MAX_DAYS = 100_000;

const PRODUCT_NAMES: Record<string, string> = { QM: 'QueueMetrics' };

function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function reject(ppk: string, what: string): never {
  throw new KeyfleetError('BAD_INPUT', `PPK ${quoted(ppk)}: ${what}`, { field: 'ppk' });
}

function describeChar(ch: string): string {
  if (/\s/.test(ch)) return ch === ' ' ? 'a space' : `whitespace (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  if (/[\x00-\x1f\x7f]/.test(ch)) return `control character U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

function sizeField(ppk: string, name: string, text: string, max: number): number {
  if (text === '') reject(ppk, `${name} is missing`);
  if (!/^[0-9]+$/.test(text)) reject(ppk, `${name} ${quoted(text)} is not a positive integer`);
  const value = Number(text);
  if (value === 0) reject(ppk, `zero ${name}`);
  if (value > max) reject(ppk, `${value} ${name} is not a plausible size (at most ${max})`);
  return value;
}

/**
 * The PPK grammar, inferred from Loway's one published example:
 * `<opaque id>:<product>-<agents>/<servers>/<days>`. Every rule lives here so a
 * correction to the grammar is made in one place.
 */
export function parsePpk(text: string): ParsedPpk {
  const ppk = text.trim();
  if (ppk === '') reject(ppk, 'is empty');
  if (ppk.length > PPK_MAX_LENGTH) reject(ppk, `is too long (${ppk.length} characters, at most ${PPK_MAX_LENGTH})`);
  const illegal = /[^A-Za-z0-9:/._-]/.exec(ppk);
  if (illegal) reject(ppk, `contains an illegal character, ${describeChar(illegal[0])}, at position ${illegal.index + 1}`);

  const colon = ppk.indexOf(':');
  if (colon < 0) reject(ppk, "missing ':' between the key id and the license size (expected e.g. XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90)");
  if (ppk.indexOf(':', colon + 1) >= 0) reject(ppk, "has more than one ':'");
  const id = ppk.slice(0, colon);
  const spec = ppk.slice(colon + 1);
  if (id === '') reject(ppk, "key id before ':' is empty");

  const dash = spec.indexOf('-');
  if (dash < 0) reject(ppk, `missing '-' after the product code in ${quoted(spec)} (expected e.g. QM-50/1/90)`);
  const product = spec.slice(0, dash);
  if (!/^[A-Za-z][A-Za-z0-9]{0,15}$/.test(product)) {
    reject(ppk, product === '' ? 'product code is missing' : `bad product code ${quoted(product)} (expected letters and digits, e.g. QM)`);
  }
  const sizes = spec.slice(dash + 1).split('/');
  if (sizes.length !== 3) {
    reject(ppk, `expected <agents>/<servers>/<days> after the product code, got ${quoted(spec.slice(dash + 1))}`);
  }
  const [agentsText = '', serversText = '', daysText = ''] = sizes;
  const agents = sizeField(ppk, 'agents', agentsText, PPK_MAX_AGENTS);
  const servers = sizeField(ppk, 'servers', serversText, PPK_MAX_SERVERS);
  const days = sizeField(ppk, 'days', daysText, PPK_MAX_DAYS);
  return { ppk, id, product: product.toUpperCase(), agents, servers, days };
}

export interface PpkListResult {
  valid: ParsedPpk[];
  rejected: Array<{ ppk: string; reason: string }>;
  /** Each PPK that appeared more than once, listed once; only its first occurrence is parsed. */
  duplicates: string[];
}

/** One PPK per line; blank lines and surrounding whitespace are ignored. */
export function parsePpkList(text: string): PpkListResult {
  const out: PpkListResult = { valid: [], rejected: [], duplicates: [] };
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (seen.has(line)) {
      if (!reported.has(line)) {
        reported.add(line);
        out.duplicates.push(line);
      }
      continue;
    }
    seen.add(line);
    try {
      out.valid.push(parsePpk(line));
    } catch (e) {
      out.rejected.push({ ppk: line, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

export function productName(code: string): string {
  return PRODUCT_NAMES[code.toUpperCase()] ?? code;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "QueueMetrics, 50 agents, 1 server, 90 days". */
export function describePpk(p: Pick<ParsedPpk, 'product' | 'agents' | 'servers' | 'days'>): string {
  return `${productName(p.product)}, ${plural(p.agents, 'agent', 'agents')}, ${plural(p.servers, 'server', 'servers')}, ${plural(p.days, 'day', 'days')}`;
}

/** The sales term a PPK duration corresponds to (PPKs are sold for 1 month, 3 months, 1 year, 4 years). */
export function ppkDurationLabel(days: number): string {
  if (days === 30 || days === 31) return '1 month';
  if (days === 90) return '3 months';
  if (days === 365 || days === 366) return '1 year';
  if (days === 1460 || days === 1461) return '4 years';
  return plural(days, 'day', 'days');
}
