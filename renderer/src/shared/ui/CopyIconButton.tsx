import { ActionIcon, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Icon } from './Icon.tsx';

/** Copy to the clipboard through navigator.clipboard; shows a tick for a moment, or says why it failed. */
export function CopyIconButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(t);
  }, [state]);
  const tip = state === 'copied' ? 'Copied' : state === 'failed' ? 'Clipboard not available' : label;
  return (
    <Tooltip label={tip} withArrow openDelay={state === 'idle' ? 400 : 0} opened={state !== 'idle' ? true : undefined}>
      <ActionIcon
        size="xs"
        variant="subtle"
        color={state === 'copied' ? 'teal' : state === 'failed' ? 'red' : 'gray'}
        aria-label={label}
        onClick={(e) => {
          e.stopPropagation();
          const clip = navigator.clipboard;
          if (!clip) {
            setState('failed');
            return;
          }
          clip.writeText(value).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={13} />
      </ActionIcon>
    </Tooltip>
  );
}
