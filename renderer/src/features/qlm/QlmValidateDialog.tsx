import { Badge, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useMutation } from '../../hooks/useMutation.ts';
import { QlmLicenseSummary } from './QlmLicenseSummary.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';

const BAD = new Set(['Invalid', 'ProductInvalid', 'VersionInvalid', 'Expired', 'Tampered', 'MachineInvalid', 'ExceededInstances', 'Revoked', 'NotFound']);

/** ValidateLicenseHttp without activating: what the server says about a key right now. */
export function QlmValidateDialog({ onClose, initialKey }: { onClose: () => void; initialKey?: string | undefined }) {
  const [key, setKey] = useState(initialKey ?? '');
  const [source, setSource] = useState<string | null>(null);
  const check = useMutation('qlmValidate');
  return (
    <Modal opened onClose={onClose} title="Check QLM key status" size="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) void check.run({ key: key.trim(), ...(source ? { source } : {}) });
        }}
      >
        <Stack gap="sm">
          <TextInput label="Activation key" classNames={{ input: 'kf-mono' }} value={key} onChange={(e) => setKey(e.currentTarget.value)} data-autofocus={!initialKey || undefined} required />
          <QlmSourceSelect value={source} onChange={setSource} />
          <ErrorAlert error={check.error} compact />
          {check.result ? (
            <Stack gap={6} role="status">
              <Group gap={4}>
                {check.result.statusWords.map((w) => (
                  <Badge key={w} color={BAD.has(w) ? 'red' : 'teal'} variant="light">
                    {w}
                  </Badge>
                ))}
              </Group>
              <QlmLicenseSummary license={check.result.license} />
            </Stack>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button type="submit" loading={check.running} disabled={!key.trim()} data-autofocus={Boolean(initialKey) || undefined}>
              Check status
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
