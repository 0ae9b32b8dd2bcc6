import { describe, expect, it } from 'vitest';
import {
  WEBITEL_PRODUCTS,
  bandLabel,
  checkLogoutAllowed,
  daysLeft,
  effectiveCapacity,
  webitelBand,
  type CapacityLicense,
} from '../../../electron/core/vendors/webitel/rules.ts';

const NOW = new Date('2025-06-15T12:00:00Z');
const FUTURE = '2026-01-01T00:00:00.000Z';
const PAST = '2025-06-01T00:00:00.000Z';

function lic(product: string, limit: number, extra: Partial<CapacityLicense> = {}): CapacityLicense {
  return { product, limit, competitive: false, validFrom: '2025-01-01T00:00:00.000Z', validTill: FUTURE, ...extra };
}

function row(licenses: CapacityLicense[], product: string) {
  const r = effectiveCapacity(licenses, NOW).find((x) => x.product === product);
  if (!r) throw new Error(`no row for ${product}`);
  return r;
}

describe('effectiveCapacity', () => {
  it('lists the nine Webitel products', () => {
    expect(WEBITEL_PRODUCTS).toEqual([
      'CALL_CENTER', 'CALL_MANAGER', 'VOIP_DEVICE', 'MOBILE', 'EMAIL', 'CHAT', 'QUALITY_AUDITOR', 'CUSTOMER_SERVICE', 'CUSTOMER_PORTAL',
    ]);
  });

  it('takes only the largest CHAT license (chat gateways are not summed)', () => {
    const r = row([lic('CHAT', 5), lic('CHAT', 3), lic('CHAT', 8)], 'CHAT');
    expect(r).toMatchObject({ capacity: 8, rule: 'largest', licenses: 3, counted: 3, nominal: 8, competitive: 0 });
    expect(r.warnings.join('\n')).toContain('not summed');
  });

  it('takes only the largest EMAIL license: 10 and 5 give 10', () => {
    expect(row([lic('EMAIL', 10), lic('EMAIL', 5)], 'EMAIL')).toMatchObject({ capacity: 10, rule: 'largest', counted: 2 });
  });

  it('adds CALL_CENTER licenses up: 10 + 15 = 25', () => {
    const r = row([lic('CALL_CENTER', 10, { competitive: true }), lic('CALL_CENTER', 15, { competitive: true })], 'CALL_CENTER');
    expect(r).toMatchObject({ capacity: 25, rule: 'sum', counted: 2, competitive: 25, nominal: 0 });
    expect(r.warnings).toEqual([]);
  });

  it('splits a sum into competitive and nominal seats', () => {
    expect(row([lic('MOBILE', 4, { competitive: true }), lic('MOBILE', 6)], 'MOBILE')).toMatchObject({ capacity: 10, competitive: 4, nominal: 6 });
  });

  it('counts an expired license for nothing', () => {
    const r = row([lic('CALL_CENTER', 10), lic('CALL_CENTER', 15, { validTill: PAST })], 'CALL_CENTER');
    expect(r).toMatchObject({ capacity: 10, licenses: 2, counted: 1 });
    expect(r.warnings).toContain('1 expired license not counted');
  });

  it('an expired larger CHAT license does not win the "largest" rule', () => {
    expect(row([lic('CHAT', 50, { validTill: PAST }), lic('CHAT', 2)], 'CHAT').capacity).toBe(2);
  });

  it('says access is unavailable when every license of a product expired', () => {
    const r = row([lic('QUALITY_AUDITOR', 3, { validTill: PAST })], 'QUALITY_AUDITOR');
    expect(r).toMatchObject({ capacity: 0, counted: 0, licenses: 1 });
    expect(r.warnings).toContain('every QUALITY_AUDITOR license has expired: access to QUALITY_AUDITOR is unavailable');
  });

  it('counts a not-yet-valid license for nothing', () => {
    const r = row([lic('CALL_CENTER', 10), lic('CALL_CENTER', 15, { validFrom: '2025-07-01T00:00:00.000Z' })], 'CALL_CENTER');
    expect(r).toMatchObject({ capacity: 10, counted: 1 });
    expect(r.warnings).toContain('1 license not yet valid, not counted');
  });

  it('a license without an end date keeps counting', () => {
    expect(row([lic('VOIP_DEVICE', 50, { validTill: null, validFrom: null })], 'VOIP_DEVICE').capacity).toBe(50);
  });

  it('keeps a competitive CHAT license as nominal, with a warning naming it', () => {
    const r = row([lic('CHAT', 4, { competitive: true, id: 'serial-9' })], 'CHAT');
    expect(r).toMatchObject({ capacity: 4, nominal: 4, competitive: 0 });
    expect(r.warnings.join('\n')).toContain('license serial-9 is marked competitive, but CHAT licenses are nominal only');
  });

  it('keeps unknown products, adding them up', () => {
    const r = row([lic('VIDEO_WALL', 2), lic('VIDEO_WALL', 3)], 'VIDEO_WALL');
    expect(r).toMatchObject({ capacity: 5, rule: 'sum' });
    expect(r.warnings[0]).toContain('unknown product VIDEO_WALL');
  });

  it('orders rows by the vendor product list, unknown ones last', () => {
    const rows = effectiveCapacity([lic('ZED', 1), lic('CHAT', 1), lic('CALL_CENTER', 1), lic('ALPHA', 1)], NOW);
    expect(rows.map((r) => r.product)).toEqual(['CALL_CENTER', 'CHAT', 'ALPHA', 'ZED']);
  });
});

