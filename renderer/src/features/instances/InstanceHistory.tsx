import { Badge, Group, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiQuery } from '../../shared/api/queries.ts';
import { formatDateTime } from '../../shared/format.ts';

export const OUTCOME_COLORS: Record<string, string> = { ok: 'teal', failed: 'red', started: 'blue', info: 'gray' };

export function InstanceHistory({ instanceId }: { instanceId: string }) {
  const history = useApiQuery('listHistory', { instance: instanceId, limit: 100 });
  const events = history.data?.events ?? [];
  return (
    <Stack gap={6}>
      <ErrorAlert error={history.error} onRetry={history.refetch} compact />
      {history.data && events.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing happened to this instance yet.
        </Text>
      ) : null}
      {events.map((e) => (
        <div key={e.id}>
          <Group gap={6} wrap="nowrap">
            <Badge size="xs" color={OUTCOME_COLORS[e.outcome] ?? 'gray'} variant="light" w={56}>
              {e.outcome}
            </Badge>
            <Text size="sm" fw={500}>
              {e.action}
            </Text>
            <Text size="xs" c="dimmed" ml="auto" className="kf-num" style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(e.at)}
            </Text>
          </Group>
          {e.summary || e.error ? (
            <Text size="xs" c={e.error ? 'red' : 'dimmed'} pl={62}>
              {e.error ? `${e.error.code}: ${e.error.message}` : e.summary}
            </Text>
          ) : null}
        </div>
      ))}
    </Stack>
  );
}
