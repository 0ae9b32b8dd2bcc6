import { flexRender, type Row, type RowData, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Icon } from './Icon.tsx';
import './DataGrid.css';

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Share of the spare width this column takes (columns without it keep their size). */
    grow?: number;
    align?: 'left' | 'right' | 'center';
    /** The name shown in the column chooser when the header is not plain text. */
    label?: string;
    /** Marker so TypeScript accepts the unused generic parameters. */
    _types?: [TData, TValue];
  }
}

export interface DataGridProps<T> {
  table: Table<T>;
  ariaLabel: string;
  rowHeight?: number;
  /** Enter on the active row, or a click when openOnClick is set. */
  onRowOpen?: (row: T) => void;
  openOnClick?: boolean;
  /** Row to scroll to and highlight (for example a license opened from a notification). */
  highlightRowId?: string | undefined;
  empty?: ReactNode;
  className?: string;
}

/**
 * A dense, keyboard-driven table that renders only the rows in view, so tens of thousands of
 * rows scroll smoothly. ARIA grid roles; arrows/PageUp/PageDown/Home/End move the active row,
 * Enter opens it, Space toggles its selection.
 */
export function DataGrid<T>({ table, ariaLabel, rowHeight = 34, onRowOpen, openOnClick = false, highlightRowId, empty, className }: DataGridProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridId = useId().replace(/:/g, '');
  const rows = table.getRowModel().rows;
  const [active, setActive] = useState(-1);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // A few rows beyond the view keep scrolling smooth; every extra row is mounted again on each filter change.
    overscan: 6,
    scrollPaddingStart: rowHeight,
  });

  const columns = table.getVisibleLeafColumns();
  const template = useMemo(
    () => columns.map((c) => (c.columnDef.meta?.grow ? `minmax(${c.getSize()}px, ${c.columnDef.meta.grow}fr)` : `${c.getSize()}px`)).join(' '),
    [columns],
  );
  const minWidth = useMemo(() => columns.reduce((sum, c) => sum + c.getSize(), 0), [columns]);

  // Keep the active row inside the list when filtering shrinks it.
  useEffect(() => {
    if (active >= rows.length) setActive(rows.length - 1);
  }, [rows.length, active]);

  useEffect(() => {
    if (!highlightRowId) return;
    const index = rows.findIndex((r) => r.id === highlightRowId);
    if (index >= 0) {
      setActive(index);
      virtualizer.scrollToIndex(index, { align: 'center' });
    }
    // Only when the target changes or the rows first arrive, not on every re-render.
  }, [highlightRowId, rows.length > 0]);

  const move = (to: number) => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    switch (e.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active <= 0 ? 0 : active - 1);
        break;
      case 'PageDown':
        move(active + page);
        break;
      case 'PageUp':
        move(active - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter': {
        const row = rows[active];
        if (row && onRowOpen) onRowOpen(row.original);
        break;
      }
      case ' ': {
        const row = rows[active];
        if (row?.getCanSelect()) row.toggleSelected();
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const activeRow = rows[active];
  const items = virtualizer.getVirtualItems();

  return (
    <div
      ref={scrollRef}
      className={`kf-grid ${className ?? ''}`}
      role="grid"
      aria-label={ariaLabel}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      aria-activedescendant={activeRow ? `${gridId}-r${active}` : undefined}
      aria-multiselectable={table.options.enableRowSelection ? true : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="kf-grid-inner" style={{ minWidth }}>
        <div role="rowgroup" className="kf-grid-head">
          {table.getHeaderGroups().map((hg) => (
            <div role="row" aria-rowindex={1} key={hg.id} className="kf-grid-row kf-grid-header-row" style={{ gridTemplateColumns: template }}>
              {hg.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                const align = h.column.columnDef.meta?.align;
                const content = h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext());
                return (
                  <div
                    role="columnheader"
                    key={h.id}
                    className="kf-grid-th"
                    data-align={align}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : h.column.getCanSort() ? 'none' : undefined}
                  >
                    {h.column.getCanSort() ? (
                      <button type="button" className="kf-sort" onClick={h.column.getToggleSortingHandler()} title="Sort">
                        <span className="kf-sort-label">{content}</span>
                        <Icon name={sorted === 'asc' ? 'chevronUp' : sorted === 'desc' ? 'chevronDown' : 'selector'} size={12} className={sorted ? 'kf-sort-on' : 'kf-sort-off'} />
                      </button>
                    ) : (
                      content
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        {rows.length === 0 ? (
          <div className="kf-grid-empty">{empty ?? 'Nothing to show'}</div>
        ) : (
          <div role="rowgroup" className="kf-grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((vi) => {
              const row = rows[vi.index] as Row<T>;
              return (
                <div
                  role="row"
                  id={`${gridId}-r${vi.index}`}
                  key={row.id}
                  data-row-id={row.id}
                  aria-rowindex={vi.index + 2}
                  aria-selected={row.getCanSelect() ? row.getIsSelected() : undefined}
                  className="kf-grid-row kf-grid-body-row"
                  data-active={vi.index === active || undefined}
                  data-highlight={highlightRowId === row.id || undefined}
                  data-clickable={openOnClick || undefined}
                  style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${vi.start}px)` }}
                  onClick={() => {
                    setActive(vi.index);
                    if (openOnClick && onRowOpen) onRowOpen(row.original);
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div role="gridcell" key={cell.id} className="kf-grid-td" data-align={cell.column.columnDef.meta?.align}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
