import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader({ title, subtitle, actions, leading }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; leading?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="nowrap" className="kf-page-header" gap="md">
      <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
        {leading}
        <div style={{ minWidth: 0 }}>
          <Title order={2} className="kf-page-title">
            {title}
          </Title>
          {subtitle ? (
            <Text size="sm" c="dimmed" truncate>
              {subtitle}
            </Text>
          ) : null}
        </div>
      </Group>
      {actions ? (
        <Group gap="xs" wrap="nowrap">
          {actions}
        </Group>
      ) : null}
    </Group>
  );
}
