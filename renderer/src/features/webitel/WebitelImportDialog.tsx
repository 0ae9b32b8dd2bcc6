import { Button, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { PasteArea } from '../../shared/ui/PasteArea.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import type { InstanceView } from '../../shared/types.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

export function WebitelImportDialog({ instance, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [certificate, setCertificate] = useState('');
  const run = useApiMutation('webitelImport');
  return (
    <Modal opened onClose={onClose} title={`Import a license into ${instance.name}`} size="lg">
      <Stack gap="sm">
        <PasteArea
          label="License key (certificate)"
          description="Paste the key exactly as Webitel sent it"
          value={certificate}
          onChange={(e) => setCertificate(e.currentTarget.value)}
          data-autofocus
        />
        <ErrorAlert error={run.error} />
        {run.data ? (
          <DoneAlert title="Imported">
            <Text size="sm">{run.data.licenses.length} active license(s) now: {run.data.licenses.map((l) => `${l.product}${l.origin === 'imported' ? ' (new)' : ''}`).join(', ')}</Text>
          </DoneAlert>
        ) : null}
        <DialogActions onClose={onClose} done={Boolean(run.data)}>
          {!run.data ? (
            <Button onClick={() => run.mutate({ instance: instance.id, certificate })} loading={run.isPending} disabled={!certificate.trim()}>
              Import
            </Button>
          ) : null}
        </DialogActions>
      </Stack>
    </Modal>
  );
}
