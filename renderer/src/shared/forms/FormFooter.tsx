import { Button } from '@mantine/core';
import type { ApiError } from '../api/bridge.ts';
import { DialogActions } from '../ui/DialogActions.tsx';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';

/** The end of a form dialog: a refusal from main that names no field, then Cancel and the submit button. */
export function FormFooter({ error, saving, submitLabel, onCancel }: { error: ApiError | null; saving: boolean; submitLabel: string; onCancel: () => void }) {
  return (
    <>
      <ErrorAlert error={error} compact />
      <DialogActions onClose={onCancel}>
        <Button type="submit" loading={saving}>
          {submitLabel}
        </Button>
      </DialogActions>
    </>
  );
}
