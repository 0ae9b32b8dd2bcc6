import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ApiError } from '../../shared/api/bridge.ts';
import { DaysLeftBadge, DriftBadge, StatusBadge } from '../../shared/ui/Badges.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { formatDate, formatLimits, formatRelative, ORIGIN_LABELS } from '../../shared/format.ts';
import type { InstanceView, LicenseView } from '../../shared/types.ts';
import { KIND_UI } from './kindUi.tsx';

/** What the instance is licensed for now, as last read, plus the keys it replaced. */
export function LicenseCard({ instance, licenses, error }: { instance: InstanceView; licenses: readonly LicenseView[]; error: ApiError | null }) {
  const current = licenses.filter((l) => l.status !== 'superseded');
  const superseded = licenses.length - current.length;
  const listedElsewhere = KIND_UI[instance.kind].licensesListedElsewhere;
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Title order={4}>License</Title>
          <DriftBadge drift={instance.drift} />
        </Group>
        {instance.snapshot ? (
          <Text size="xs" c="dimmed">
            read {formatRelative(instance.snapshot.at)}
          </Text>
        ) : null}
      </Group>
      <ErrorAlert error={error} compact />
      {instance.snapshot?.summary ? (
        <Text size="sm" mb="xs">
          {instance.snapshot.summary}
        </Text>
      ) : null}
      {listedElsewhere && current.length ? (
        <Text size="sm" c="dimmed">
          {listedElsewhere(current.length)}
        </Text>
      ) : current.length === 0 ? (
        <Text size="sm" c="dimmed">
          No license known yet. “Check now” reads it from the instance.
        </Text>
      ) : (
        <Stack gap="sm">
          {current.map((l) => (
            <div key={l.id}>
              <Group gap="xs" mb={4}>
                <Text fw={600} size="sm">
                  {l.product}
                </Text>
                <StatusBadge status={l.status} />
                <DaysLeftBadge daysLeft={l.daysLeft} />
                {l.muted ? (
                  <Badge size="xs" variant="outline" color="gray">
                    muted
                  </Badge>
                ) : null}
              </Group>
              <dl className="kf-dl">
                <dt>Key</dt>
                <dd>
                  <MaskedKey value={l.key} />
                </dd>
                <dt>Valid</dt>
                <dd className="kf-num">
                  {l.validFrom ? `${formatDate(l.validFrom)} → ` : ''}
                  {l.expiresAt ? formatDate(l.expiresAt) : 'never expires'}
                </dd>
                {l.maintenanceExpiresAt ? (
                  <>
                    <dt>Maintenance</dt>
                    <dd className="kf-num">{formatDate(l.maintenanceExpiresAt)}</dd>
                  </>
                ) : null}
                <dt>Limits</dt>
                <dd>{formatLimits(l.limits)}</dd>
                <dt>Origin</dt>
                <dd>{ORIGIN_LABELS[l.origin] ?? l.origin}</dd>
              </dl>
            </div>
          ))}
        </Stack>
      )}
      {superseded ? (
        <Text size="xs" c="dimmed" mt="xs">
          {superseded} earlier key{superseded === 1 ? '' : 's'} on record (superseded).
        </Text>
      ) : null}
    </Paper>
  );
}
