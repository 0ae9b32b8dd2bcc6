import { Button, Group, Kbd, Text, Tooltip, UnstyledButton, useMantineColorScheme } from '@mantine/core';
import { useApp } from './useApp.ts';
import { shortcutLabel } from './shortcuts.ts';
import { Icon } from '../shared/ui/Icon.tsx';
import { TooltipIconButton } from '../shared/ui/TooltipIconButton.tsx';

const NEXT_SCHEME = { auto: 'light', light: 'dark', dark: 'auto' } as const;
const SCHEME_LABEL = { auto: 'Theme follows the OS', light: 'Light theme', dark: 'Dark theme' } as const;

export function AppHeader() {
  const { openPalette, openDialog } = useApp();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" className="kf-header">
      <Group gap={8} wrap="nowrap" w={188}>
        <span className="kf-logo" aria-hidden="true">
          <Icon name="key" size={16} stroke={2.2} />
        </span>
        <Text fw={650} size="md" className="kf-brand">
          Keyfleet
        </Text>
      </Group>
      <UnstyledButton className="kf-palette-trigger" onClick={openPalette} aria-label="Open command palette" aria-keyshortcuts="Control+K Meta+K">
        <Icon name="search" size={14} />
        <span className="kf-palette-trigger-text">Search or run a command…</span>
        <Kbd size="xs">{shortcutLabel('mod+K')}</Kbd>
      </UnstyledButton>
      <Group gap={6} wrap="nowrap">
        <Tooltip label={`Check every instance now (${shortcutLabel('mod+shift+R')})`}>
          <Button variant="light" leftSection={<Icon name="refresh" size={14} />} onClick={() => openDialog({ kind: 'refresh', label: 'all instances' })}>
            Refresh all
          </Button>
        </Tooltip>
        <TooltipIconButton
          icon={colorScheme === 'dark' ? 'moon' : colorScheme === 'light' ? 'sun' : 'contrast'}
          tooltip={`${SCHEME_LABEL[colorScheme]} — click to change`}
          label={`${SCHEME_LABEL[colorScheme]}; switch theme`}
          onClick={() => setColorScheme(NEXT_SCHEME[colorScheme])}
          size="lg"
        />
        <TooltipIconButton icon="keyboard" tooltip="Keyboard shortcuts (?)" label="Keyboard shortcuts" onClick={() => openDialog({ kind: 'shortcuts' })} size="lg" />
      </Group>
    </Group>
  );
}
