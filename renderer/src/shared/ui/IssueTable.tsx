import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { TableHead } from './TableHead.tsx';

export interface Issue {
  key: string | number;
  /** What the issue is about: an instance, a key, a line of a file. */
  subject: ReactNode;
  message: ReactNode;
}

/**
 * What a run could not do, one row an item with why, in red (orange for what needs a look rather
 * than a fix). `head` names the two columns; without it the rows speak for themselves.
 */
export function IssueTable({ label, rows, head, color = 'red', subjectWidth }: { label: string; rows: readonly Issue[]; head?: [string, string]; color?: 'red' | 'orange'; subjectWidth?: number }) {
  return (
    <Table verticalSpacing={3} aria-label={label} className="kf-compact-table">
      {head ? <TableHead columns={head} /> : null}
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td w={subjectWidth}>{r.subject}</Table.Td>
            <Table.Td style={{ whiteSpace: 'normal' }}>
              <Text size="xs" c={color}>
                {r.message}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
