import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useMutation } from '../../hooks/useMutation.ts';
import type { InstanceView } from '../../shared/types.ts';

export function WebitelImportDialog({ instance, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [certificate, setCertificate] = useState('');
  const run = useMutation('webitelImport');
  return (
    <Modal opened onClose={onClose} title={`Import a license into ${instance.name}`} size="lg">
      <Stack gap="sm">
        <Textarea
          label="License key (certificate)"
          description="Paste the key exactly as Webitel sent it"
          autosize
          minRows={6}
          maxRows={14}
          classNames={{ input: 'kf-mono' }}
          value={certificate}
          onChange={(e) => setCertificate(e.currentTarget.value)}
          data-autofocus
          spellCheck={false}
        />
        <ErrorAlert error={run.error} />
        {run.result ? (
          <Alert color="teal" variant="light" icon={<Icon name="check" />} title="Imported" role="status">
            <Text size="sm">{run.result.licenses.length} active license(s) now: {run.result.licenses.map((l) => `${l.product}${l.origin === 'imported' ? ' (new)' : ''}`).join(', ')}</Text>
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {run.result ? 'Close' : 'Cancel'}
          </Button>
          {!run.result ? (
            <Button onClick={() => void run.run({ instance: instance.id, certificate })} loading={run.running} disabled={!certificate.trim()}>
              Import
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
