import { Badge, Button, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { IssueTable } from '../../shared/ui/IssueTable.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';

/** Paste PPKs (any separators); duplicates are skipped, malformed ones rejected with a reason. */
export function ImportPpksDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [converted, setConverted] = useState(false);
  const add = useApiMutation('addPpks');
  const lines = text.split(/[\s,;]+/).filter(Boolean).length;
  return (
    <Modal opened onClose={onClose} title="Import PPKs" size="lg">
      <Stack gap="sm">
        <PpkImportForm text={text} onText={setText} lines={lines} />
        <AlreadyConvertedCheckbox checked={converted} onChange={setConverted} />
        <ErrorAlert error={add.error} compact />
        {add.data ? <PpkImportResult result={add.data} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {add.data ? 'Close' : 'Cancel'}
          </Button>
          <Button onClick={() => add.mutate({ text, converted })} loading={add.isPending} disabled={lines === 0}>
            Import {lines ? `${lines} key${lines === 1 ? '' : 's'}` : ''}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** PPKs converted before Keyfleet: kept apart from the stock and only used to adopt the key an instance runs. */
export function AlreadyConvertedCheckbox({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <Checkbox
      label="Already converted"
      description="Converted before Keyfleet: their keys already run on instances. They are never activated from stock, only used to adopt those keys (“Adopt key…” on the instance). Never tick this for PPKs that were not converted: adopting asks the key server for them, which spends them."
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
    />
  );
}

export function PpkImportForm({ text, onText, lines, minRows = 6 }: { text: string; onText: (t: string) => void; lines: number; minRows?: number }) {
  return (
    <Textarea
      label="Pre-purchased keys"
      description="One per line, as Loway sent them, e.g. XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90"
      placeholder={'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90\nXQI-LOWAY-…'}
      autosize
      minRows={minRows}
      maxRows={14}
      classNames={{ input: 'kf-mono' }}
      value={text}
      onChange={(e) => onText(e.currentTarget.value)}
      data-autofocus={minRows >= 6 || undefined}
      spellCheck={false}
      rightSection={lines ? <Badge size="xs" variant="light">{lines}</Badge> : null}
      rightSectionProps={{ style: { alignItems: 'flex-start', paddingTop: 6 } }}
    />
  );
}

export function PpkImportResult({ result }: { result: { added: number; skipped: number; marked?: number; rejected: Array<{ ppk: string; reason: string }> } }) {
  return (
    <Stack gap={6} role="status">
      <Group gap="xs">
        <Badge color="teal" variant="light">{result.added} added</Badge>
        {result.marked ? <Badge color="blue" variant="light">{result.marked} in stock marked converted</Badge> : null}
        <Badge color="gray" variant="light">{result.skipped} skipped (already in stock)</Badge>
        <Badge color={result.rejected.length ? 'red' : 'gray'} variant="light">
          {result.rejected.length} rejected
        </Badge>
      </Group>
      {result.rejected.length ? (
        <IssueTable
          label="Rejected keys"
          head={['Key', 'Why']}
          rows={result.rejected.map((r, i) => ({ key: `${r.ppk}-${i}`, subject: <Text size="xs" ff="monospace">{r.ppk}</Text>, message: r.reason }))}
        />
      ) : null}
    </Stack>
  );
}
