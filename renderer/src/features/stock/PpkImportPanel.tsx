import { Group, Paper, Title } from '@mantine/core';
import { PpkImporter } from './PpkImporter.tsx';

/** The Key stock page's own paste box: it empties once every key was taken, for the next batch. */
export function PpkImportPanel() {
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Title order={4} mb="xs">
        Paste to import
      </Title>
      <PpkImporter minRows={3} clearWhenAllAdded footer={(importButton) => <Group justify="flex-end">{importButton}</Group>} />
    </Paper>
  );
}
