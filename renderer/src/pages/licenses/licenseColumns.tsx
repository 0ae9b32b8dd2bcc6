import { Group, Text, Tooltip } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { DaysLeftBadge, StatusBadge, VendorBadge } from '../../components/Badges.tsx';
import { Icon } from '../../components/Icon.tsx';
import { MaskedKey } from '../../components/MaskedKey.tsx';
import { formatDate, formatLimits, ORIGIN_LABELS } from '../../lib/format.ts';
import type { LicenseView } from '../../types.ts';
import { LicenseRowMenu, type LicenseRowActions } from './LicenseRowMenu.tsx';

const dimDash = <Text size="sm" c="dimmed">—</Text>;

/** Perpetual licenses sort after every dated one, in both directions of "soonest first". */
const daysSortValue = (l: LicenseView) => l.daysLeft ?? 1e9;

export function licenseColumns(actions: LicenseRowActions): ColumnDef<LicenseView>[] {
  return [
    { id: 'client', header: 'Client', size: 130, meta: { grow: 1 }, accessorFn: (l) => l.client ?? '', cell: ({ row }) => (row.original.client ? <Text size="sm" truncate>{row.original.client}</Text> : dimDash) },
    { id: 'instance', header: 'Instance', size: 120, meta: { grow: 1 }, accessorFn: (l) => l.instance ?? '', cell: ({ row }) => (row.original.instance ? <Text size="sm" truncate>{row.original.instance}</Text> : dimDash) },
    { id: 'vendor', header: 'Vendor', size: 108, accessorFn: (l) => l.vendor, cell: ({ row }) => <VendorBadge vendor={row.original.vendor} /> },
    { id: 'product', header: 'Product', size: 120, meta: { grow: 1 }, accessorFn: (l) => l.product, cell: ({ getValue }) => <Text size="sm" truncate>{String(getValue())}</Text> },
    {
      id: 'limits',
      header: 'Limits',
      size: 140,
      enableSorting: false,
      cell: ({ row }) => {
        const text = formatLimits(row.original.limits);
        return <Text size="xs" c="dimmed" truncate title={text}>{text}</Text>;
      },
    },
    { id: 'validFrom', header: 'Valid from', size: 96, accessorFn: (l) => l.validFrom ?? '', cell: ({ row }) => <Text size="sm" className="kf-num">{formatDate(row.original.validFrom)}</Text> },
    { id: 'expiresAt', header: 'Valid till', size: 96, accessorFn: (l) => l.expiresAt ?? '9999-12-31', cell: ({ row }) => <Text size="sm" className="kf-num">{row.original.expiresAt ? formatDate(row.original.expiresAt) : 'never'}</Text> },
    { id: 'daysLeft', header: 'Days left', size: 100, accessorFn: daysSortValue, cell: ({ row }) => <DaysLeftBadge daysLeft={row.original.daysLeft} /> },
    {
      id: 'status',
      header: 'Status',
      size: 104,
      accessorFn: (l) => l.status,
      cell: ({ row }) => (
        <Group gap={4} wrap="nowrap">
          <StatusBadge status={row.original.status} />
          {row.original.muted ? (
            <Tooltip label="Reminders muted">
              <span role="img" aria-label="Reminders muted" className="kf-icon-dim">
                <Icon name="bellOff" size={13} />
              </span>
            </Tooltip>
          ) : null}
        </Group>
      ),
    },
    { id: 'origin', header: 'Origin', size: 110, accessorFn: (l) => l.origin, cell: ({ row }) => <Text size="xs" c="dimmed">{ORIGIN_LABELS[row.original.origin] ?? row.original.origin}</Text> },
    { id: 'key', header: 'Key', size: 150, enableSorting: false, cell: ({ row }) => <MaskedKey value={row.original.key} label={`key of ${row.original.product}${row.original.instance ? ` on ${row.original.instance}` : row.original.client ? ` for ${row.original.client}` : ''}`} /> },
    { id: 'actions', header: '', size: 40, enableSorting: false, enableHiding: false, meta: { label: 'Actions', align: 'right' }, cell: ({ row }) => <LicenseRowMenu license={row.original} actions={actions} /> },
  ];
}

export const DEFAULT_HIDDEN: Record<string, boolean> = { validFrom: false, origin: false };
