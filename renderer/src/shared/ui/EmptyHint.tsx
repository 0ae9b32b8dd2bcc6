import { Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon.tsx';

export function EmptyHint({ icon, title, description, actions }: { icon: IconName; title: string; description: ReactNode; actions?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="xl" className="kf-empty">
      <Stack align="center" gap="sm" maw={520} mx="auto" ta="center">
        <ThemeIcon size={44} radius="xl" variant="light">
          <Icon name={icon} size={24} />
        </ThemeIcon>
        <Title order={4}>{title}</Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {actions ? (
          <Group gap="xs" justify="center" mt={4}>
            {actions}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
