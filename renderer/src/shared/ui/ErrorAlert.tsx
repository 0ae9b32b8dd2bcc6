import { Alert, Button, Code, Group, Text } from '@mantine/core';
import type { ApiError } from '../api/bridge.ts';
import { errorMessage, errorTitle, isNotAvailableYet, isUnreachable } from '../errors.ts';
import { Icon } from './Icon.tsx';

/** An error shown where it happened: a plain title, the server's own message, and a retry when it makes sense. */
export function ErrorAlert({ error, onRetry, onClose, compact = false }: { error: ApiError | null; onRetry?: () => void; onClose?: () => void; compact?: boolean }) {
  if (!error) return null;
  const pending = isNotAvailableYet(error);
  const color = pending ? 'gray' : isUnreachable(error) ? 'orange' : 'red';
  return (
    <Alert
      role="alert"
      color={color}
      variant="light"
      title={errorTitle(error)}
      icon={<Icon name={pending ? 'info' : 'alert'} />}
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
      closeButtonLabel="Dismiss error"
      py={compact ? 6 : undefined}
    >
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {errorMessage(error)}
      </Text>
      {!compact || onRetry ? (
        <Group gap="xs" mt={6}>
          {!compact ? (
            <Code fz="xs" c="dimmed">
              {error.code}
            </Code>
          ) : null}
          {onRetry ? (
            <Button size="compact-xs" variant="subtle" color={color} onClick={() => onRetry()} leftSection={<Icon name="refresh" size={12} />}>
              Retry
            </Button>
          ) : null}
        </Group>
      ) : null}
    </Alert>
  );
}
