import { KeyfleetError } from '../../errors.ts';
import { isQlmPropertyExpiry } from './dates.ts';

/**
 * QLM product properties, sent as `is_pp=<category>.<name>::value::expiryDate||…`.
 * A value `{ relative: n }` changes an integer property by n on the server (`+n` / `-n`);
 * such an update is not idempotent.
 */
export type QlmPropertyValue = string | number | { relative: number };

export interface QlmProductProperty {
  category: string;
  name: string;
  value: QlmPropertyValue;
  /** `yyyy-MM-dd HH:mm:ss` (QLM Enterprise). */
  expires?: string;
}

/** What a property reads back as: plain values stay text (no number coercion). */
export interface ParsedQlmProductProperty {
  category: string;
  name: string;
  value: string | { relative: number };
  expires?: string;
}

const ITEM_SEPARATOR = '||';
const FIELD_SEPARATOR = '::';
const SIGNED_INTEGER = /^[+-]\d+$/;

function checkIdentifier(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new KeyfleetError('BAD_INPUT', `${field} must be a non-empty text`);
  if (/[.:|]/.test(value)) throw new KeyfleetError('BAD_INPUT', `${field} "${value}" must not contain ".", ":" or "|" (they separate product properties)`);
}

function valueText(value: QlmPropertyValue, field: string): string {
  if (typeof value === 'object' && value !== null) {
    if (!Number.isSafeInteger(value.relative)) {
      throw new KeyfleetError('BAD_INPUT', `${field}.relative must be a whole number, got ${String(value.relative)}`);
    }
    return value.relative < 0 ? `-${-value.relative}` : `+${value.relative}`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new KeyfleetError('BAD_INPUT', `${field} must be a finite number, got ${String(value)}`);
    // The server reads a leading sign as "change by", so an absolute value cannot be negative.
    if (value < 0) throw new KeyfleetError('BAD_INPUT', `${field} ${value} would be read as a decrement; use { relative: ${value} } to decrease, or a value ≥ 0`);
    return String(value);
  }
  if (typeof value !== 'string') throw new KeyfleetError('BAD_INPUT', `${field} must be text, a number or { relative: n }`);
  if (SIGNED_INTEGER.test(value.trim())) {
    throw new KeyfleetError('BAD_INPUT', `${field} "${value}" would be read as a relative change; use { relative: n } for that`);
  }
  if (value.includes(FIELD_SEPARATOR) || value.includes(ITEM_SEPARATOR) || /^[:|]|[:|]$/.test(value)) {
    throw new KeyfleetError('BAD_INPUT', `${field} "${value}" must not contain "::" or "||" nor start or end with ":" or "|"`);
  }
  return value;
}

export function hasRelativeProperty(props: readonly QlmProductProperty[] | undefined): boolean {
  return !!props?.some((p) => typeof p.value === 'object' && p.value !== null);
}

export function buildProductProperties(props: readonly QlmProductProperty[], field = 'productProperties'): string {
  if (!Array.isArray(props) || props.length === 0) {
    throw new KeyfleetError('BAD_INPUT', `${field} must list at least one property`);
  }
  const seen = new Set<string>();
  return props
    .map((p, i) => {
      const at = `${field}[${i}]`;
      checkIdentifier(p?.category, `${at}.category`);
      checkIdentifier(p.name, `${at}.name`);
      const id = `${p.category}.${p.name}`;
      if (seen.has(id)) throw new KeyfleetError('BAD_INPUT', `${field} names ${id} twice`);
      seen.add(id);
      const value = valueText(p.value, `${at}.value`);
      if (p.expires === undefined) return `${id}${FIELD_SEPARATOR}${value}`;
      if (!isQlmPropertyExpiry(p.expires)) {
        throw new KeyfleetError('BAD_INPUT', `${at}.expires must be a real "yyyy-MM-dd HH:mm:ss", got ${String(p.expires)}`);
      }
      return `${id}${FIELD_SEPARATOR}${value}${FIELD_SEPARATOR}${p.expires}`;
    })
    .join(ITEM_SEPARATOR);
}

/** Reads an is_pp text back (inverse of buildProductProperties). */
export function parseProductProperties(text: string): ParsedQlmProductProperty[] {
  const out: ParsedQlmProductProperty[] = [];
  for (const item of text.split(ITEM_SEPARATOR)) {
    if (!item.trim()) continue;
    const [id = '', value, expires, ...extra] = item.split(FIELD_SEPARATOR);
    const dot = id.indexOf('.');
    if (dot <= 0 || dot === id.length - 1 || value === undefined || extra.length > 0) {
      throw new KeyfleetError('BAD_INPUT', `product property "${item.slice(0, 80)}" is not <category>.<name>::value[::expiry]`);
    }
    const parsed: ParsedQlmProductProperty = {
      category: id.slice(0, dot),
      name: id.slice(dot + 1),
      value: SIGNED_INTEGER.test(value) ? { relative: Number(value) } : value,
    };
    if (expires !== undefined && expires !== '') parsed.expires = expires;
    out.push(parsed);
  }
  return out;
}
