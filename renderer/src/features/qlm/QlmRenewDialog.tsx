import { Button, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import { maskKey } from '../../shared/format.ts';
import { ExpiryInput, toExpiry, type ExpiryValue } from './ExpiryInput.tsx';
import { QlmLicenseSummary } from './QlmLicenseSummary.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

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
          <DoneAlert title="Renewed">
            <QlmLicenseSummary license={renew.data.license} />
          </DoneAlert>
        ) : null}
        <DialogActions onClose={onClose} done={Boolean(renew.data)}>
          {!renew.data ? (
            <Button loading={renew.isPending} disabled={!exp.expiry} onClick={() => exp.expiry && renew.mutate({ key: licenseKey, expiry: exp.expiry, ...(source ? { source } : {}) })}>
              Renew
            </Button>
          ) : null}
        </DialogActions>
      </Stack>
    </Modal>
  );
}
