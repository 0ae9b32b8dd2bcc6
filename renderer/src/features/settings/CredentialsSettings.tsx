import { Button, Group, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { contract } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import type { Credential } from '../../shared/types.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

type Values = { name: string; user: string; secret: string };

const EMPTY: Values = { name: '', user: '', secret: '' };

function toCredentialInput(v: Values) {
  return { name: v.name.trim(), secret: v.secret, ...(v.user.trim() ? { user: v.user.trim() } : {}) };
}

const validateCredential = contractValidator<Values>(contract.addCredential.input, toCredentialInput, { name: 'Name', user: 'User', secret: 'Secret' });

/** One keychain item shared by many instances (same robot user everywhere). */
export function CredentialsSettings() {
  const credentials = useApiQuery('listCredentials', {});
  const form = useForm<Values>({ mode: 'controlled', initialValues: EMPTY, validate: validateCredential, validateInputOnBlur: true });
  const add = useApiMutation('addCredential');
  const [removing, setRemoving] = useState<Credential | null>(null);
  const remove = useApiMutation('removeCredential');


  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Title order={4} mb="xs">
        Shared credentials
      </Title>
      <Stack gap="sm">
        <ErrorAlert error={credentials.error} compact />
        {credentials.data?.length ? (
          <Table verticalSpacing={4} className="kf-compact-table" aria-label="Shared credentials">
            <TableHead columns={['Name', 'User', 'Secret', 'Added', '']} />
            <Table.Tbody>
              {credentials.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{c.user ?? '—'}</Table.Td>
                  <Table.Td>
                    <span className="kf-secret-note">
                      <Icon name="lock" size={12} /> secret stored in keychain
                    </span>
                  </Table.Td>
                  <Table.Td className="kf-num">{formatDate(c.createdAt)}</Table.Td>
                  <Table.Td ta="right">
                    <TooltipIconButton icon="trash" tooltip="Remove credential" label={`Remove credential ${c.name}`} onClick={() => setRemoving(c)} danger />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            None yet. A shared credential lets many instances use one user and password kept once in the keychain.
          </Text>
        )}
        <form noValidate onSubmit={form.onSubmit((values) => add.mutate(toCredentialInput(values), { onSuccess: () => form.reset() }))}>
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput size="xs" label="Name" placeholder="qm-robots" required style={{ flex: 1 }} {...form.getInputProps('name')} />
            <TextInput size="xs" label="User" placeholder="keyupdater" autoComplete="off" style={{ flex: 1 }} {...form.getInputProps('user')} />
            <PasswordInput size="xs" label="Secret" required autoComplete="new-password" style={{ flex: 1 }} {...form.getInputProps('secret')} />
            <Button size="xs" type="submit" loading={add.isPending} mt={21} style={{ flex: 'none' }}>
              Add credential
            </Button>
          </Group>
        </form>
        <ErrorAlert error={add.error} compact />
      </Stack>
      <ConfirmRemoveDialog        target={removing}        title={`Remove credential ${removing?.name ?? ''}?`}        confirmLabel="Remove credential"        remove={remove}        onClose={() => setRemoving(null)}      >
        Its secret is deleted from the keychain. Keyfleet refuses while an instance still uses it.
      </ConfirmRemoveDialog>
    </Paper>
  );
}
