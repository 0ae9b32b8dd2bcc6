import { Modal } from '@mantine/core';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';
import { PpkImporter } from './PpkImporter.tsx';

/** Paste PPKs into the stock from outside the Key stock page (the dashboard, the palette). */
export function ImportPpksDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title="Import PPKs" size="lg">
      <PpkImporter
        footer={(importButton, imported) => (
          <DialogActions onClose={onClose} done={imported}>
            {importButton}
          </DialogActions>
        )}
      />
    </Modal>
  );
}
