/**
 * Webitel licensing rules (pure; no I/O). Source: Webitel's "All licenses" admin guide
 * (docs/vendors/webitel.md): CHAT and EMAIL licenses are not summed, the largest limit counts; all
 * other products combine; an expired license gives no access; CHAT is nominal only.
 */

export const WEBITEL_PRODUCTS = [
  'CALL_CENTER',
  'CALL_MANAGER',
  'VOIP_DEVICE',
  'MOBILE',
  'EMAIL',
  'CHAT',
  'QUALITY_AUDITOR',
  'CUSTOMER_SERVICE',
  'CUSTOMER_PORTAL',
] as const;

export type WebitelProduct = (typeof WEBITEL_PRODUCTS)[number];

export function isWebitelProduct(product: string): product is WebitelProduct {
  return (WEBITEL_PRODUCTS as readonly string[]).includes(product);
}

/** Products whose licenses do not add up: CHAT caps active chat gateways, EMAIL caps email profiles. */
const LARGEST_LIMIT_PRODUCTS: ReadonlySet<string> = new Set<WebitelProduct>(['CHAT', 'EMAIL']);

/** Products that only exist as nominal licenses. */
const NOMINAL_ONLY_PRODUCTS: ReadonlySet<string> = new Set<WebitelProduct>(['CHAT']);

export type CapacityRule = 'sum' | 'largest';

export function capacityRule(product: string): CapacityRule {
  return LARGEST_LIMIT_PRODUCTS.has(product) ? 'largest' : 'sum';
}

export interface CapacityLicense {
  /** Optional, only used to name a license in warnings. */
  id?: string;
  product: string;
  limit: number;
  competitive: boolean;
  validFrom?: string | null;
  /** null = no end date. */
  validTill: string | null;
}

export interface ProductCapacity {
  product: string;
  /** What the product actually allows now. */
  capacity: number;
  /** Licenses of this product given. */
  licenses: number;
  /** Licenses that are valid now and took part in the rule. */
  counted: number;
  rule: CapacityRule;
  /** Part of `capacity` that is concurrent users (competitive licenses); competitive + nominal = capacity. */
  competitive: number;
  /** Part of `capacity` that is seats assigned to named users. */
  nominal: number;
  warnings: string[];
}

type Validity = 'valid' | 'expired' | 'not-yet-valid' | 'bad-date';

function validityAt(lic: CapacityLicense, nowMs: number): Validity {
  const from = lic.validFrom ? Date.parse(lic.validFrom) : null;
  const till = lic.validTill ? Date.parse(lic.validTill) : null;
  if ((from !== null && Number.isNaN(from)) || (till !== null && Number.isNaN(till))) return 'bad-date';
  if (till !== null && till < nowMs) return 'expired';
  if (from !== null && from > nowMs) return 'not-yet-valid';
  return 'valid';
}

