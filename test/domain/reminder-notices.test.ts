import { describe, expect, it } from 'vitest';
import {
  lowStockReminders,
  lowStockText,
  reminderText,
  updateLowStockFired,
} from '../../electron/core/domain/reminders.ts';
import type { LowStockFired, StockGroup } from '../../electron/core/domain/reminders.ts';
import { expectKeyfleetError } from '../helpers/errors.ts';

/** Low PPK stock reminders and the text of every notice. */

describe('low PPK stock', () => {
  const group = (inStock: number, threshold = 2): StockGroup => ({ key: 'qm-10', label: 'QueueMetrics 10 agents', inStock, threshold });

  it('fires at the threshold, again on each further drop, and again only after a restock above it', () => {
    let fired: LowStockFired[] = [];
    const step = (g: StockGroup, at: string) => {
      const due = lowStockReminders([g], fired);
      fired = updateLowStockFired(fired, [g], due, new Date(at));
      return due.map((d) => d.inStock);
    };
    expect(step(group(3), '2026-01-01T00:00:00Z')).toEqual([]);
    expect(step(group(2), '2026-01-02T00:00:00Z')).toEqual([2]);
    expect(step(group(2), '2026-01-03T00:00:00Z')).toEqual([]);
    expect(step(group(1), '2026-01-04T00:00:00Z')).toEqual([1]);
    expect(fired).toEqual([{ key: 'qm-10', level: 1, firedAt: '2026-01-04T00:00:00.000Z' }]);
    expect(step(group(2), '2026-01-05T00:00:00Z')).toEqual([]); // partial restock, still low: stay quiet
    expect(step(group(1), '2026-01-06T00:00:00Z')).toEqual([]);
    expect(step(group(0), '2026-01-07T00:00:00Z')).toEqual([0]);
    expect(step(group(5), '2026-01-08T00:00:00Z')).toEqual([]); // restocked: re-armed
    expect(fired).toEqual([]);
    expect(step(group(2), '2026-01-09T00:00:00Z')).toEqual([2]);
  });

  it('keeps records of groups missing from the list and handles a zero threshold', () => {
    const fired: LowStockFired[] = [{ key: 'gone', level: 0, firedAt: '2026-01-01T00:00:00.000Z' }];
    expect(updateLowStockFired(fired, [group(9)], [], new Date('2026-01-02T00:00:00Z'))).toEqual(fired);
    expect(lowStockReminders([group(0, 0)], []).map((d) => d.key)).toEqual(['qm-10']);
    expect(lowStockReminders([group(1, 0)], [])).toEqual([]);
  });

  it('rejects malformed counts, naming the group', () => {
    expectKeyfleetError(() => lowStockReminders([group(-1)], []), 'BAD_INPUT', /stock of QueueMetrics 10 agents must be a whole number ≥ 0, got -1/);
    expectKeyfleetError(() => lowStockReminders([group(1, 1.5)], []), 'BAD_INPUT', /low-stock threshold of QueueMetrics 10 agents/);
  });

  it('words the notice', () => {
    expect(lowStockText({ key: 'k', label: 'QueueMetrics 10 agents', inStock: 1, threshold: 2 })).toEqual({
      title: 'Low PPK stock: QueueMetrics 10 agents',
      body: '1 PPK left in stock (reminder threshold 2).',
    });
    expect(lowStockText({ key: 'k', label: 'QM', inStock: 0, threshold: 2 }).title).toBe('Out of PPK stock: QM');
  });
});

describe('reminderText', () => {
  const info = { product: 'QueueMetrics', clientName: 'Acme', instanceName: 'qm-acme' };
  it('says days left, tomorrow, today and expired', () => {
    expect(reminderText({ daysLeft: 7, expiresAt: '2026-12-01' }, info)).toEqual({
      title: 'QueueMetrics license for Acme expires in 7 days (2026-12-01)',
      body: 'Its last valid day is 2026-12-01. Instance: qm-acme.',
    });
    expect(reminderText({ daysLeft: 1, expiresAt: '2026-12-01' }, info).title).toBe('QueueMetrics license for Acme expires tomorrow (2026-12-01)');
    expect(reminderText({ daysLeft: 0, expiresAt: '2026-12-01' }, info).title).toBe('QueueMetrics license for Acme expires today (2026-12-01)');
    const expired = reminderText({ daysLeft: -1, expiresAt: '2026-12-01' }, { product: 'Webitel' });
    expect(expired).toEqual({ title: 'Webitel license expired (2026-12-01)', body: 'It expired 1 day ago; its last valid day was 2026-12-01.' });
  });
});
