import type { ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import type { MutationState } from '../../hooks/useMutation.ts';

type RemoveMethod = 'removeClient' | 'removeInstance' | 'removeCredential' | 'removeSource' | 'removePpk';

/**
 * "Remove X?" for any stored item removed by ref: shows the mutation's error in place and
 * closes only when the removal succeeded.
 */
export function ConfirmRemoveDialog<T extends { id: string }>({
  target,
  title,
  confirmLabel,
  remove,
  onClose,
  children,
}: {
  target: T | null;
  title: string;
  confirmLabel: string;
  remove: MutationState<RemoveMethod>;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      opened={target !== null}
      title={title}
      confirmLabel={confirmLabel}
      danger
      busy={remove.running}
      error={remove.error}
      onCancel={() => {
        onClose();
        remove.reset();
      }}
      onConfirm={async () => {
        if (!target) return;
        const r = await remove.run({ ref: target.id });
        if (r.ok) onClose();
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
