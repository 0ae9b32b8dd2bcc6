import { Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { DaysLeftBadge, StatusBadge } from '../../shared/ui/Badges.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { useApp } from '../../app/useApp.ts';
import { formatDate, maskKey } from '../../shared/format.ts';
import type { InstanceView, LicenseView } from '../../shared/types.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';

/** QueueMetrics: spend a PPK on this instance, or put a stored key back. */
export function QueueMetricsPanel({ instance, licenses }: { instance: InstanceView; licenses: readonly LicenseView[] }) {
  const { openDialog } = useApp();
  const stored = licenses.filter((l) => l.vendor === 'queuemetrics' && l.origin !== 'instance');
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="xs">
        <Title order={4}>QueueMetrics</Title>
        <Group gap="xs">
          {instance.drift === 'unknown' ? (
            <Button variant="light" color="orange" onClick={() => openDialog({ kind: 'adoptKey', instanceId: instance.id })}>
              Adopt key…
            </Button>
          ) : null}
          <Button leftSection={<Icon name="bolt" size={14} />} onClick={() => openDialog({ kind: 'activatePpk', instanceId: instance.id })}>
            Activate PPK…
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        Keys go on through QM.setActivationKey; the user needs the ROBOT and KEYUPDATE keys (QueueMetrics ships one, “keyupdater”, disabled).
      </Text>
      {stored.length ? (
        <Table verticalSpacing={4} className="kf-compact-table" aria-label="Keys Keyfleet holds for this instance">
          <TableHead columns={['Key', 'Expires', 'Status', '']} />
          <Table.Tbody>
            {stored.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>
                  <MaskedKey value={l.key} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Text size="sm" className="kf-num">{formatDate(l.expiresAt)}</Text>
                    <DaysLeftBadge daysLeft={l.daysLeft} />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={l.status} />
                </Table.Td>
                <Table.Td ta="right">
                  {l.status === 'active' && l.key === instance.installedKey ? (
                    <Text size="xs" c="dimmed">
                      running now
                    </Text>
                  ) : (
                    <Button
                      size="compact-xs"
                      variant="light"
                      aria-label={`Install stored key ${maskKey(l.key)}`}
                      onClick={() => openDialog({ kind: 'installStoredKey', instanceId: instance.id, licenseId: l.id })}
                    >
                      Install…
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          Keyfleet holds no converted key for this instance yet.
        </Text>
      )}
    </Paper>
  );
}
