import { Badge, Button, Checkbox, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { IssueTable } from '../../shared/ui/IssueTable.tsx';
import { CsvFileButton } from '../../shared/ui/CsvFileButton.tsx';
import { PasteArea } from '../../shared/ui/PasteArea.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

/** Many instances at once from CSV (name,kind,url,client,user); one shared keychain secret for all of them. */
export function ImportInstancesCsvDialog({ onClose }: { onClose: () => void }) {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [secret, setSecret] = useState('');
  const [validOnly, setValidOnly] = useState(false);
  const run = useApiMutation('importInstancesCsv');

  const load = (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    void file.text().then(setCsv);
  };

  return (
    <Modal opened onClose={onClose} title="Import instances from CSV" size="xl">
      <Stack gap="sm">
        <CsvFileButton onFile={load} label="Choose file…" note={fileName ?? 'or paste below'} />
        <PasteArea
          label="CSV"
          description="Header: name,kind,url,client,user — kind is queuemetrics, isymphony or webitel; unknown clients are created"
          placeholder={'name,kind,url,client,user\nqm-acme,queuemetrics,http://pbx.acme.example:8080/queuemetrics,Acme,keyupdater'}
          value={csv}
          onChange={(e) => setCsv(e.currentTarget.value)}
        />
        <PasswordInput
          label="Shared secret (optional)"
          description="Stored once in the OS keychain and used by every imported instance"
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          autoComplete="new-password"
        />
        <Checkbox label="Import the valid lines even if some lines are bad" checked={validOnly} onChange={(e) => setValidOnly(e.currentTarget.checked)} />
        <ErrorAlert error={run.error} compact />
        {run.data ? (
          <Stack gap={6} role="status">
            <Group gap="xs">
              <Badge color="teal" variant="light">{run.data.imported} imported</Badge>
              <Badge color="gray" variant="light">{run.data.clientsCreated} clients created</Badge>
              {run.data.credential ? <Badge color="gray" variant="light">shared credential {run.data.credential}</Badge> : null}
            </Group>
            {run.data.errors.length ? <IssueTable label="Lines with errors" subjectWidth={80} rows={run.data.errors.map((e) => ({ key: e.line, subject: `line ${e.line}`, message: e.message }))} /> : null}
          </Stack>
        ) : null}
        <DialogActions onClose={onClose} done={Boolean(run.data)}>
          <Button
            onClick={() => run.mutate({ csv, validOnly, ...(secret ? { sharedSecret: secret } : {}), ...(fileName ? { fileName } : {}) })}
            loading={run.isPending}
            disabled={!csv.trim()}
          >
            Import
          </Button>
        </DialogActions>
      </Stack>
    </Modal>
  );
}
