import { ActionIcon, Group, Text, Tooltip, type MantineSize } from '@mantine/core';
import { Icon } from './Icon.tsx';
import { copyTip, useCopy } from './useCopy.ts';

/** Copy to the clipboard through navigator.clipboard; shows a tick for a moment, or says why it failed. */
export function CopyIconButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const { state, copy } = useCopy();
  return (
    <Tooltip label={copyTip(state, label)} withArrow openDelay={state === 'idle' ? 400 : 0} opened={state !== 'idle' ? true : undefined}>
      <ActionIcon
        size="xs"
        variant="subtle"
        color={state === 'copied' ? 'teal' : state === 'failed' ? 'red' : 'gray'}
        aria-label={label}
        onClick={(e) => {
          e.stopPropagation();
          copy(value);
        }}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={13} />
      </ActionIcon>
    </Tooltip>
  );
}

/** A long value (a URL, a folder) in monospace, cut to its line, with its copy button. */
export function CopyableValue({ value, label, size = 'sm' }: { value: string; label: string; size?: MantineSize }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text size={size} ff="monospace" truncate>
        {value}
      </Text>
      <CopyIconButton value={value} label={label} />
    </Group>
  );
}
