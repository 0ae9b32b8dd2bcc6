import { Alert, Badge, Button, Group, SegmentedControl, Text } from '@mantine/core';
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { DataGrid } from '../../shared/ui/DataGrid.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiQuery } from '../../shared/api/queries.ts';
import { formatDateTime } from '../../shared/format.ts';
import type { HistoryEvent } from '../../shared/types.ts';
import { OUTCOME_COLORS } from '../instances/InstanceHistory.tsx';
import { PickOneFilter } from '../../shared/ui/FilterPickers.tsx';

const LIMIT = 20_000;

/** The append-only event log: every action that touched a vendor or a key. */
export function HistoryPage() {
  const { openDialog } = useApp();
  const [instance, setInstance] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [outcome, setOutcome] = useState('all');
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'at', desc: true }]);
  const instances = useApiQuery('listInstances', {});
  const history = useApiQuery('listHistory', { limit: LIMIT, ...(instance ? { instance } : {}), ...(action ? { action } : {}) });
  const all = useApiQuery('listHistory', { limit: LIMIT });
  const instanceNames = useMemo(() => new Map((instances.data ?? []).map((i) => [i.id, i.name])), [instances.data]);

  const actions = useMemo(() => {
    const set = new Set<string>();
    for (const e of all.data?.events ?? []) {
      set.add(e.action);
      const dot = e.action.indexOf('.');
      if (dot > 0) set.add(e.action.slice(0, dot));
    }
    return [...set].sort();
  }, [all.data]);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (history.data?.events ?? []).filter(
      (e) => (outcome === 'all' || e.outcome === outcome) && (!q || `${e.action} ${e.target} ${e.summary ?? ''} ${e.error?.message ?? ''} ${e.actor}`.toLowerCase().includes(q)),
    );
  }, [history.data, outcome, search]);

  const columns = useMemo<ColumnDef<HistoryEvent>[]>(
    () => [
      { id: 'at', header: 'When', size: 140, accessorFn: (e) => e.at, cell: ({ row }) => <Text size="sm" className="kf-num">{formatDateTime(row.original.at)}</Text> },
      { id: 'outcome', header: 'Outcome', size: 100, accessorFn: (e) => e.outcome, cell: ({ row }) => <Badge size="sm" variant="light" color={OUTCOME_COLORS[row.original.outcome] ?? 'gray'}>{row.original.outcome}</Badge> },
      { id: 'action', header: 'Action', size: 150, accessorFn: (e) => e.action, cell: ({ getValue }) => <Text size="sm" ff="monospace">{String(getValue())}</Text> },
      { id: 'target', header: 'Target', size: 160, meta: { grow: 1 }, accessorFn: (e) => e.target, cell: ({ getValue }) => <Text size="sm" truncate>{String(getValue())}</Text> },
      { id: 'instance', header: 'Instance', size: 130, accessorFn: (e) => (e.instanceId ? (instanceNames.get(e.instanceId) ?? e.instanceId) : ''), cell: ({ getValue }) => <Text size="sm" c="dimmed" truncate>{String(getValue()) || '—'}</Text> },
      {
        id: 'details',
        header: 'Details',
        size: 260,
        meta: { grow: 3 },
        enableSorting: false,
        cell: ({ row }) => {
          const e = row.original;
          const text = e.error ? `${e.error.code}: ${e.error.message}` : (e.summary ?? '');
          return <Text size="xs" c={e.error ? 'red' : 'dimmed'} truncate title={text}>{text || '—'}</Text>;
        },
      },
      { id: 'actor', header: 'By', size: 80, accessorFn: (e) => e.actor, cell: ({ getValue }) => <Text size="xs" c="dimmed">{String(getValue())}</Text> },
    ],
    [instanceNames],
  );

  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(), getRowId: (e) => e.id });
  const total = history.data?.events.length ?? 0;

  return (
    <div className="kf-page kf-page-fill">
      <PageHeader
        title="History"
        subtitle={history.data ? `${rows.length === total ? total : `${rows.length} of ${total}`} events${total >= LIMIT ? ' (newest only)' : ''}` : 'Loading…'}
        actions={
          <Button variant="default" leftSection={<Icon name="download" size={14} />} onClick={() => openDialog({ kind: 'export', what: 'history', ...(instance ? { instance } : {}) })}>
            Export
          </Button>
        }
      />
      <Group gap="xs" className="kf-toolbar">
        <SearchInput value={search} onChange={setSearch} label="Search history" placeholder="Search target, message" />
        <PickOneFilter w={170} anyText="Any action" label="Filter by action" data={actions} value={action} onChange={setAction} searchable />
        <PickOneFilter w={180} anyText="Any instance" label="Filter by instance" data={(instances.data ?? []).map((i) => ({ value: i.id, label: i.name }))} value={instance} onChange={setInstance} searchable />
        <SegmentedControl
          size="xs"
          aria-label="Filter by outcome"
          value={outcome}
          onChange={setOutcome}
          data={[
            { value: 'all', label: 'All' },
            { value: 'ok', label: 'OK' },
            { value: 'failed', label: 'Failed' },
            { value: 'started', label: 'Started' },
            { value: 'info', label: 'Info' },
          ]}
        />
      </Group>
      <ErrorAlert error={history.error} onRetry={history.refetch} />
      {history.data?.warnings.length ? (
        <Alert color="yellow" variant="light" title="Some journal lines were skipped" py={6}>
          <Text size="xs">{history.data.warnings.slice(0, 3).join(' · ')}</Text>
        </Alert>
      ) : null}
      <DataGrid table={table} ariaLabel="History" empty={history.isFetching ? 'Loading…' : 'No event matches.'} />
    </div>
  );
}
