import { Button, FileButton, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Icon } from './Icon.tsx';

/** A button that opens a CSV file, with the chosen file's name (or what to do instead) beside it. */
export function CsvFileButton({ onFile, label, note }: { onFile: (file: File | null) => void; label: string; note: ReactNode }) {
  return (
    <Group gap="xs">
      <FileButton onChange={onFile} accept=".csv,text/csv">
        {(props) => (
          <Button variant="default" leftSection={<Icon name="upload" size={14} />} {...props}>
            {label}
          </Button>
        )}
      </FileButton>
      <Text size="sm" c="dimmed">
        {note}
      </Text>
    </Group>
  );
}
