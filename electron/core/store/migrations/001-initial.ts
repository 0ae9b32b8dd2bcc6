import type { Migration } from './index.ts';
import { DEFAULT_SETTINGS } from '../schema.ts';

/** From an empty or hand-made file to version 1: every collection present, settings complete. */
export const m001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(data) {
    const arrays = ['clients', 'instances', 'credentials', 'sources', 'ppks', 'licenses', 'fired', 'lowStockFired', 'pending'];
    const out: Record<string, unknown> = { ...data };
    for (const key of arrays) if (!Array.isArray(out[key])) out[key] = [];
    const settings = typeof out.settings === 'object' && out.settings !== null ? (out.settings as Record<string, unknown>) : {};
    // Settings as version 1 knew them; later fields arrive with their own migrations.
    const { stockThresholds: _later, ...v1Defaults } = DEFAULT_SETTINGS;
    out.settings = { ...v1Defaults, ...settings };
    out.schemaVersion = 1;
    return out;
  },
};
