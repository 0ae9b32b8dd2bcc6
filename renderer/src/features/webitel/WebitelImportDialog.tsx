import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import type { InstanceView } from '../../shared/types.ts';

export function WebitelImportDialog({ instance, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [certificate, setCertificate] = useState('');
  const run = useApiMutation('webitelImport');
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
        {run.data ? (
          <Alert color="teal" variant="light" icon={<Icon name="check" />} title="Imported" role="status">
            <Text size="sm">{run.data.licenses.length} active license(s) now: {run.data.licenses.map((l) => `${l.product}${l.origin === 'imported' ? ' (new)' : ''}`).join(', ')}</Text>
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {run.data ? 'Close' : 'Cancel'}
          </Button>
          {!run.data ? (
            <Button onClick={() => run.mutate({ instance: instance.id, certificate })} loading={run.isPending} disabled={!certificate.trim()}>
              Import
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
