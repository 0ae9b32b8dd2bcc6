import type { SortingState, VisibilityState } from '@tanstack/react-table';
import { EMPTY_LICENSE_FILTERS, type LicenseFilters } from './licenseFilters.ts';

export interface SavedView {
  name: string;
  filters: LicenseFilters;
  sorting: SortingState;
  columnVisibility: VisibilityState;
}

export const VIEWS_KEY = 'keyfleet.licenses.views';
export const COLUMNS_KEY = 'keyfleet.licenses.columns';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Saved views from localStorage; anything unreadable is dropped rather than breaking the page. */
export function loadViews(): SavedView[] {
  const raw = storage()?.getItem(VIEWS_KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((v): v is SavedView => typeof v === 'object' && v !== null && typeof (v as SavedView).name === 'string')
      .map((v) => ({
        name: v.name,
        filters: { ...EMPTY_LICENSE_FILTERS, ...(v.filters ?? {}) },
        sorting: Array.isArray(v.sorting) ? v.sorting : [],
        columnVisibility: v.columnVisibility && typeof v.columnVisibility === 'object' ? v.columnVisibility : {},
      }));
  } catch {
    return [];
  }
}

export function storeViews(views: SavedView[]): void {
  storage()?.setItem(VIEWS_KEY, JSON.stringify(views));
}

export function loadColumns(defaults: VisibilityState): VisibilityState {
  const raw = storage()?.getItem(COLUMNS_KEY);
  if (!raw) return defaults;
  try {
    return { ...defaults, ...(JSON.parse(raw) as VisibilityState) };
  } catch {
    return defaults;
  }
}

export function storeColumns(v: VisibilityState): void {
  storage()?.setItem(COLUMNS_KEY, JSON.stringify(v));
}
