import { Button, Checkbox, Chip, Group, MultiSelect, NumberInput, Select } from '@mantine/core';
import { SearchInput } from '../../components/SearchInput.tsx';
import { activeFilterCount, EMPTY_LICENSE_FILTERS, type LicenseFilters } from '../../lib/licenseFilters.ts';
import { VENDOR_LABELS } from '../../lib/format.ts';

const STATUSES = ['active', 'expiring', 'expired', 'revoked', 'superseded'];

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
  const set = <K extends keyof LicenseFilters>(k: K, v: LicenseFilters[K]) => onChange({ ...filters, [k]: v });
  const num = (v: string | number) => (v === '' || v === null ? null : Number(v));
  const count = activeFilterCount(filters);
  return (
    <Group gap="xs" wrap="wrap" className="kf-toolbar" role="search" aria-label="License filters">
      <SearchInput value={filters.search} onChange={(v) => set('search', v)} label="Search licenses" placeholder="Search client, instance, product, key" w={250} />
      <Chip.Group multiple value={filters.vendors} onChange={(v) => set('vendors', v)}>
        <Group gap={4} role="group" aria-label="Vendor">
          {Object.entries(VENDOR_LABELS).map(([v, label]) => (
            <Chip key={v} value={v} size="xs" variant="outline">
              {label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <MultiSelect
        size="xs"
        w={170}
        data={clients}
        value={filters.clients}
        onChange={(v) => set('clients', v)}
        placeholder={filters.clients.length ? undefined : 'Any client'}
        aria-label="Filter by client"
        searchable
        clearable
        maxDropdownHeight={280}
      />
      <MultiSelect
        size="xs"
        w={150}
        data={STATUSES}
        value={filters.statuses}
        onChange={(v) => set('statuses', v)}
        placeholder={filters.statuses.length ? undefined : 'Any status'}
        aria-label="Filter by status"
        clearable
      />
      <Select size="xs" w={120} data={tags} value={filters.tag} onChange={(v) => set('tag', v)} placeholder="Any tag" aria-label="Filter by instance tag" clearable searchable />
      <Group gap={4} wrap="nowrap" role="group" aria-label="Days left range">
        <NumberInput size="xs" w={82} placeholder="min d" aria-label="Minimum days left" value={filters.daysMin ?? ''} onChange={(v) => set('daysMin', num(v))} allowDecimal={false} />
        <span aria-hidden="true">–</span>
        <NumberInput size="xs" w={82} placeholder="max d" aria-label="Maximum days left" value={filters.daysMax ?? ''} onChange={(v) => set('daysMax', num(v))} allowDecimal={false} />
      </Group>
      <Checkbox size="xs" label="Superseded" checked={filters.includeSuperseded} onChange={(e) => set('includeSuperseded', e.currentTarget.checked)} />
      {count ? (
        <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange(EMPTY_LICENSE_FILTERS)}>
          Clear {count} filter{count === 1 ? '' : 's'}
        </Button>
      ) : null}
    </Group>
  );
}
