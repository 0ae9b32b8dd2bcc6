import { Badge, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { IssueTable } from '../../shared/ui/IssueTable.tsx';
import { PasteArea } from '../../shared/ui/PasteArea.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import type { Result } from '../../shared/types.ts';

/**
 * Paste PPKs (any separators) and import them: the box, the "Already converted" tick, then what the
 * import did; duplicates are skipped, malformed ones rejected with a reason. The Import dialog and
 * the Key stock page both use it; `footer` places the Import button among the caller's own.
 */
export function PpkImporter({
  minRows = 6,
  clearWhenAllAdded = false,
  footer,
}: {
  minRows?: number;
  /** Empty the box once every pasted key was taken, ready for the next batch. */
  clearWhenAllAdded?: boolean;
  footer: (importButton: ReactNode, imported: boolean) => ReactNode;
}) {
  const [text, setText] = useState('');
  const [converted, setConverted] = useState(false);
  const add = useApiMutation('addPpks');
  const lines = text.split(/[\s,;]+/).filter(Boolean).length;
  const importButton = (
    <Button
      onClick={() => add.mutate({ text, converted }, { onSuccess: (result) => clearWhenAllAdded && result.rejected.length === 0 && setText('') })}
      loading={add.isPending}
      disabled={lines === 0}
    >
      Import {lines ? `${lines} key${lines === 1 ? '' : 's'}` : ''}
    </Button>
  );
  return (
    <Stack gap="sm">
      <PasteArea
        label="Pre-purchased keys"
        description="One per line, as Loway sent them, e.g. XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90"
        placeholder={'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90\nXQI-LOWAY-…'}
        minRows={minRows}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        data-autofocus={minRows >= 6 || undefined}
        rightSection={lines ? <Badge size="xs" variant="light">{lines}</Badge> : null}
        rightSectionProps={{ style: { alignItems: 'flex-start', paddingTop: 6 } }}
      />
      <Checkbox
        label="Already converted"
        description="Converted before Keyfleet: their keys already run on instances. They are never activated from stock, only used to adopt those keys (“Adopt key…” on the instance). Never tick this for PPKs that were not converted: adopting asks the key server for them, which spends them."
        checked={converted}
        onChange={(e) => setConverted(e.currentTarget.checked)}
      />
      <ErrorAlert error={add.error} compact />
      {add.data ? <PpkImportResult result={add.data} /> : null}
      {footer(importButton, Boolean(add.data))}
    </Stack>
  );
}

function PpkImportResult({ result }: { result: Result<'addPpks'> }) {
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
