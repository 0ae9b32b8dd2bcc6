import { Alert, Button, Group, Text } from '@mantine/core';
import { DRIFT_SENTENCES } from '../../shared/ui/Badges.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation } from '../../shared/api/queries.ts';
import { formatRelative, maskKey } from '../../shared/format.ts';
import type { InstanceView, LicenseView } from '../../shared/types.ts';

/**
 * A QueueMetrics instance that ran another key than the one recorded for it: what that means,
 * and the two ways out — put the recorded key back, or record the running one.
 */
export function DriftAlert({ instance, licenses }: { instance: InstanceView; licenses: readonly LicenseView[] }) {
  const { openDialog } = useApp();
  const accept = useApiMutation('acceptRunningKey');
  if (instance.kind !== 'queuemetrics' || !instance.drift || instance.drift === 'none') return null;
  const recorded = licenses.find((l) => l.status === 'not-running');
  const running = instance.snapshot?.key;
  return (
    <Alert color="orange" variant="light" icon={<Icon name="alert" />} title={instance.drift === 'differs' ? 'Drift' : 'Unknown key'} role="region">
      <Text size="sm">
        {instance.drift === 'differs' ? DRIFT_SENTENCES.differs : DRIFT_SENTENCES.unknown}
        {running ? ` (${maskKey(running)}` : ' (no key'}
        {instance.snapshot ? `, read ${formatRelative(instance.snapshot.at)})` : ')'}.{' '}
        {recorded ? 'Put the recorded key back if the change was not wanted, or record the running key as this instance’s key.' : 'Record the running key as this instance’s key, or activate a PPK on it.'}
      </Text>
      <Group gap="xs" mt="sm">
        {recorded ? (
          <Button size="xs" variant="light" leftSection={<Icon name="upload" size={12} />} onClick={() => openDialog({ kind: 'installStoredKey', instanceId: instance.id, licenseId: recorded.id })}>
            Install recorded key…
          </Button>
        ) : null}
        <Button size="xs" variant="light" color="orange" loading={accept.isPending} onClick={() => accept.mutate({ ref: instance.id })}>
          Accept running key
        </Button>
      </Group>
      <ErrorAlert error={accept.error} onClose={accept.reset} compact />
    </Alert>
  );
}
