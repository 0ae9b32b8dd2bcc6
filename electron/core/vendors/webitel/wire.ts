import { z } from 'zod';
import type { IsoInstant } from '../types.ts';
import { excerpt } from '../../net/http.ts';

/**
 * Webitel's JSON as Keyfleet reads it (docs/vendors/webitel.md): proto field names, int64
 * milliseconds as numbers or strings, zeros omitted. Parsing only; the requests are in client.ts.
 */

export interface WebitelLicense {
  /** The license serial. */
  id: string;
  product: string;
  name: string;
  scope: string[];
  competitive: boolean;
  limit: number;
  remain: number;
  /** limit − remain: assigned users (nominal) or active users (competitive). */
  used: number;
  validFrom: IsoInstant | null;
  validTill: IsoInstant | null;
  status: { errors: string[]; notify: string[] };
}

export interface WebitelCustomer {
  id: string | null;
  organization: string;
  issuedAt: IsoInstant | null;
  validFrom: IsoInstant | null;
  validTill: IsoInstant | null;
  /** Product → limit granted by the customer certificate. */
  limits: Record<string, number>;
  grants: WebitelLicense[];
}

export interface WebitelLicenseUser {
  userId: string;
  userName: string;
  domainId: string | null;
  domainName: string;
  issuedAt: IsoInstant | null;
  expiresAt: IsoInstant | null;
  sessions: number;
}

/** 9999-12-31T23:59:59.999Z, the last instant with a four-digit year. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/**
 * int64 milliseconds since the epoch. proto3 JSON writes int64 as a string, some builds as a
 * number; a missing field or 0 means "not set".
 */
const int64Millis = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v, ctx): IsoInstant | null => {
    if (v === null || v === undefined || v === '' || v === 0 || v === '0') return null;
    const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Number.NaN;
    // Up to 9999-12-31: later instants print as "+275760-…", which no date field can hold.
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_FOUR_DIGIT_YEAR_MS) {
      ctx.issues.push({ code: 'custom', input: v, message: `expected milliseconds since 1970, got ${JSON.stringify(v).slice(0, 40)}` });
      return z.NEVER;
    }
    return new Date(n).toISOString();
  });

/** int32 counts: numbers, tolerated as digit strings; missing means 0 (proto3 omits zeros). */
function count(allowNegative: boolean) {
  return z
    .union([z.number(), z.string(), z.null()])
    .optional()
    .transform((v, ctx): number => {
      if (v === null || v === undefined || v === '') return 0;
      const n = typeof v === 'number' ? v : /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
      if (!Number.isSafeInteger(n) || (!allowNegative && n < 0)) {
        ctx.issues.push({ code: 'custom', input: v, message: `expected a whole number, got ${JSON.stringify(v).slice(0, 40)}` });
        return z.NEVER;
      }
      return n;
    });
}

/** Ids are int64 (string or number) or serial strings; always handled as strings here. */
const requiredId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));
const optionalId = z
  .union([z.string(), z.number().int().nonnegative(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));
const text = z.string().nullish().transform((v) => v ?? '');
const strings = z.array(z.string()).nullish().transform((v) => v ?? []);
const bool = z.boolean().nullish().transform((v) => v ?? false);

export const licenseSchema = z
  .object({
    id: requiredId,
    product: z.string().min(1),
    name: text,
    scope: strings,
    competitive: bool,
    limit: count(false),
    remain: count(true),
    not_before: int64Millis,
    not_after: int64Millis,
    status: z.object({ errors: strings, notify: strings }).nullish(),
  })
  .transform(
    (l): WebitelLicense => ({
      id: l.id,
      product: l.product,
      name: l.name,
      scope: l.scope,
      competitive: l.competitive,
      limit: l.limit,
      remain: l.remain,
      used: l.limit - l.remain,
      validFrom: l.not_before,
      validTill: l.not_after,
      status: { errors: l.status?.errors ?? [], notify: l.status?.notify ?? [] },
    }),
  );

export const licensePageSchema = z.object({
  page: count(false),
  next: bool,
  items: z.array(licenseSchema).nullish().transform((v) => v ?? []),
});

export const customerSchema = z
  .object({
    id: optionalId,
    organization: text,
    issued_at: int64Millis,
    not_before: int64Millis,
    not_after: int64Millis,
    limit: z.record(z.string(), count(false)).nullish(),
    license: z.array(licenseSchema).nullish(),
  })
  .transform(
    (c): WebitelCustomer => ({
      id: c.id,
      organization: c.organization,
      issuedAt: c.issued_at,
      validFrom: c.not_before,
      validTill: c.not_after,
      limits: { ...(c.limit ?? {}) },
      grants: c.license ?? [],
    }),
  );

/** `PUT /customer` answers `{"customer":{…}}`; tolerate a bare Customer too. */
export function unwrapCustomer(value: unknown): unknown {
  if (value && typeof value === 'object' && 'customer' in value) return (value as { customer: unknown }).customer;
  return value;
}

export const licenseUserSchema = z
  .object({
    user: z.object({ id: requiredId, name: text }),
    domain: z.object({ id: optionalId, name: text }).nullish(),
    issued_at: int64Millis,
    expires_at: int64Millis,
    sessions: count(false),
  })
  .transform(
    (u): WebitelLicenseUser => ({
      userId: u.user.id,
      userName: u.user.name,
      domainId: u.domain?.id ?? null,
      domainName: u.domain?.name ?? '',
      issuedAt: u.issued_at,
      expiresAt: u.expires_at,
      sessions: u.sessions,
    }),
  );

export const licenseUsersPageSchema = z.object({
  page: count(false),
  next: bool,
  items: z.array(licenseUserSchema).nullish().transform((v) => v ?? []),
});

// ---------------------------------------------------------------------------------------------

/** Webitel errors are `{"id","code","detail","status"}`; some gateways say `message` or `error`. */
export function webitelErrorText(bodyText: string): string {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      for (const key of ['detail', 'message', 'error'] as const) {
        const v = o[key];
        if (typeof v === 'string' && v.trim()) return excerpt(v, 300);
        if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).message === 'string') {
          return excerpt(String((v as Record<string, unknown>).message), 300);
        }
      }
      if (typeof o.status === 'string' && o.status.trim()) return excerpt(o.status);
    }
  } catch {
    // not JSON: fall back to the raw text below
  }
  return excerpt(bodyText);
}
