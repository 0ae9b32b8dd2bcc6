import { Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { DaysLeftBadge, VendorBadge } from '../../shared/ui/Badges.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import { formatDate } from '../../shared/format.ts';
import type { InstanceView, LicenseView } from '../../shared/types.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

/** The 20 soonest upcoming expiries, each with the one action that fixes it. */
export function NextExpiries({ licenses, instances }: { licenses: readonly LicenseView[]; instances: readonly InstanceView[] }) {
  const { navigate, openDialog } = useApp();
  const kinds = new Map(instances.map((i) => [i.id, i.kind]));
  const next = licenses
    .filter((l) => l.daysLeft !== null && l.daysLeft >= 0 && l.status !== 'revoked' && l.status !== 'superseded')
    .slice()
    .sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0))
    .slice(0, 20);
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Next expiries</Title>
        <Button variant="subtle" size="compact-xs" onClick={() => navigate({ page: 'licenses' })} rightSection={<Icon name="external" size={12} />}>
          All licenses
        </Button>
      </Group>
      {next.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing expires in the fleet. Licenses appear here once instances are checked or keys are created.
        </Text>
      ) : (
        <Table verticalSpacing={4} horizontalSpacing={6} highlightOnHover className="kf-fixed-table" aria-label="Next expiries">
          <colgroup>
            <col style={{ width: 76 }} />
            <col style={{ width: 92 }} />
            <col />
            <col style={{ width: 116 }} />
            <col style={{ width: '22%' }} />
            <col style={{ width: 190 }} />
          </colgroup>
          <TableHead columns={['Left', 'Expires', 'Client / instance', 'Vendor', 'Product', { label: 'Action', ta: 'right' }]} />
          <Table.Tbody>
            {next.map((l) => {
              const kind = l.instanceId ? kinds.get(l.instanceId) : undefined;
              const who = `${l.client ?? '—'}${l.instance ? ` · ${l.instance}` : ''}`;
              return (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <DaysLeftBadge daysLeft={l.daysLeft} />
                  </Table.Td>
                  <Table.Td className="kf-num">{formatDate(l.expiresAt)}</Table.Td>
                  <Table.Td title={who}>
                    {l.client ?? '—'}
                    {l.instance ? (
                      <Text span c="dimmed" size="xs">
                        {' '}
                        · {l.instance}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <VendorBadge vendor={l.vendor} />
                  </Table.Td>
                  <Table.Td title={l.product}>{l.product}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {kind === 'queuemetrics' && l.instanceId ? (
                        <Button size="compact-xs" variant="light" leftSection={<Icon name="bolt" size={12} />} onClick={() => openDialog({ kind: 'activatePpk', instanceId: l.instanceId! })}>
                          Activate PPK…
                        </Button>
                      ) : l.vendor === 'qlm' ? (
                        <Button size="compact-xs" variant="light" leftSection={<Icon name="refresh" size={12} />} onClick={() => openDialog({ kind: 'qlmRenew', key: l.key })}>
                          Renew on QLM…
                        </Button>
                      ) : null}
                      {l.instanceId ? (
                        <TooltipIconButton
                          icon="external"
                          tooltip={`Open ${l.instance ?? 'instance'}`}
                          label={`Open instance ${l.instance ?? ''}`}
                          onClick={() => navigate({ page: 'instance', instanceId: l.instanceId! })}
                        />
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
