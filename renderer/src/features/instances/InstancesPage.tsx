import { ActionIcon, Badge, Button, Checkbox, Group, Menu, Paper, Text, Tooltip } from '@mantine/core';
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type RowSelectionState, type SortingState } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { DaysLeftBadge, DriftBadge, StatusDot } from '../../shared/ui/Badges.tsx';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { DataGrid } from '../../shared/ui/DataGrid.tsx';
import { EmptyHint } from '../../shared/ui/EmptyHint.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { TagList } from '../../shared/ui/TagList.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatRelative, vendorLabel } from '../../shared/format.ts';
import { instanceHealth, soonestByInstance } from '../../shared/health.ts';
import { KIND_OPTIONS, KIND_UI } from './kindUi.tsx';
import type { InstanceView } from '../../shared/types.ts';
import { PickOneFilter } from '../../shared/ui/FilterPickers.tsx';

interface InstanceRow {
  instance: InstanceView;
  soonest: number | null | undefined;
  health: ReturnType<typeof instanceHealth>;
}

export function InstancesPage({ clientId }: { clientId?: string | undefined }) {
  const { navigate, openDialog } = useApp();
  const instances = useApiQuery('listInstances', {});
  const licenses = useApiQuery('listLicenses', {});
  const clients = useApiQuery('listClients', {});
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [client, setClient] = useState<string | null>(clientId ?? null);
  const [tag, setTag] = useState<string | null>(null);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [removing, setRemoving] = useState<InstanceView | null>(null);
  const remove = useApiMutation('removeInstance');

  useEffect(() => setClient(clientId ?? null), [clientId]);

  const allTags = useMemo(() => [...new Set((instances.data ?? []).flatMap((i) => i.tags))].sort(), [instances.data]);
  const rows = useMemo<InstanceRow[]>(() => {
    const soonest = soonestByInstance(licenses.data ?? []);
    const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return (instances.data ?? [])
      .filter((i) => (!kind || i.kind === kind) && (!client || i.clientId === client) && (!tag || i.tags.includes(tag)))
      .filter((i) => {
        if (!words.length) return true;
        const hay = `${i.name} ${i.url} ${i.client ?? ''} ${i.kind} ${i.tags.join(' ')} ${i.group ?? ''} ${i.snapshot?.summary ?? ''}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      })
      .map((i) => ({ instance: i, soonest: soonest.get(i.id), health: instanceHealth(i, soonest.get(i.id)) }));
  }, [instances.data, licenses.data, search, kind, client, tag]);

  const columns = useMemo<ColumnDef<InstanceRow>[]>(
    () => [
      {
        id: 'select',
        size: 36,
        enableSorting: false,
        meta: { label: 'Select', align: 'center' },
        header: ({ table }) => (
          <Checkbox
            size="xs"
            aria-label="Select all instances"
            checked={table.getIsAllRowsSelected()}
            indeterminate={table.getIsSomeRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            size="xs"
            aria-label={`Select ${row.original.instance.name}`}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
            onClick={(e) => e.stopPropagation()}
          />
        ),
      },
      { id: 'status', header: '', size: 30, enableSorting: false, meta: { label: 'Status', align: 'center' }, cell: ({ row }) => <StatusDot {...row.original.health} /> },
      {
        id: 'name',
        header: 'Name',
        size: 170,
        meta: { grow: 2 },
        accessorFn: (r) => r.instance.name,
        cell: ({ row }) => (
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Text size="sm" fw={500} truncate>
              {row.original.instance.name}
            </Text>
            <DriftBadge drift={row.original.instance.drift} />
          </Group>
        ),
      },
      { id: 'kind', header: 'Kind', size: 104, accessorFn: (r) => r.instance.kind, cell: ({ row }) => <Text size="sm">{vendorLabel(row.original.instance.kind)}</Text> },
      { id: 'client', header: 'Client', size: 140, meta: { grow: 1 }, accessorFn: (r) => r.instance.client ?? '', cell: ({ row }) => <Text size="sm" truncate>{row.original.instance.client ?? '—'}</Text> },
      { id: 'url', header: 'URL', size: 170, meta: { grow: 1 }, accessorFn: (r) => r.instance.url, cell: ({ row }) => <Text size="xs" c="dimmed" ff="monospace" truncate>{row.original.instance.url}</Text> },
      { id: 'tags', header: 'Tags', size: 120, enableSorting: false, cell: ({ row }) => <TagList tags={row.original.instance.tags} max={2} /> },
      {
        id: 'license',
        header: 'License',
        size: 100,
        accessorFn: (r) => (r.soonest === undefined ? Number.POSITIVE_INFINITY : (r.soonest ?? 1e9)),
        cell: ({ row }) => (row.original.soonest === undefined ? <Text size="sm" c="dimmed">none</Text> : <DaysLeftBadge daysLeft={row.original.soonest} />),
      },
      {
        id: 'checked',
        header: 'Last check',
        size: 100,
        accessorFn: (r) => r.instance.lastCheck?.at ?? '',
        cell: ({ row }) => {
          const c = row.original.instance.lastCheck;
          return (
            <Text size="xs" c={c && !c.ok ? 'red' : 'dimmed'} title={c?.error?.message}>
              {c ? formatRelative(c.at) : 'never'}
            </Text>
          );
        },
      },
      {
        id: 'secret',
        header: '',
        size: 34,
        enableSorting: false,
        meta: { label: 'Secret', align: 'center' },
        cell: ({ row }) =>
          row.original.instance.hasSecret ? (
            <Tooltip label="secret stored in keychain">
              <span aria-label="secret stored in keychain" role="img" className="kf-icon-dim">
                <Icon name="lock" size={14} />
              </span>
            </Tooltip>
          ) : null,
      },
      {
        id: 'actions',
        header: '',
        size: 40,
        enableSorting: false,
        meta: { label: 'Actions', align: 'right' },
        cell: ({ row }) => {
          const i = row.original.instance;
          return (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Actions for ${i.name}`} onClick={(e) => e.stopPropagation()}>
                  <Icon name="dots" size={14} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
                <Menu.Item leftSection={<Icon name="external" size={14} />} onClick={() => navigate({ page: 'instance', instanceId: i.id })}>
                  Open
                </Menu.Item>
                <Menu.Item leftSection={<Icon name="refresh" size={14} />} onClick={() => openDialog({ kind: 'refresh', instanceIds: [i.id], label: i.name })}>
                  Check now
                </Menu.Item>
                {(KIND_UI[i.kind].rowActions ?? []).map((a) => (
                  <Menu.Item key={a.label} leftSection={<Icon name={a.icon} size={14} />} onClick={() => openDialog(a.dialog(i.id))}>
                    {a.label}
                  </Menu.Item>
                ))}
                <Menu.Item leftSection={<Icon name="edit" size={14} />} onClick={() => openDialog({ kind: 'editInstance', instance: i })}>
                  Edit…
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item color="red" leftSection={<Icon name="trash" size={14} />} onClick={() => setRemoving(i)}>
                  Remove…
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          );
        },
      },
    ],
    [navigate, openDialog],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, rowSelection: selection },
    enableRowSelection: true,
    onRowSelectionChange: setSelection,
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (r) => r.instance.id,
  });

  const selectedIds = Object.keys(selection).filter((id) => selection[id] && instances.data?.some((i) => i.id === id));
  const selectedQm = selectedIds.filter((id) => instances.data?.some((i) => i.id === id && i.kind === 'queuemetrics'));
  const total = instances.data?.length ?? 0;
  const licenseIdsOfSelection = () => (licenses.data ?? []).filter((l) => l.instanceId && selectedIds.includes(l.instanceId)).map((l) => l.id);

  return (
    <div className="kf-page kf-page-fill">
      <PageHeader
        title="Instances"
        subtitle={instances.data ? `${rows.length === total ? total : `${rows.length} of ${total}`} instance${total === 1 ? '' : 's'}` : 'Loading…'}
        actions={
          <>
            <Button variant="default" leftSection={<Icon name="bolt" size={14} />} onClick={() => navigate({ page: 'onboarding' })}>
              Bring your fleet
            </Button>
            <Button variant="default" leftSection={<Icon name="upload" size={14} />} onClick={() => openDialog({ kind: 'importInstancesCsv' })}>
              Import CSV
            </Button>
            <Button leftSection={<Icon name="plus" size={14} />} onClick={() => openDialog({ kind: 'addInstance', ...(client ? { clientId: client } : {}) })}>
              Add instance
            </Button>
          </>
        }
      />
      <Group gap="xs" className="kf-toolbar" wrap="wrap">
        <SearchInput value={search} onChange={setSearch} label="Search instances" placeholder="Search name, URL, client, tag" />
        <PickOneFilter w={150} anyText="Any kind" label="Filter by kind" data={KIND_OPTIONS} value={kind} onChange={setKind} />
        <PickOneFilter w={180} anyText="Any client" label="Filter by client" data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={client} onChange={setClient} searchable />
        <PickOneFilter w={150} anyText="Any tag" label="Filter by tag" data={allTags} value={tag} onChange={setTag} searchable />
      </Group>
      {selectedIds.length ? (
        <Paper withBorder radius="sm" px="sm" py={6} className="kf-bulkbar" role="region" aria-label="Bulk actions">
          <Group gap="xs">
            <Badge variant="filled" size="md">
              {selectedIds.length} selected
            </Badge>
            <Button size="xs" leftSection={<Icon name="refresh" size={14} />} onClick={() => openDialog({ kind: 'refresh', instanceIds: selectedIds, label: `${selectedIds.length} selected instances` })}>
              Refresh selected
            </Button>
            {selectedQm.length ? (
              <Button size="xs" variant="default" leftSection={<Icon name="bolt" size={14} />} onClick={() => openDialog({ kind: 'activateBulk', instanceIds: selectedQm })}>
                Activate PPKs…
              </Button>
            ) : null}
            <Button size="xs" variant="default" leftSection={<Icon name="download" size={14} />} onClick={() => openDialog({ kind: 'export', what: 'licenses', ids: licenseIdsOfSelection() })}>
              Export selection
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => setSelection({})}>
              Clear selection
            </Button>
          </Group>
        </Paper>
      ) : null}
      <ErrorAlert error={instances.error} onRetry={instances.refetch} />
      <ErrorAlert error={licenses.error} compact />
      {instances.data && total === 0 ? (
        <EmptyHint
          icon="instances"
          title="No instances yet"
          description="An instance is one QueueMetrics, iSymphony or Webitel server you manage. Keyfleet reads its license and keeps the password in the OS keychain."
          actions={
            <>
              <Button size="sm" onClick={() => openDialog({ kind: 'addInstance' })}>
                Add instance
              </Button>
              <Button size="sm" variant="default" onClick={() => openDialog({ kind: 'importInstancesCsv' })}>
                Import CSV
              </Button>
            </>
          }
        />
      ) : (
        <DataGrid
          table={table}
          ariaLabel="Instances"
          openOnClick
          onRowOpen={(r) => navigate({ page: 'instance', instanceId: r.instance.id })}
          empty={instances.isFetching ? 'Loading…' : 'No instance matches these filters.'}
        />
      )}
      <ConfirmRemoveDialog        target={removing}        title={`Remove instance ${removing?.name ?? ''}?`}        confirmLabel="Remove instance"        remove={remove}        onClose={() => setRemoving(null)}      >
        Its secret is deleted from the keychain. Its licenses stay on record, detached from the instance.
      </ConfirmRemoveDialog>
    </div>
  );
}
