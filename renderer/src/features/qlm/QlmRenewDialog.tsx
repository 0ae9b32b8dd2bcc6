import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import { maskKey } from '../../shared/format.ts';
import { ExpiryInput, toExpiry, type ExpiryValue } from './ExpiryInput.tsx';
import { QlmLicenseSummary } from './QlmLicenseSummary.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';

/** RenewSubscriptionHttp: a new expiry for an existing key. */
export function QlmRenewDialog({ onClose, licenseKey }: { onClose: () => void; licenseKey: string }) {
  const [source, setSource] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<ExpiryValue>({ mode: 'days', days: 365, date: '' });
  const renew = useApiMutation('qlmRenew');
  const exp = toExpiry(expiry);
  return (
    <Modal opened onClose={onClose} title="Renew on QLM" size="md">
      <Stack gap="sm">
        <Text size="sm">
          Key <Text span ff="monospace">{maskKey(licenseKey)}</Text>
        </Text>
        <QlmSourceSelect value={source} onChange={setSource} />
        <ExpiryInput value={expiry} onChange={setExpiry} label="New expiry" />
        <ErrorAlert error={renew.error} compact />
        {renew.data ? (
          <Alert color="teal" variant="light" icon={<Icon name="check" />} title="Renewed" role="status">
            <QlmLicenseSummary license={renew.data.license} />
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {renew.data ? 'Close' : 'Cancel'}
          </Button>
          {!renew.data ? (
            <Button loading={renew.isPending} disabled={!exp.expiry} onClick={() => exp.expiry && renew.mutate({ key: licenseKey, expiry: exp.expiry, ...(source ? { source } : {}) })}>
              Renew
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
