import { Button, Checkbox, Chip, Group, NumberInput } from '@mantine/core';
import { memo, useCallback, useRef } from 'react';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { activeFilterCount, EMPTY_LICENSE_FILTERS, type LicenseFilters } from './licenseFilters.ts';
import { VENDOR_LABELS } from '../../shared/format.ts';
import { PickAnyFilter, PickOneFilter } from '../../shared/ui/FilterPickers.tsx';

const STATUSES = ['active', 'expiring', 'expired', 'not-running', 'revoked', 'superseded'];

type SetFilter = <K extends keyof LicenseFilters>(k: K, v: LicenseFilters[K]) => void;

/**
 * The search box, then the other filters. Those are memoised on their own values with a stable
 * setter, so typing in the search box re-renders the box and not the pickers (the client list
 * of a large fleet has hundreds of options).
 */
export function LicenseFiltersBar({
  filters,
  onChange,
  clients,
  tags,
}: {
  filters: LicenseFilters;
  onChange: (f: LicenseFilters) => void;
  clients: Array<{ value: string; label: string }>;
  tags: string[];
}) {
  const latest = useRef({ filters, onChange });
  latest.current = { filters, onChange };
  const set = useCallback<SetFilter>((k, v) => latest.current.onChange({ ...latest.current.filters, [k]: v }), []);
  const clear = useCallback(() => latest.current.onChange(EMPTY_LICENSE_FILTERS), []);
  const onSearch = useCallback((v: string) => set('search', v), [set]);
  const count = activeFilterCount(filters);
  return (
    <Group gap="xs" wrap="wrap" className="kf-toolbar" role="search" aria-label="License filters">
      <SearchInput value={filters.search} onChange={onSearch} label="Search licenses" placeholder="Search client, instance, product, key" w={250} />
      <OtherFilters
        vendors={filters.vendors}
        clientIds={filters.clients}
        statuses={filters.statuses}
        tag={filters.tag}
        daysMin={filters.daysMin}
        daysMax={filters.daysMax}
        includeSuperseded={filters.includeSuperseded}
        clients={clients}
        tags={tags}
        set={set}
      />
      {count ? (
        <Button size="compact-xs" variant="subtle" color="gray" onClick={clear}>
          Clear {count} filter{count === 1 ? '' : 's'}
        </Button>
      ) : null}
    </Group>
  );
}

const OtherFilters = memo(function OtherFilters({
  vendors,
  clientIds,
  statuses,
  tag,
  daysMin,
  daysMax,
  includeSuperseded,
  clients,
  tags,
  set,
}: {
  vendors: string[];
  clientIds: string[];
  statuses: string[];
  tag: string | null;
  daysMin: number | null;
  daysMax: number | null;
  includeSuperseded: boolean;
  clients: Array<{ value: string; label: string }>;
  tags: string[];
  set: SetFilter;
}) {
  const num = (v: string | number) => (v === '' || v === null ? null : Number(v));
  return (
    <>
      <Chip.Group multiple value={vendors} onChange={(v) => set('vendors', v)}>
        <Group gap={4} role="group" aria-label="Vendor">
          {Object.entries(VENDOR_LABELS).map(([v, label]) => (
            <Chip key={v} value={v} size="xs" variant="outline">
              {label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <PickAnyFilter w={170} data={clients} value={clientIds} onChange={(v) => set('clients', v)} anyText="Any client" label="Filter by client" searchable maxDropdownHeight={280} />
      <PickAnyFilter w={150} data={STATUSES} value={statuses} onChange={(v) => set('statuses', v)} anyText="Any status" label="Filter by status" />
      <PickOneFilter w={120} data={tags} value={tag} onChange={(v) => set('tag', v)} anyText="Any tag" label="Filter by instance tag" searchable />
      <Group gap={4} wrap="nowrap" role="group" aria-label="Days left range">
        <NumberInput size="xs" w={82} placeholder="min d" aria-label="Minimum days left" value={daysMin ?? ''} onChange={(v) => set('daysMin', num(v))} allowDecimal={false} />
        <span aria-hidden="true">–</span>
        <NumberInput size="xs" w={82} placeholder="max d" aria-label="Maximum days left" value={daysMax ?? ''} onChange={(v) => set('daysMax', num(v))} allowDecimal={false} />
      </Group>
      <Checkbox size="xs" label="Superseded" checked={includeSuperseded} onChange={(e) => set('includeSuperseded', e.currentTarget.checked)} />
    </>
  );
});
