import { ActionIcon, Button, Group, Paper, PasswordInput, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { asApiError, call, type ApiError } from '../../shared/api/bridge.ts';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useForm } from '../../hooks/useForm.ts';
import { useMutation } from '../../hooks/useMutation.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { formatDate } from '../../shared/format.ts';
import { CredentialFormSchema } from '../../lib/validation.ts';
import type { Credential } from '../../shared/types.ts';

type Values = { name: string; user: string; secret: string };

/** One keychain item shared by many instances (same robot user everywhere). */
export function CredentialsSettings() {
  const credentials = useQuery('listCredentials', {});
  const form = useForm<Values>({ name: '', user: '', secret: '' }, CredentialFormSchema);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [removing, setRemoving] = useState<Credential | null>(null);
  const remove = useMutation('removeCredential');

  const submit = async () => {
    if (!form.validate()) return;
    setSaving(true);
    setError(null);
    try {
      await call('addCredential', { name: form.values.name.trim(), secret: form.values.secret, ...(form.values.user.trim() ? { user: form.values.user.trim() } : {}) });
      form.reset({ name: '', user: '', secret: '' });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Title order={4} mb="xs">
        Shared credentials
      </Title>
      <Stack gap="sm">
        <ErrorAlert error={credentials.error} compact />
        {credentials.data?.length ? (
          <Table verticalSpacing={4} className="kf-compact-table" aria-label="Shared credentials">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Secret</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
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
                    <Tooltip label="Remove credential">
                      <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Remove credential ${c.name}`} onClick={() => setRemoving(c)}>
                        <Icon name="trash" size={14} />
                      </ActionIcon>
                    </Tooltip>
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
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput size="xs" label="Name" placeholder="qm-robots" required style={{ flex: 1 }} {...form.text('name')} />
            <TextInput size="xs" label="User" placeholder="keyupdater" autoComplete="off" style={{ flex: 1 }} {...form.text('user')} />
            <PasswordInput size="xs" label="Secret" required autoComplete="new-password" style={{ flex: 1 }} {...form.text('secret')} />
            <Button size="xs" type="submit" loading={saving} mt={21} style={{ flex: 'none' }}>
              Add credential
            </Button>
          </Group>
        </form>
        <ErrorAlert error={error} compact />
      </Stack>
      <ConfirmRemoveDialog        target={removing}        title={`Remove credential ${removing?.name ?? ''}?`}        confirmLabel="Remove credential"        remove={remove}        onClose={() => setRemoving(null)}      >
        Its secret is deleted from the keychain. Keyfleet refuses while an instance still uses it.
      </ConfirmRemoveDialog>
    </Paper>
  );
}
