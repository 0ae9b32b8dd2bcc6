import { Badge, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import { QlmLicenseSummary } from './QlmLicenseSummary.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

const BAD = new Set(['Invalid', 'ProductInvalid', 'VersionInvalid', 'Expired', 'Tampered', 'MachineInvalid', 'ExceededInstances', 'Revoked', 'NotFound']);

/** ValidateLicenseHttp without activating: what the server says about a key right now. */
export function QlmValidateDialog({ onClose, initialKey }: { onClose: () => void; initialKey?: string | undefined }) {
  const [key, setKey] = useState(initialKey ?? '');
  const [source, setSource] = useState<string | null>(null);
  const check = useApiMutation('qlmValidate');
  return (
    <Modal opened onClose={onClose} title="Check QLM key status" size="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) check.mutate({ key: key.trim(), ...(source ? { source } : {}) });
        }}
      >
        <Stack gap="sm">
          <TextInput label="Activation key" classNames={{ input: 'kf-mono' }} value={key} onChange={(e) => setKey(e.currentTarget.value)} data-autofocus={!initialKey || undefined} required />
          <QlmSourceSelect value={source} onChange={setSource} />
          <ErrorAlert error={check.error} compact />
          {check.data ? (
            <Stack gap={6} role="status">
              <Group gap={4}>
                {check.data.statusWords.map((w) => (
                  <Badge key={w} color={BAD.has(w) ? 'red' : 'teal'} variant="light">
                    {w}
                  </Badge>
                ))}
              </Group>
              <QlmLicenseSummary license={check.data.license} />
            </Stack>
          ) : null}
          <DialogActions onClose={onClose} dismissLabel="Close">
            <Button type="submit" loading={check.isPending} disabled={!key.trim()} data-autofocus={Boolean(initialKey) || undefined}>
              Check status
            </Button>
          </DialogActions>
        </Stack>
      </form>
    </Modal>
  );
}
