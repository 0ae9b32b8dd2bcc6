import type { ColumnDef } from '@tanstack/react-table';
import { CellText, GridDaysLeftBadge, GridMaskedKey, GridStatusBadge, GridVendorBadge } from '../../shared/ui/GridCells.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { activeSnooze, formatDate, formatLimits, ORIGIN_LABELS } from '../../shared/format.ts';
import type { LicenseView } from '../../shared/types.ts';
import { LicenseRowMenu, type LicenseRowActions } from './LicenseRowMenu.tsx';

// Cells use the plain-element look-alikes of GridCells: this table re-renders its visible rows on
// every keystroke in the search box.
const dimDash = <CellText dimmed>—</CellText>;

/** Perpetual licenses sort after every dated one, in both directions of "soonest first". */
const daysSortValue = (l: LicenseView) => l.daysLeft ?? 1e9;

function StatusCell({ license: l }: { license: LicenseView }) {
  const snoozed = activeSnooze(l);
  return (
    <span className="kf-cell-flags">
      <GridStatusBadge status={l.status} />
      {l.muted ? (
        <span role="img" aria-label="Reminders muted" title="Reminders muted" className="kf-icon-dim">
          <Icon name="bellOff" size={13} />
        </span>
      ) : snoozed ? (
        <span role="img" aria-label={`Reminders snoozed until ${formatDate(snoozed)}`} title={`Reminders snoozed until ${formatDate(snoozed)}`} className="kf-icon-dim">
          <Icon name="snooze" size={13} />
        </span>
      ) : null}
    </span>
  );
}

export function licenseColumns(actions: LicenseRowActions): ColumnDef<LicenseView>[] {
  return [
    { id: 'client', header: 'Client', size: 130, meta: { grow: 1 }, accessorFn: (l) => l.client ?? '', cell: ({ row }) => (row.original.client ? <CellText>{row.original.client}</CellText> : dimDash) },
    { id: 'instance', header: 'Instance', size: 120, meta: { grow: 1 }, accessorFn: (l) => l.instance ?? '', cell: ({ row }) => (row.original.instance ? <CellText>{row.original.instance}</CellText> : dimDash) },
    { id: 'vendor', header: 'Vendor', size: 134, accessorFn: (l) => l.vendor, cell: ({ row }) => <GridVendorBadge vendor={row.original.vendor} /> },
    { id: 'product', header: 'Product', size: 120, meta: { grow: 1 }, accessorFn: (l) => l.product, cell: ({ row }) => <CellText title={row.original.product}>{row.original.product}</CellText> },
    {
      id: 'limits',
      header: 'Limits',
      size: 140,
      enableSorting: false,
      cell: ({ row }) => {
        const text = formatLimits(row.original.limits);
        return (
          <CellText size="xs" dimmed title={text}>
            {text}
          </CellText>
        );
      },
    },
    { id: 'validFrom', header: 'Valid from', size: 96, accessorFn: (l) => l.validFrom ?? '', cell: ({ row }) => <CellText num>{formatDate(row.original.validFrom)}</CellText> },
    { id: 'expiresAt', header: 'Valid till', size: 96, accessorFn: (l) => l.expiresAt ?? '9999-12-31', cell: ({ row }) => <CellText num>{row.original.expiresAt ? formatDate(row.original.expiresAt) : 'never'}</CellText> },
    { id: 'daysLeft', header: 'Days left', size: 106, accessorFn: daysSortValue, cell: ({ row }) => <GridDaysLeftBadge daysLeft={row.original.daysLeft} /> },
    { id: 'status', header: 'Status', size: 104, accessorFn: (l) => l.status, cell: ({ row }) => <StatusCell license={row.original} /> },
    {
      id: 'origin',
      header: 'Origin',
      size: 160,
      accessorFn: (l) => l.origin,
      cell: ({ row }) => (
        <CellText size="xs" dimmed>
          {ORIGIN_LABELS[row.original.origin] ?? row.original.origin}
        </CellText>
      ),
    },
    {
      id: 'key',
      header: 'Key',
      size: 150,
      enableSorting: false,
      cell: ({ row }) => <GridMaskedKey value={row.original.key} label={`key of ${row.original.product}${row.original.instance ? ` on ${row.original.instance}` : row.original.client ? ` for ${row.original.client}` : ''}`} />,
    },
    { id: 'actions', header: '', size: 40, enableSorting: false, enableHiding: false, meta: { label: 'Actions', align: 'right' }, cell: ({ row }) => <LicenseRowMenu license={row.original} actions={actions} /> },
  ];
}

export const DEFAULT_HIDDEN: Record<string, boolean> = { validFrom: false, origin: false };
