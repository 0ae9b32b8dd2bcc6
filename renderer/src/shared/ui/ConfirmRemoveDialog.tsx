import type { ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import type { ApiMutation } from '../api/queries.ts';

type RemoveMethod = 'removeClient' | 'removeInstance' | 'removeCredential' | 'removeSource' | 'removePpk';

/**
 * "Remove X?" for any stored item removed by ref: shows the mutation's error in place and
 * closes only when the removal succeeded (or, with `onRemoved`, does that instead: a page whose
 * item is gone leaves).
 */
export function ConfirmRemoveDialog<T extends { id: string }>({
  target,
  title,
  confirmLabel,
  remove,
  onClose,
  onRemoved = onClose,
  children,
}: {
  target: T | null;
  title: string;
  confirmLabel: string;
  remove: ApiMutation<RemoveMethod>;
  onClose: () => void;
  onRemoved?: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      opened={target !== null}
      title={title}
      confirmLabel={confirmLabel}
      danger
      busy={remove.isPending}
      error={remove.error}
      onCancel={() => {
        onClose();
        remove.reset();
      }}
      onConfirm={() => {
        if (target) remove.mutate({ ref: target.id }, { onSuccess: onRemoved });
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
