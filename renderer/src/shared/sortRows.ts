import type { ColumnDef, SortingState } from '@tanstack/react-table';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a ?? ''), String(b ?? ''));
}

/**
 * Sort rows by the table's sorting state using the columns' accessors: numbers by value, text
 * the way people read it (case-insensitive, "qm-9" before "qm-10"), ties in their given order.
 * The big tables sort here, once per sort change, and filter the sorted list: the table's own
 * sorting would run again after every keystroke in the search box.
 */
export function sortRows<T>(rows: readonly T[], sorting: SortingState, columns: readonly ColumnDef<T>[]): readonly T[] {
  const keys = sorting.flatMap((s) => {
    const column = columns.find((c) => c.id === s.id);
    return column && 'accessorFn' in column && column.accessorFn ? [{ value: column.accessorFn, desc: s.desc }] : [];
  });
  if (keys.length === 0) return rows;
  const decorated = rows.map((row, index) => ({ row, index, values: keys.map((k) => k.value(row, index)) }));
  decorated.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareValues(a.values[k], b.values[k]);
      if (c !== 0) return keys[k]!.desc ? -c : c;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.row);
}
