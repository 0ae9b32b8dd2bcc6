import { Button, Group, Text } from '@mantine/core';
import { getCoreRowModel, getFilteredRowModel, useReactTable, type FilterFn, type SortingState, type VisibilityState } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DataGrid } from '../../shared/ui/DataGrid.tsx';
import { EmptyHint } from '../../shared/ui/EmptyHint.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatCount } from '../../shared/format.ts';
import { EMPTY_LICENSE_FILTERS, licenseMatcher, type LicenseFilters } from './licenseFilters.ts';
import { sortRows } from '../../shared/sortRows.ts';
import { loadColumns, loadViews, storeColumns, storeViews, type SavedView } from './savedViews.ts';
import type { LicenseView } from '../../shared/types.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import { DEFAULT_HIDDEN, licenseColumns } from './licenseColumns.tsx';
import { LicenseFiltersBar } from './LicenseFiltersBar.tsx';
import type { LicenseRowActions } from './LicenseRowMenu.tsx';
import { SavedViews } from './SavedViews.tsx';
import { SnoozeDialog } from './SnoozeDialog.tsx';

const NO_LICENSES: LicenseView[] = [];

/** The filters travel to the table as its global filter, with the predicate built once per change. */
interface GlobalFilter {
  matches: (l: LicenseView) => boolean;
}
const byFilters: FilterFn<LicenseView> = (row, _columnId, f: GlobalFilter) => f.matches(row.original);

/**
 * Every license across vendors in one virtualised table. The list is sorted once per sort change
 * and the table keeps it whole (its rows are built once), filtering in place: a keystroke in the
 * search box costs one predicate call per license, not a new table or a new sort.
 */