describe('daysLeft and bands', () => {
  const at = (days: number) => new Date(Date.UTC(2025, 5, 15 + days, 23, 59)).toISOString();

  it('counts calendar days in UTC', () => {
    expect(daysLeft(at(0), NOW)).toBe(0);
    expect(daysLeft(at(1), NOW)).toBe(1);
    expect(daysLeft(at(-3), NOW)).toBe(-3);
    expect(daysLeft('2025-06-16T00:00:01Z', new Date('2025-06-15T23:59:59Z'))).toBe(1);
    expect(daysLeft(null, NOW)).toBeNull();
  });

  it.each([
    [0, 'expired', 'Expired'],
    [-5, 'expired', 'Expired'],
    [1, 'critical', '1 day'],
    [29, 'critical', '29 days'],
    [30, 'warning', '30 days'],
    [89, 'warning', '89 days'],
    [90, 'ok', '90 days'],
  ] as const)('%i days is %s ("%s")', (days, band, label) => {
    const d = daysLeft(at(days), NOW);
    expect(d).toBe(days);
    expect(webitelBand(d)).toBe(band);
    expect(bandLabel(d)).toBe(label);
  });

  it('no end date is ok', () => {
    expect(webitelBand(null)).toBe('ok');
    expect(bandLabel(null)).toBe('No end date');
  });
});

describe('checkLogoutAllowed', () => {
  it('allows an online user of the operator’s own domain', () => {
    expect(checkLogoutAllowed({ operatorDomainId: 1, holderDomainId: '1', sessions: 2 })).toEqual({ allowed: true });
  });

  it('refuses a user of another domain', () => {
    expect(checkLogoutAllowed({ operatorDomainId: 1, holderDomainId: 2, sessions: 2 })).toEqual({
      allowed: false,
      reason: 'the user belongs to domain 2, not to your domain 1',
    });
  });

  it('refuses a user with no session', () => {
    expect(checkLogoutAllowed({ operatorDomainId: 1, holderDomainId: 1, sessions: 0 })).toEqual({ allowed: false, reason: 'the user has no active session' });
  });

  it('refuses when a domain is unknown', () => {
    expect(checkLogoutAllowed({ operatorDomainId: null, holderDomainId: 1, sessions: 1 }).allowed).toBe(false);
    expect(checkLogoutAllowed({ operatorDomainId: 1, holderDomainId: undefined, sessions: 1 }).allowed).toBe(false);
  });
});
