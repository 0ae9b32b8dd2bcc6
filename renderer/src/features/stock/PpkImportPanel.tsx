import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { AlreadyConvertedCheckbox, PpkImportForm, PpkImportResult } from './ImportPpksDialog.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';

export function PpkImportPanel() {
  const [text, setText] = useState('');
  const [converted, setConverted] = useState(false);
  const add = useApiMutation('addPpks');
  const lines = text.split(/[\s,;]+/).filter(Boolean).length;
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Title order={4} mb="xs">
        Paste to import
      </Title>
      <Stack gap="sm">
        <PpkImportForm text={text} onText={setText} lines={lines} minRows={3} />
        <AlreadyConvertedCheckbox checked={converted} onChange={setConverted} />
        <ErrorAlert error={add.error} compact />
        {add.data ? <PpkImportResult result={add.data} /> : null}
        <Group justify="flex-end">
          <Button
            onClick={() => add.mutate({ text, converted }, { onSuccess: (result) => result.rejected.length === 0 && setText('') })}
            loading={add.isPending}
            disabled={lines === 0}
          >
            Import {lines ? `${lines} key${lines === 1 ? '' : 's'}` : ''}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
