import { Paper, Table, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiQuery } from '../../shared/api/queries.ts';
import { shortStockLabel } from '../../shared/format.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';

export function StockGroupsTable() {
  const stock = useApiQuery('ppkStock', {});
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Title order={4} mb="xs">
        Stock by product, size and duration
      </Title>
      <ErrorAlert error={stock.error} onRetry={stock.refetch} compact />
      {stock.data && stock.data.length === 0 ? <Text size="sm" c="dimmed">No PPKs yet.</Text> : null}
      {stock.data?.length ? (
        <Table verticalSpacing={4} className="kf-fixed-table" aria-label="PPK stock levels">
          <colgroup>
            <col />
            <col style={{ width: 64 }} />
            <col style={{ width: 80 }} />
            <col style={{ width: 70 }} />
            <col style={{ width: 64 }} />
            <col style={{ width: 44 }} />
          </colgroup>
          <TableHead
            columns={[
              'Group',
              { label: 'Stock', ta: 'right' },
              { label: 'Converted', ta: 'right' },
              { label: 'Installed', ta: 'right' },
              { label: 'Refused', ta: 'right', title: 'Refused by the key server' },
              { label: 'Min', ta: 'right', title: 'Low-stock threshold' },
            ]}
          />
          <Table.Tbody>
            {stock.data.map((g) => (
              <Table.Tr key={g.key}>
                <Table.Td title={`${g.key}: ${g.label}${g.low ? ' (low stock)' : ''}`}>
                  {g.low ? <span className="kf-dot kf-dot-error kf-dot-inline" role="img" aria-label="low stock" /> : null}
                  {shortStockLabel(g)}
                </Table.Td>
                <Table.Td ta="right" fw={600} c={g.low ? 'red' : undefined} className="kf-num">
                  {g.inStock}
                </Table.Td>
                <Table.Td ta="right" className="kf-num">{g.converted}</Table.Td>
                <Table.Td ta="right" className="kf-num">{g.installed}</Table.Td>
                <Table.Td ta="right" className="kf-num" c={g.refused ? 'red' : 'dimmed'}>{g.refused}</Table.Td>
                <Table.Td ta="right" c="dimmed" className="kf-num">{g.threshold}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Paper>
  );
}
