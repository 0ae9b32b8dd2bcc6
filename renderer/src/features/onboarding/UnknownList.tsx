import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import type { InstanceView, OnboardingUnknownView } from '../../shared/types.ts';
import { InstanceFormDialog } from '../instances/InstanceFormDialog.tsx';
import { MatchQlmClientDialog } from './MatchQlmClientDialog.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';

/** What is still unknown, each with the one button that resolves it. */
export function UnknownList({ items }: { items: OnboardingUnknownView[] }) {
  const { navigate } = useApp();
  const instances = useApiQuery('listInstances', {});
  const check = useApiMutation('checkInstance');
  // An instance fixed in its dialog (connection, client) is read again at once, so it leaves the list in one action.
  const [fixing, setFixing] = useState<InstanceView | null>(null);
  const [matching, setMatching] = useState<OnboardingUnknownView['qlmMatch']>(null);

  const resolve = (u: OnboardingUnknownView) => {
    const instance = instances.data?.find((i) => i.id === u.instanceId);
    switch (u.kind) {
      case 'connection':
        if (instance) setFixing(instance);
        return;
      case 'unchecked':
        if (u.instanceId) check.mutate({ ref: u.instanceId });
        return;
      case 'unknown-key':
        if (u.instanceId) navigate({ page: 'instance', instanceId: u.instanceId });
        return;
      case 'unmatched-license':
        // The instance's client is its licenses' client: set it, and the read that follows gives it to them.
        if (instance) setFixing(instance);
        else if (u.qlmMatch) setMatching(u.qlmMatch);
        else navigate({ page: 'licenses', ...(u.licenseId ? { licenseId: u.licenseId } : {}) });
        return;
    }
  };

  if (items.length === 0) {
    return (
      <Text size="sm" c="teal" role="status">
        Nothing is unknown: every instance is read and every license has its expiry and its client.
      </Text>
    );
  }
  return (
    <Stack gap="xs" role="list" aria-label="Still unknown">
      {matching ? <MatchQlmClientDialog match={matching} onClose={() => setMatching(null)} /> : null}
      {fixing ? <InstanceFormDialog opened instance={fixing} onClose={() => setFixing(null)} onSaved={(i) => check.mutate({ ref: i.id })} /> : null}
      <Text size="sm" fw={600}>
        {items.length} thing{items.length === 1 ? '' : 's'} still unknown
      </Text>
      <ErrorAlert error={check.error} compact />
      {items.map((u, n) => (
        <Paper key={`${u.kind}-${u.instanceId ?? ''}-${u.licenseId ?? ''}-${n}`} withBorder p="xs" role="listitem">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{u.reason}</Text>
            <Button size="xs" variant="light" onClick={() => resolve(u)} loading={u.kind === 'unchecked' && check.isPending}>
              {u.action}
            </Button>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
