import { Anchor, Button, Group, Text } from '@mantine/core';
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { DaysLeftBadge, StatusDot } from '../../shared/ui/Badges.tsx';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { DataGrid } from '../../shared/ui/DataGrid.tsx';
import { EmptyHint } from '../../shared/ui/EmptyHint.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { TagList } from '../../shared/ui/TagList.tsx';
import { useApp } from '../../app/useApp.ts';
import { instanceHealth, soonestByInstance, worstHealth } from '../../shared/health.ts';
import type { Health } from '../../shared/ui/Badges.tsx';
import type { Client } from '../../shared/types.ts';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

interface ClientRow {
  client: Client;
  instances: number;
  licenses: number;
  soonest: number | null;
  health: { health: Health; label: string };
}

export function ClientsPage() {
  const { navigate, openDialog } = useApp();
  const clients = useApiQuery('listClients', {});
  const instances = useApiQuery('listInstances', {});
  const licenses = useApiQuery('listLicenses', {});
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [removing, setRemoving] = useState<Client | null>(null);
  const remove = useApiMutation('removeClient');

  const rows = useMemo<ClientRow[]>(() => {
    const soonest = soonestByInstance(licenses.data ?? []);
    const q = search.trim().toLowerCase();
    return (clients.data ?? [])
      .filter((c) => !q || `${c.name} ${c.email ?? ''} ${c.tags.join(' ')} ${c.notes ?? ''}`.toLowerCase().includes(q))
      .map((c) => {
        const own = (instances.data ?? []).filter((i) => i.clientId === c.id);
        const lic = (licenses.data ?? []).filter((l) => l.clientId === c.id && l.status !== 'superseded');
        const days = lic.map((l) => l.daysLeft).filter((d): d is number => d !== null);
        return {
          client: c,
          instances: own.length,
          licenses: lic.length,
          soonest: days.length ? Math.min(...days) : null,
          health: worstHealth(own.map((i) => instanceHealth(i, soonest.get(i.id)))),
        };
      });
  }, [clients.data, instances.data, licenses.data, search]);

  const columns = useMemo<ColumnDef<ClientRow>[]>(
    () => [
      { id: 'status', header: '', size: 34, enableSorting: false, meta: { label: 'Status', align: 'center' }, cell: ({ row }) => <StatusDot {...row.original.health} /> },
      {
        id: 'name',
        header: 'Name',
        size: 200,
        meta: { grow: 2 },
        accessorFn: (r) => r.client.name,
        cell: ({ row }) => (
          <Text size="sm" fw={500} truncate>
            {row.original.client.name}
          </Text>
        ),
      },
      { id: 'email', header: 'E-mail', size: 200, meta: { grow: 1 }, accessorFn: (r) => r.client.email ?? '', cell: ({ getValue }) => <Text size="sm" c="dimmed" truncate>{String(getValue() || '—')}</Text> },
      { id: 'tags', header: 'Tags', size: 180, enableSorting: false, cell: ({ row }) => <TagList tags={row.original.client.tags} /> },
      {
        id: 'instances',
        header: 'Instances',
        size: 100,
        meta: { align: 'right' },
        accessorFn: (r) => r.instances,
        cell: ({ row }) =>
          row.original.instances ? (
            <Anchor
              component="button"
              size="sm"
              className="kf-num"
              onClick={(e) => {
                e.stopPropagation();
                navigate({ page: 'instances', clientId: row.original.client.id });
              }}
            >
              {row.original.instances}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">0</Text>
          ),
      },
      { id: 'licenses', header: 'Licenses', size: 90, meta: { align: 'right' }, accessorFn: (r) => r.licenses, cell: ({ getValue }) => <Text size="sm" className="kf-num">{String(getValue())}</Text> },
      {
        id: 'soonest',
        header: 'Next expiry',
        size: 130,
        accessorFn: (r) => r.soonest ?? Number.POSITIVE_INFINITY,
        cell: ({ row }) => (row.original.licenses ? <DaysLeftBadge daysLeft={row.original.soonest} /> : <Text size="sm" c="dimmed">—</Text>),
      },
      {
        id: 'actions',
        header: '',
        size: 120,
        enableSorting: false,
        meta: { align: 'right', label: 'Actions' },
        cell: ({ row }) => (
          <Group gap={2} justify="flex-end" wrap="nowrap" onClick={(e) => e.stopPropagation()}>
            <TooltipIconButton
              icon="plus"
              tooltip="Add an instance for this client"
              label={`Add instance for ${row.original.client.name}`}
              onClick={() => openDialog({ kind: 'addInstance', clientId: row.original.client.id })}
            />
            <TooltipIconButton icon="edit" tooltip="Edit" label={`Edit ${row.original.client.name}`} onClick={() => openDialog({ kind: 'editClient', client: row.original.client })} />
            <TooltipIconButton icon="trash" tooltip="Remove" label={`Remove ${row.original.client.name}`} onClick={() => setRemoving(row.original.client)} danger />
          </Group>
        ),
      },
    ],
    [navigate, openDialog],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (r) => r.client.id,
  });

  const total = clients.data?.length ?? 0;
  return (
    <div className="kf-page kf-page-fill">
      <PageHeader
        title="Clients"
        subtitle={clients.data ? `${total} client${total === 1 ? '' : 's'}` : 'Loading…'}
        actions={
          <>
            <SearchInput value={search} onChange={setSearch} label="Search clients" placeholder="Search clients" />
            <Button leftSection={<Icon name="plus" size={14} />} onClick={() => openDialog({ kind: 'addClient' })}>
              Add client
            </Button>
          </>
        }
      />
      <ErrorAlert error={clients.error} onRetry={clients.refetch} />
      <ErrorAlert error={instances.error ?? licenses.error} compact />
      {clients.data && total === 0 ? (
        <EmptyHint
          icon="clients"
          title="No clients yet"
          description="A client is the firm you manage licenses for. Add one, then add its instances."
          actions={<Button size="sm" onClick={() => openDialog({ kind: 'addClient' })}>Add client</Button>}
        />
      ) : (
        <DataGrid
          table={table}
          ariaLabel="Clients"
          openOnClick
          onRowOpen={(r) => openDialog({ kind: 'editClient', client: r.client })}
          empty={search ? `No client matches “${search}”.` : 'Loading…'}
        />
      )}
      <ConfirmRemoveDialog        target={removing}        title={`Remove client ${removing?.name ?? ''}?`}        confirmLabel="Remove client"        remove={remove}        onClose={() => setRemoving(null)}      >
        Its licenses stay on record without a client. A client that still owns instances cannot be removed.
      </ConfirmRemoveDialog>
    </div>
  );
}
