import { useCallback, useEffect, useState } from 'react';

export type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies through navigator.clipboard; the outcome (copied, or failed where there is no clipboard)
 * shows for a moment and then fades. Mantine's useClipboard keeps a failure until the next copy,
 * which would leave a red tooltip open.
 */
export function useCopy(): { state: CopyState; copy: (value: string) => void } {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(t);
  }, [state]);
  const copy = useCallback((value: string) => {
    const clip = navigator.clipboard;
    if (!clip) {
      setState('failed');
      return;
    }
    clip.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  }, []);
  return { state, copy };
}

/** What a copy button says: its label, or the outcome while it shows. */
export function copyTip(state: CopyState, label: string): string {
  return state === 'copied' ? 'Copied' : state === 'failed' ? 'Clipboard not available' : label;
}
