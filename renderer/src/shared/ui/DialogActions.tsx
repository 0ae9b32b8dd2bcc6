import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The buttons at the end of a dialog: `leading` ones (stop a run), the dismiss button (Cancel, or
 * Close once the work is done; disabled while a run must not be left), then the dialog's own actions.
 */
export function DialogActions({
  onClose,
  done = false,
  dismissLabel,
  dismissDisabled = false,
  leading,
  children,
}: {
  onClose: () => void;
  done?: boolean;
  dismissLabel?: string;
  dismissDisabled?: boolean;
  leading?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Group justify="flex-end" gap="xs">
      {leading}
      <Button variant="default" onClick={onClose} disabled={dismissDisabled}>
        {dismissLabel ?? (done ? 'Close' : 'Cancel')}
      </Button>
      {children}
    </Group>
  );
}
