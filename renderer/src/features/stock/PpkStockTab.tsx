import { ActionIcon, Badge, Menu, SimpleGrid, Text, Tooltip } from '@mantine/core';
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../shared/ui/ConfirmDialog.tsx';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { DataGrid } from '../../shared/ui/DataGrid.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import type { PpkView } from '../../shared/types.ts';
import { PpkImportPanel } from './PpkImportPanel.tsx';
import { StockGroupsTable } from './StockGroupsTable.tsx';

const STATE_COLORS: Record<string, string> = { 'in-stock': 'teal', converted: 'yellow', installed: 'gray', refused: 'red' };

/** Whether the PPK can go onto an instance from stock (its menu item and opening its row); one converted before Keyfleet only adopts. */
function canActivate(p: PpkView): boolean {
  return (p.state === 'in-stock' || p.state === 'converted') && !p.convertedElsewhere;
}

/** A PPK's state as a badge: held and refused PPKs say why. */
function PpkStateBadge({ ppk }: { ppk: PpkView }) {
  if (ppk.heldFor) {
    return (
      <Tooltip label={`A conversion for ${ppk.heldFor} may have reached the key server without an answer: only ${ppk.heldFor} can have this PPK`} withArrow multiline w={300}>
        <Badge size="sm" variant="light" color="orange">
          held for {ppk.heldFor}
        </Badge>
      </Tooltip>
    );
  }
  if (ppk.state === 'refused') {
    return (
      <Tooltip label={`The key server refused it: ${ppk.refusal?.message ?? ''}`} withArrow multiline w={300}>
        <Badge size="sm" variant="light" color="red">
          refused: {ppk.refusal?.message ?? ''}
        </Badge>
      </Tooltip>
    );
  }
  if (ppk.convertedElsewhere) {
    return (
      <Tooltip label="Converted before Keyfleet: its key runs on an instance. It is never activated from stock; “Adopt key…” on that instance makes its key a license." withArrow multiline w={300}>
        <Badge size="sm" variant="light" color="blue">
          {ppk.instanceId ? 'adopted' : 'converted before Keyfleet'}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge size="sm" variant="light" color={STATE_COLORS[ppk.state] ?? 'gray'}>
      {ppk.state}
    </Badge>
  );
}

export function PpkStockTab() {
  const { navigate, openDialog } = useApp();
  const ppks = useApiQuery('listPpks', {});
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [removing, setRemoving] = useState<PpkView | null>(null);
  const remove = useApiMutation('removePpk');
  const [releasing, setReleasing] = useState<PpkView | null>(null);
  const release = useApiMutation('releasePpkHold');

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (ppks.data ?? []).filter((p) => !q || `${p.ppk} ${p.productName} ${p.state} ${p.heldFor ? `held ${p.heldFor}` : ''} ${p.instance ?? ''} ${p.durationLabel}`.toLowerCase().includes(q));
  }, [ppks.data, search]);

  const columns = useMemo<ColumnDef<PpkView>[]>(
    () => [
      { id: 'ppk', header: 'PPK', size: 280, meta: { grow: 2 }, accessorFn: (p) => p.ppk, cell: ({ row }) => <Text size="xs" ff="monospace" truncate>{row.original.ppk}</Text> },
      { id: 'product', header: 'Product', size: 120, accessorFn: (p) => p.productName },
      { id: 'size', header: 'Size', size: 130, accessorFn: (p) => p.agents * 1000 + p.servers, cell: ({ row }) => <Text size="sm" className="kf-num">{row.original.agents} agents · {row.original.servers} srv</Text> },
      { id: 'days', header: 'Duration', size: 100, accessorFn: (p) => p.days, cell: ({ row }) => row.original.durationLabel },
      { id: 'state', header: 'State', size: 150, accessorFn: (p) => (p.heldFor ? 'held' : p.state), cell: ({ row }) => <PpkStateBadge ppk={row.original} /> },
      { id: 'added', header: 'Added', size: 100, accessorFn: (p) => p.addedAt, cell: ({ row }) => <Text size="sm" className="kf-num">{formatDate(row.original.addedAt)}</Text> },
      { id: 'instance', header: 'Instance', size: 140, meta: { grow: 1 }, accessorFn: (p) => p.instance ?? '', cell: ({ row }) => <Text size="sm" truncate>{row.original.instance ?? '—'}</Text> },
      { id: 'key', header: 'Key', size: 180, enableSorting: false, cell: ({ row }) => (row.original.conversion ? <MaskedKey value={row.original.conversion.key} /> : <Text size="sm" c="dimmed">—</Text>) },
      {
        id: 'actions',
        header: '',
        size: 44,
        enableSorting: false,
        meta: { align: 'right', label: 'Actions' },
        cell: ({ row }) => {
          const p = row.original;
          return (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Actions for PPK ${p.ppk}`}>
                  <Icon name="dots" size={14} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {p.heldFor ? (
                  <Menu.Item leftSection={<Icon name="key" size={14} />} onClick={() => setReleasing(p)}>
                    Release hold…
                  </Menu.Item>
                ) : null}
                {canActivate(p) ? (
                  <Menu.Item leftSection={<Icon name="bolt" size={14} />} onClick={() => openDialog({ kind: 'activatePpk', ppkId: p.id })}>
                    Activate on instance…
                  </Menu.Item>
                ) : null}
                {p.state === 'in-stock' ? (
                  <Menu.Item leftSection={<Icon name="key" size={14} />} onClick={() => openDialog({ kind: 'convertPpk', ppkId: p.id })}>
                    Convert without installing…
                  </Menu.Item>
                ) : null}
                {p.instanceId ? (
                  <Menu.Item leftSection={<Icon name="external" size={14} />} onClick={() => navigate({ page: 'instance', instanceId: p.instanceId! })}>
                    Open instance
                  </Menu.Item>
                ) : null}
                {p.state === 'in-stock' || p.state === 'refused' || (p.convertedElsewhere && !p.conversion) ? (
                  <Menu.Item color="red" leftSection={<Icon name="trash" size={14} />} onClick={() => setRemoving(p)}>
                    Remove from stock…
                  </Menu.Item>
                ) : null}
              </Menu.Dropdown>
            </Menu>
          );
        },
      },
    ],
    [navigate, openDialog],
  );

  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(), getRowId: (p) => p.id });

  return (
    <div className="kf-stock-tab">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <PpkImportPanel />
        <StockGroupsTable />
      </SimpleGrid>
      <SearchInput value={search} onChange={setSearch} label="Search PPKs" placeholder="Search PPK, product, state, instance" />
      <ErrorAlert error={ppks.error} onRetry={ppks.refetch} />
      <DataGrid
        table={table}
        ariaLabel="PPKs"
        onRowOpen={(p) => canActivate(p) && openDialog({ kind: 'activatePpk', ppkId: p.id })}
        empty={ppks.isFetching ? 'Loading…' : ppks.error ? 'The PPK list could not be read.' : search ? 'No PPK matches.' : 'No PPKs yet: paste them above.'}
      />
      <ConfirmRemoveDialog        target={removing}        title="Remove PPK from stock?"        confirmLabel="Remove PPK"        remove={remove}        onClose={() => setRemoving(null)}      >
        {`${removing?.ppk ?? ''} is forgotten by Keyfleet. It stays valid at Loway: keep a copy if you may still use it.`}
      </ConfirmRemoveDialog>
      <ConfirmDialog
        opened={releasing !== null}
        title="Release the hold on this PPK?"
        confirmLabel="Release hold"
        busy={release.isPending}
        error={release.error}
        onCancel={() => {
          setReleasing(null);
          release.reset();
        }}
        onConfirm={() => {
          if (releasing) release.mutate({ ref: releasing.id }, { onSuccess: () => setReleasing(null) });
        }}
      >
        {`A conversion of ${releasing?.ppk ?? ''} for ${releasing?.heldFor ?? ''} may have reached the key server without an answer, so the server may have made its key out to ${releasing?.heldFor ?? ''}; converting it again for them gets that key back. Release it only if you know the server made no key from it: it is then in stock for anyone.`}
      </ConfirmDialog>
    </div>
  );
}