function licenseName(lic: CapacityLicense): string {
  return lic.id ? `license ${lic.id}` : `a ${lic.product} license`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Products in the vendor's order, then unknown ones alphabetically. */
function productOrder(a: string, b: string): number {
  const ia = (WEBITEL_PRODUCTS as readonly string[]).indexOf(a);
  const ib = (WEBITEL_PRODUCTS as readonly string[]).indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function capacityOfProduct(product: string, licenses: CapacityLicense[], nowMs: number): ProductCapacity {
  const rule = capacityRule(product);
  const warnings: string[] = [];
  if (!isWebitelProduct(product)) warnings.push(`unknown product ${product}: its licenses are added up`);

  const counted: Array<{ limit: number; competitive: boolean }> = [];
  let expired = 0;
  let notYet = 0;
  for (const lic of licenses) {
    const validity = validityAt(lic, nowMs);
    if (validity === 'bad-date') {
      warnings.push(`${licenseName(lic)} has an unreadable validity date and is not counted`);
      continue;
    }
    if (validity === 'expired') expired++;
    if (validity === 'not-yet-valid') notYet++;
    if (validity !== 'valid') continue;

    let limit = lic.limit;
    if (!Number.isFinite(limit) || limit < 0) {
      warnings.push(`${licenseName(lic)} has an invalid limit (${String(lic.limit)}) and is counted as 0`);
      limit = 0;
    }
    let competitive = lic.competitive;
    if (competitive && NOMINAL_ONLY_PRODUCTS.has(product)) {
      // The vendor says CHAT can only be nominal; keep its limit but treat it as nominal.
      warnings.push(`${licenseName(lic)} is marked competitive, but ${product} licenses are nominal only; counted as nominal`);
      competitive = false;
    }
    counted.push({ limit, competitive });
  }

  if (expired > 0) warnings.push(`${plural(expired, 'expired license')} not counted`);
  if (notYet > 0) warnings.push(`${plural(notYet, 'license')} not yet valid, not counted`);
  if (counted.length === 0 && expired > 0 && notYet === 0) {
    warnings.push(`every ${product} license has expired: access to ${product} is unavailable`);
  }

  let competitiveCap = 0;
  let nominalCap = 0;
  if (rule === 'largest') {
    let best: { limit: number; competitive: boolean } | undefined;
    for (const c of counted) if (!best || c.limit > best.limit) best = c;
    if (best) {
      if (best.competitive) competitiveCap = best.limit;
      else nominalCap = best.limit;
    }
    if (counted.length > 1) warnings.push(`${product} licenses are not summed: only the largest limit (${competitiveCap + nominalCap}) counts`);
  } else {
    for (const c of counted) {
      if (c.competitive) competitiveCap += c.limit;
      else nominalCap += c.limit;
    }
  }

  return {
    product,
    capacity: competitiveCap + nominalCap,
    licenses: licenses.length,
    counted: counted.length,
    rule,
    competitive: competitiveCap,
    nominal: nominalCap,
    warnings,
  };
}

/** What each product allows at `now`, one row per product that has at least one license. */
export function effectiveCapacity(licenses: readonly CapacityLicense[], now: Date): ProductCapacity[] {
  const byProduct = new Map<string, CapacityLicense[]>();
  for (const lic of licenses) {
    const list = byProduct.get(lic.product);
    if (list) list.push(lic);
    else byProduct.set(lic.product, [lic]);
  }
  const nowMs = now.getTime();
  return [...byProduct.keys()].sort(productOrder).map((product) => capacityOfProduct(product, byProduct.get(product) ?? [], nowMs));
}

const DAY_MS = 86_400_000;

function utcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * Calendar days (UTC) from `now` to the end date, as the admin "Status" column counts them:
 * a license ending later today has 0 days left. null when there is no (readable) end date.
 */
export function daysLeft(validTill: string | null | undefined, now: Date): number | null {
  if (!validTill) return null;
  const till = Date.parse(validTill);
  if (Number.isNaN(till)) return null;
  return Math.round((utcMidnight(till) - utcMidnight(now.getTime())) / DAY_MS);
}

export type WebitelBand = 'expired' | 'critical' | 'warning' | 'ok';

/** The admin's Status bands: ≤ 0 expired, < 30 critical, < 90 warning. No end date is 'ok'. */
export function webitelBand(days: number | null): WebitelBand {
  if (days === null) return 'ok';
  if (days <= 0) return 'expired';
  if (days < 30) return 'critical';
  if (days < 90) return 'warning';
  return 'ok';
}

export function bandLabel(days: number | null): string {
  if (days === null) return 'No end date';
  if (days <= 0) return 'Expired';
  return days === 1 ? '1 day' : `${days} days`;
}

export interface LogoutCheck {
  operatorDomainId: string | number | null | undefined;
  holderDomainId: string | number | null | undefined;
  sessions: number;
}

/** Webitel lets an operator force a user offline only within the operator's own domain, and only when the user is online. */
export function checkLogoutAllowed(check: LogoutCheck): { allowed: boolean; reason?: string } {
  const { operatorDomainId, holderDomainId, sessions } = check;
  if (operatorDomainId === null || operatorDomainId === undefined || String(operatorDomainId) === '') {
    return { allowed: false, reason: "the operator's own domain is not known" };
  }
  if (holderDomainId === null || holderDomainId === undefined || String(holderDomainId) === '') {
    return { allowed: false, reason: "the user's domain is not known" };
  }
  if (String(operatorDomainId) !== String(holderDomainId)) {
    return { allowed: false, reason: `the user belongs to domain ${holderDomainId}, not to your domain ${operatorDomainId}` };
  }
  if (!(sessions > 0)) return { allowed: false, reason: 'the user has no active session' };
  return { allowed: true };
}
