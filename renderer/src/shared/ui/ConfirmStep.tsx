import { Alert, Button, Group, Text, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';
import { Icon } from './Icon.tsx';

/**
 * The step inside a dialog that asks once more before a step that spends, revokes or replaces
 * something: what will happen, the button that does it, and Back (when there is a way back).
 */
export function ConfirmStep({
  title,
  children,
  confirmLabel,
  onConfirm,
  onBack,
  color = 'orange',
  busy = false,
  mt,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onBack?: () => void;
  color?: 'orange' | 'yellow';
  busy?: boolean;
  mt?: MantineSpacing;
}) {
  return (
    <Alert color={color} variant="light" icon={<Icon name="alert" />} title={title} role="alert" mt={mt}>
      <Text size="sm">{children}</Text>
      <Group gap="xs" mt="sm">
        <Button color={color} loading={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
        {onBack ? (
          <Button variant="default" onClick={onBack} disabled={busy}>
            Back
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
