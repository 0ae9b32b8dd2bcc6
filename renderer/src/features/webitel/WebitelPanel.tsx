import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { CopyIconButton } from '../../shared/ui/CopyIconButton.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import type { InstanceView, LicenseView } from '../../shared/types.ts';
import { WebitelHoldersDialog } from './WebitelHoldersDialog.tsx';
import { WebitelImportDialog } from './WebitelImportDialog.tsx';
import { webitelStatus } from './webitelStatus.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';

/** The license registry as Webitel's admin page shows it, who holds each license, and effective capacity. */
export function WebitelPanel({ instance, licenses }: { instance: InstanceView; licenses: readonly LicenseView[] }) {
  const [q, setQ] = useState('');
  const [holders, setHolders] = useState<LicenseView | null>(null);
  const [importing, setImporting] = useState(false);
  const capacity = useApiQuery('webitelCapacity', { instance: instance.id });
  const rows = useMemo(() => {
    const s = q.trim().toLowerCase();
    return licenses.filter((l) => l.vendor === 'webitel' && (!s || l.product.toLowerCase().includes(s)));
  }, [licenses, q]);

  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Webitel licenses</Title>
        <Group gap="xs">
          <SearchInput value={q} onChange={setQ} label="Search by product" placeholder="Product" w={170} />
          <Button leftSection={<Icon name="upload" size={14} />} onClick={() => setImporting(true)}>
            Import license…
          </Button>
        </Group>
      </Group>
      <Table verticalSpacing={4} className="kf-compact-table" highlightOnHover aria-label="Webitel license registry">
        <TableHead
          columns={[
            'ID',
            'Product',
            'Valid from',
            'Valid till',
            { label: 'Used', ta: 'right' },
            { label: 'Limit', ta: 'right' },
            'Competitive',
            'Status',
            '',
          ]}
        />
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={9}>
                <Text size="sm" c="dimmed">
                  {licenses.length ? 'No license matches that product.' : 'No licenses read yet. “Check now” reads the registry.'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((l) => {
            const status = webitelStatus(l.daysLeft);
            return (
              <Table.Tr key={l.id}>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Text size="xs" ff="monospace" truncate maw={110} title={l.key}>
                      {l.key}
                    </Text>
                    <CopyIconButton value={l.key} label="Copy license ID" />
                  </Group>
                </Table.Td>
                <Table.Td>{l.product}</Table.Td>
                <Table.Td className="kf-num">{formatDate(l.validFrom)}</Table.Td>
                <Table.Td className="kf-num">{formatDate(l.expiresAt)}</Table.Td>
                <Table.Td ta="right" className="kf-num">{l.limits.used ?? '—'}</Table.Td>
                <Table.Td ta="right" className="kf-num">{l.limits.seats ?? '—'}</Table.Td>
                <Table.Td>{l.limits.competitive === undefined ? '—' : l.limits.competitive ? 'yes' : 'no'}</Table.Td>
                <Table.Td>
                  <Badge size="sm" color={status.color} variant={status.color === 'teal' ? 'light' : 'filled'}>
                    {status.label}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-xs" variant="subtle" onClick={() => setHolders(l)} leftSection={<Icon name="clients" size={12} />}>
                    Holders
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Stack gap={4} mt="md">
        <Text size="sm" fw={600}>
          Effective capacity
        </Text>
        <ErrorAlert error={capacity.error} onRetry={capacity.refetch} compact />
        {capacity.data?.length ? (
          <Table verticalSpacing={3} className="kf-compact-table" aria-label="Effective capacity">
            <TableHead
              columns={[
                'Product',
                { label: 'Capacity', ta: 'right' },
                { label: 'Licenses', ta: 'right' },
                { label: 'Counted', ta: 'right' },
                'Rule',
                'Notes',
              ]}
            />
            <Table.Tbody>
              {capacity.data.map((c) => (
                <Table.Tr key={c.product}>
                  <Table.Td>{c.product}</Table.Td>
                  <Table.Td ta="right" fw={600} className="kf-num">{c.capacity}</Table.Td>
                  <Table.Td ta="right" className="kf-num">{c.licenses}</Table.Td>
                  <Table.Td ta="right" className="kf-num">{c.counted}</Table.Td>
                  <Table.Td>{c.rule === 'largest' ? 'largest counts' : 'summed'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'normal' }}>
                    <Text size="xs" c="orange">{c.warnings.join('; ')}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : capacity.data ? (
          <Text size="sm" c="dimmed">No active licenses to count.</Text>
        ) : null}
      </Stack>
      {holders ? <WebitelHoldersDialog instance={instance} license={holders} onClose={() => setHolders(null)} /> : null}
      {importing ? <WebitelImportDialog instance={instance} onClose={() => setImporting(false)} /> : null}
    </Paper>
  );
}
