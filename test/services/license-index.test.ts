import { describe, expect, it } from 'vitest';
import { keepLicenseIndex, positionsOf, takeLicenseIndex, upsertLicense, type ReadLicense } from '../../electron/core/services/license-index.ts';
import type { License } from '../../electron/core/store/schema.ts';
import { seedLicense } from '../e2e/seed.ts';

const AT = '2026-01-02T03:04:05.000Z';
const read = (vendor: License['vendor'], instanceId: string | undefined, key: string, product = 'P'): ReadLicense => ({
  vendor,
  key,
  product,
  limits: {},
  expiresAt: null,
  origin: 'instance',
  ...(instanceId ? { instanceId } : {}),
});

describe('license index', () => {
  it('refreshes a license read again (same vendor, instance and key) in place and brings a superseded one back', () => {
    const licenses = [seedLicense('li_a', 'webitel', 10, { instanceId: 'in_1', key: 'K1', status: 'superseded' }), seedLicense('li_b', 'webitel', 10, { instanceId: 'in_2', key: 'K1' })];
    const copy = licenses.slice();
    const index = takeLicenseIndex(licenses);
    upsertLicense(copy, index, read('webitel', 'in_1', 'K1', 'CHAT'), AT);
    expect(copy).toHaveLength(2);
    expect(copy[0]).toMatchObject({ id: 'li_a', product: 'CHAT', status: 'active', updatedAt: AT });
    expect(copy[1]).toBe(licenses[1]);
    expect(licenses[0]!.product).toBe('CALL_CENTER');
  });

  it('adds a license never seen, with a new id, and keeps every table in step for the next fold', () => {
    const licenses = [seedLicense('li_a', 'queuemetrics', 10, { instanceId: 'in_1', key: 'QK' })];
    const copy = licenses.slice();
    const index = takeLicenseIndex(licenses);
    upsertLicense(copy, index, read('queuemetrics', 'in_2', 'QK'), AT);
    upsertLicense(copy, index, read('webitel', 'in_1', 'W1'), AT);
    expect(copy).toHaveLength(3);
    expect(copy[2]).toMatchObject({ id: expect.stringMatching(/^lic_/), status: 'active', replaces: [], createdAt: AT });
    expect(positionsOf(index, 'in_1')).toEqual([0, 2]);
    expect(positionsOf(index, 'in_2')).toEqual([1]);
    expect(positionsOf(index, 'in_none')).toEqual([]);
    // The first QueueMetrics license with a key stays the one found by that key.
    expect(index.qmByKey.get('QK')).toBe(0);

    keepLicenseIndex(copy, index);
    expect(takeLicenseIndex(copy)).toBe(index);
    // Taken once, the array no longer owns them: a second take builds fresh, equal tables.
    const rebuilt = takeLicenseIndex(copy);
    expect(rebuilt).not.toBe(index);
    expect(rebuilt).toEqual(index);
  });
});
