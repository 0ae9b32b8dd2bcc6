import type { LicenseView } from '../../shared/types.ts';

/** What the licenses table can be narrowed by; saved views store exactly this. */
export interface LicenseFilters {
  search: string;
  vendors: string[];
  clients: string[];
  statuses: string[];
  tag: string | null;
  daysMin: number | null;
  daysMax: number | null;
  includeSuperseded: boolean;
}

export const EMPTY_LICENSE_FILTERS: LicenseFilters = {
  search: '',
  vendors: [],
  clients: [],
  statuses: [],
  tag: null,
  daysMin: null,
  daysMax: null,
  includeSuperseded: false,
};

// The text a search is matched against, built once per license object (lists are replaced, not
// mutated, when the store changes): typing then costs a substring test per row, no allocation.
const haystacks = new WeakMap<LicenseView, string>();
function haystack(l: LicenseView): string {
  let hay = haystacks.get(l);
  if (hay === undefined) {
    hay = `${l.client ?? ''} ${l.instance ?? ''} ${l.vendor} ${l.product} ${l.key} ${l.status} ${l.origin}`.toLowerCase();
    haystacks.set(l, hay);
  }
  return hay;
}

/** A predicate for the filters: a license matches when every given filter matches; search words must all appear somewhere. */
export function licenseMatcher(f: LicenseFilters, tagsByInstance: ReadonlyMap<string, readonly string[]>): (l: LicenseView) => boolean {
  const words = f.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const vendors = new Set(f.vendors);
  const clients = new Set(f.clients);
  const statuses = new Set(f.statuses);
  return (l) => {
    if (vendors.size && !vendors.has(l.vendor)) return false;
    if (clients.size && !clients.has(l.clientId ?? '')) return false;
    if (statuses.size && !statuses.has(l.status)) return false;
    if (f.tag && !(l.instanceId && tagsByInstance.get(l.instanceId)?.includes(f.tag))) return false;
    if (f.daysMin !== null && (l.daysLeft === null || l.daysLeft < f.daysMin)) return false;
    if (f.daysMax !== null && (l.daysLeft === null || l.daysLeft > f.daysMax)) return false;
    if (words.length) {
      const hay = haystack(l);
      for (const w of words) if (!hay.includes(w)) return false;
    }
    return true;
  };
}

export function activeFilterCount(f: LicenseFilters): number {
  return (
    (f.search.trim() ? 1 : 0) +
    (f.vendors.length ? 1 : 0) +
    (f.clients.length ? 1 : 0) +
    (f.statuses.length ? 1 : 0) +
    (f.tag ? 1 : 0) +
    (f.daysMin !== null || f.daysMax !== null ? 1 : 0) +
    (f.includeSuperseded ? 1 : 0)
  );
}
