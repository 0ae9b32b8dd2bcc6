import { Anchor, Button, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { asApiError, call, type ApiError } from '../api/bridge.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { Icon } from './Icon.tsx';
import { exportUrl } from '../download.ts';
import type { ExportResult } from '../types.ts';

const TITLES = { licenses: 'Export licenses', history: 'Export history', calendar: 'Export expiry calendar' } as const;

/** Ask the main process for the file's content, then offer it as a download link (a Blob URL). */
export function ExportDialog({ onClose, what, ids, instance }: { onClose: () => void; what: 'licenses' | 'history' | 'calendar'; ids?: string[] | undefined; instance?: string | undefined }) {
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [file, setFile] = useState<{ result: ExportResult; url: string } | null>(null);

  useEffect(() => () => {
    if (file) URL.revokeObjectURL(file.url);
  }, [file]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const result =
        what === 'licenses'
          ? await call('exportLicenses', ids ? { format, ids } : { format })
          : what === 'history'
            ? await call('exportHistory', instance ? { format, instance } : { format })
            : await call('exportCalendar', {});
      setFile({ result, url: exportUrl(result) });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={TITLES[what]} size="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {what === 'licenses'
            ? ids
              ? `${ids.length} license${ids.length === 1 ? '' : 's'} (the current selection).`
              : 'Every stored license.'
            : what === 'history'
              ? instance
                ? 'The event log of this instance.'
                : 'The whole event log. No secrets are ever in it.'
              : 'An iCalendar file with one event per expiry and reminder stage.'}
        </Text>
        {what !== 'calendar' ? (
          <SegmentedControl
            aria-label="Format"
            value={format}
            onChange={(f) => {
              setFormat(f as 'csv' | 'json');
              setFile(null);
            }}
            data={[
              { value: 'csv', label: 'CSV' },
              { value: 'json', label: 'JSON' },
            ]}
          />
        ) : null}
        <ErrorAlert error={error} compact />
        {file ? (
          <Group gap="xs">
            <Icon name="check" />
            <Anchor href={file.url} download={file.result.fileName} fw={600}>
              Save {file.result.fileName}
            </Anchor>
            <Text size="xs" c="dimmed">
              ({Math.max(1, Math.round(file.result.content.length / 1024))} KB)
            </Text>
          </Group>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => void run()} loading={busy} leftSection={<Icon name="download" size={14} />} data-autofocus>
            {file ? 'Export again' : 'Export'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
