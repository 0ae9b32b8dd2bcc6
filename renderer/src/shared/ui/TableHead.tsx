import { Table } from '@mantine/core';

/** A column's heading: its text, or the text with the column's alignment and a tooltip. */
export type Column = string | { label: string; ta?: 'right' | 'center'; title?: string };

/** The header row of a table, one cell a column; an empty label leaves the cell blank (an actions column). */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((column, i) => {
          const { label, ta, title } = typeof column === 'string' ? { label: column } : column;
          return (
            <Table.Th key={i} ta={ta} title={title}>
              {label}
            </Table.Th>
          );
        })}
      </Table.Tr>
    </Table.Thead>
  );
}
