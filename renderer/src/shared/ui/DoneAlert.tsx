import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { Icon } from './Icon.tsx';

/** What a dialog's step did, once it succeeded. */
export function DoneAlert({ title, children, color = 'teal' }: { title: ReactNode; children: ReactNode; color?: 'teal' | 'gray' }) {
  return (
    <Alert color={color} variant="light" icon={<Icon name="check" />} title={title} role="status">
      {children}
    </Alert>
  );
}
