import type { Migration } from './index.ts';

/** Version 2: low-stock thresholds per PPK group, beside the global one. */
export const m002StockThresholds: Migration = {
  version: 2,
  name: 'stock-thresholds',
  up(data) {
    const settings = typeof data.settings === 'object' && data.settings !== null ? (data.settings as Record<string, unknown>) : {};
    const existing = settings.stockThresholds;
    const stockThresholds = typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {};
    return { ...data, settings: { ...settings, stockThresholds }, schemaVersion: 2 };
  },
};
