import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { maskKey } from '../format.ts';
import { CopyIconButton } from './CopyIconButton.tsx';
import { Icon } from './Icon.tsx';

/** A key shown masked (first 6 … last 4) with reveal and copy; the full key is in the DOM only while revealed. */
export function MaskedKey({ value, label = 'key' }: { value: string; label?: string }) {
  const [revealed, setRevealed] = useState(false);
  return (
    <Group gap={4} wrap="nowrap" className="kf-key">
      <Text component="span" ff="monospace" size="xs" className="kf-key-text" title={revealed ? value : undefined} data-revealed={revealed || undefined}>
        {revealed ? value : maskKey(value)}
      </Text>
      <Tooltip label={revealed ? `Hide ${label}` : `Reveal ${label}`} withArrow openDelay={400}>
        <ActionIcon
          size="xs"
          variant="subtle"
          color="gray"
          aria-label={revealed ? `Hide ${label}` : `Reveal ${label}`}
          aria-pressed={revealed}
          onClick={(e) => {
            e.stopPropagation();
            setRevealed((r) => !r);
          }}
        >
          <Icon name={revealed ? 'eyeOff' : 'eye'} size={13} />
        </ActionIcon>
      </Tooltip>
      <CopyIconButton value={value} label={`Copy ${label}`} />
    </Group>
  );
}