export function LicensesPage({ presetFilters, highlightId }: { presetFilters?: Partial<LicenseFilters> | undefined; highlightId?: string | undefined }) {
  const { openDialog } = useApp();
  const [filters, setFilters] = useState<LicenseFilters>({ ...EMPTY_LICENSE_FILTERS, ...presetFilters });
  const [sorting, setSorting] = useState<SortingState>([{ id: 'daysLeft', desc: false }]);
  const [visibility, setVisibility] = useState<VisibilityState>(() => loadColumns(DEFAULT_HIDDEN));
  const [views, setViews] = useState<SavedView[]>(() => loadViews());
  const [currentView, setCurrentView] = useState<string | null>(null);
  const [snoozing, setSnoozing] = useState<LicenseView | null>(null);
  const update = useApiMutation('updateLicense');
  const updateLicense = update.mutate;
  const [actionSubject, setActionSubject] = useState('');

  useEffect(() => {
    if (presetFilters) {
      setFilters({ ...EMPTY_LICENSE_FILTERS, ...presetFilters });
      setCurrentView(null);
    }
  }, [presetFilters]);

  const licenses = useApiQuery('listLicenses', filters.includeSuperseded ? { includeSuperseded: true } : {});
  const instances = useApiQuery('listInstances', {});
  const clients = useApiQuery('listClients', {});

  const tagsByInstance = useMemo(() => new Map((instances.data ?? []).map((i) => [i.id, i.tags])), [instances.data]);
  const allTags = useMemo(() => [...new Set((instances.data ?? []).flatMap((i) => i.tags))].sort(), [instances.data]);
  const clientOptions = useMemo(() => (clients.data ?? []).map((c) => ({ value: c.id, label: c.name })), [clients.data]);
  const globalFilter = useMemo<GlobalFilter>(() => ({ matches: licenseMatcher(filters, tagsByInstance) }), [filters, tagsByInstance]);

  const actions = useMemo<LicenseRowActions>(
    () => ({
      setMuted: (l, muted) => {
        setActionSubject(`${muted ? 'Mute' : 'Unmute'} ${l.product}${l.instance ? ` on ${l.instance}` : ''}`);
        updateLicense({ id: l.id, muted });
      },
      snooze: (l, days) => {
        setActionSubject(`Snooze ${l.product}${l.instance ? ` on ${l.instance}` : ''} for ${days} days`);
        updateLicense({ id: l.id, snoozeDays: days });
      },
      askSnooze: (l) => setSnoozing(l),
    }),
    // mutate is stable, so the columns (and every row) are built once.
    [updateLicense],
  );
  const columns = useMemo(() => licenseColumns(actions), [actions]);

  const onVisibility = useCallback((updater: VisibilityState | ((old: VisibilityState) => VisibilityState)) => {
    setVisibility((old) => {
      const next = typeof updater === 'function' ? updater(old) : updater;
      storeColumns(next);
      return next;
    });
  }, []);

  // Sorted once per sort or fetch; the filter then keeps that order (see sortRows).
  const sorted = useMemo(() => sortRows(licenses.data ?? NO_LICENSES, sorting, columns) as LicenseView[], [licenses.data, sorting, columns]);

  const table = useReactTable({
    data: sorted,
    columns,
    state: { sorting, columnVisibility: visibility, globalFilter },
    onSortingChange: setSorting,
    onColumnVisibilityChange: onVisibility,
    globalFilterFn: byFilters,
    // One column carries the global filter, so the predicate runs once per license (not once per cell).
    getColumnCanGlobalFilter: (column) => column.id === 'client',
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    manualSorting: true,
    getRowId: (l) => l.id,
  });
  const rows = table.getRowModel().rows;

  const saveView = (name: string) => {
    const next = [...views.filter((v) => v.name !== name), { name, filters, sorting, columnVisibility: visibility }].sort((a, b) => a.name.localeCompare(b.name));
    setViews(next);
    storeViews(next);
    setCurrentView(name);
  };
  const applyView = (v: SavedView) => {
    setFilters(v.filters);
    setSorting(v.sorting);
    onVisibility({ ...DEFAULT_HIDDEN, ...v.columnVisibility });
    setCurrentView(v.name);
  };
  const deleteView = (name: string) => {
    const next = views.filter((v) => v.name !== name);
    setViews(next);
    storeViews(next);
    setCurrentView(null);
  };

  const total = licenses.data?.length ?? 0;
  return (
    <div className="kf-page kf-page-fill">
      <PageHeader
        title="Licenses"
        subtitle={
          licenses.data ? (
            <span aria-live="polite">
              {rows.length === total ? `${formatCount(total)} license${total === 1 ? '' : 's'}` : `${formatCount(rows.length)} of ${formatCount(total)} license${total === 1 ? '' : 's'}`}
            </span>
          ) : (
            'Loading…'
          )
        }
        actions={
          <>
            <SavedViews views={views} current={currentView} onApply={applyView} onSave={saveView} onDelete={deleteView} />
            <ColumnChooser table={table} />
            <Button size="xs" variant="default" leftSection={<Icon name="download" size={14} />} onClick={() => openDialog({ kind: 'export', what: 'licenses', ids: rows.map((r) => r.original.id) })} disabled={rows.length === 0}>
              Export
            </Button>
          </>
        }
      />
      <LicenseFiltersBar
        filters={filters}
        onChange={(f) => {
          setFilters(f);
          setCurrentView(null);
        }}
        clients={clientOptions}
        tags={allTags}
      />
      <ErrorAlert error={licenses.error} onRetry={licenses.refetch} />
      {update.error ? (
        <div>
          <Text size="xs" c="dimmed" mb={2}>
            {actionSubject}
          </Text>
          <ErrorAlert error={update.error} onClose={update.reset} compact />
        </div>
      ) : null}
      {licenses.data && total === 0 ? (
        <EmptyHint
          icon="licenses"
          title="No licenses yet"
          description="Licenses appear when Keyfleet reads an instance, converts a PPK, creates QLM keys or imports a Webitel certificate."
          actions={
            <Group gap="xs">
              <Button size="sm" onClick={() => openDialog({ kind: 'refresh', label: 'all instances' })}>
                Refresh all instances
              </Button>
              <Button size="sm" variant="default" onClick={() => openDialog({ kind: 'importPpks' })}>
                Import PPKs
              </Button>
            </Group>
          }
        />
      ) : (
        <DataGrid table={table} ariaLabel="Licenses" highlightRowId={highlightId} empty={licenses.isFetching ? 'Loading…' : 'No license matches these filters.'} />
      )}
      <SnoozeDialog license={snoozing} onClose={() => setSnoozing(null)} onSnooze={actions.snooze} />
    </div>
  );
}
