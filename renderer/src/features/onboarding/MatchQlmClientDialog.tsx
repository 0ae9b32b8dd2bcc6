import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import type { OnboardingUnknownView } from '../../shared/types.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';

/** QLM licenses without a client: confirm whose they are; the name is remembered for the next import. */
export function MatchQlmClientDialog({ match, onClose }: { match: NonNullable<OnboardingUnknownView['qlmMatch']>; onClose: () => void }) {
  const clients = useApiQuery('listClients', {});
  const confirm = useApiMutation('qlmConfirmMatch');
  const form = useForm<{ client: string }>({ mode: 'controlled', initialValues: { client: '' }, validate: { client: (v) => (v ? null : 'Choose the client') } });
  const submit = ({ client }: { client: string }) => confirm.mutate({ client, [match.by]: match.value }, { onSuccess: onClose });
  return (
    <Modal opened onClose={onClose} title="Match client">
      <form onSubmit={form.onSubmit(submit)}>
        <Stack gap="sm">
          <Text size="sm">
            The QLM License Server names the customer as <b>{match.value}</b>. Whose licenses are they?
          </Text>
          <Select label="Client" data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} searchable {...form.getInputProps('client')} />
          <ErrorAlert error={confirm.error} compact />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={confirm.isPending}>
              Match
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
