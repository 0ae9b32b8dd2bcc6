import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { EmptyHint } from '../../shared/ui/EmptyHint.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import type { SourceView } from '../../shared/types.ts';
import { SourceTestButton } from './SourceTestButton.tsx';
import { TableHead } from '../../shared/ui/TableHead.tsx';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

export function SourcesTab() {
  const { openDialog } = useApp();
  const sources = useApiQuery('listSources', {});
  const [removing, setRemoving] = useState<SourceView | null>(null);
  const remove = useApiMutation('removeSource');
  const [key, setKey] = useState('');
  const list = sources.data ?? [];

  return (
    <Stack gap="md" className="kf-scroll-panel">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Loway key servers convert PPKs into keys; QLM License Servers create and update Soraco QLM keys.
        </Text>
        <Group gap="xs">
          <Button variant="default" leftSection={<Icon name="plus" size={14} />} onClick={() => openDialog({ kind: 'addSource', sourceKind: 'loway-keyserver' })}>
            Loway key server
          </Button>
          <Button leftSection={<Icon name="plus" size={14} />} onClick={() => openDialog({ kind: 'addSource', sourceKind: 'qlm' })}>
            QLM source
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={sources.error} onRetry={sources.refetch} />
      {sources.data && list.length === 0 ? (
        <EmptyHint
          icon="key"
          title="No key sources yet"
          description="Add the activation URL Loway gave you to convert PPKs, or a QLM License Server account to create keys."
          actions={
            <>
              <Button size="sm" onClick={() => openDialog({ kind: 'addSource', sourceKind: 'loway-keyserver' })}>
                Add Loway key server
              </Button>
              <Button size="sm" variant="default" onClick={() => openDialog({ kind: 'addSource', sourceKind: 'qlm' })}>
                Add QLM source
              </Button>
            </>
          }
        />
      ) : null}
      {list.length ? (
        <Paper withBorder radius="md" className="kf-card">
          <Table verticalSpacing={6} highlightOnHover aria-label="Key sources">
            <TableHead columns={['Name', 'Kind', 'URL', 'Account', '']} />
            <Table.Tbody>
              {list.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td fw={500}>{s.name}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={s.kind === 'qlm' ? 'orange' : 'blue'}>
                      {s.kind === 'qlm' ? 'QLM' : 'Loway'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" truncate maw={320}>
                      {s.url}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {s.kind === 'qlm' ? `${s.vendor ?? '?'} / ${s.user ?? '?'}` : (s.email ?? '—')}
                      {s.hasSecret ? (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          · secret stored in keychain
                        </Text>
                      ) : null}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <SourceTestButton source={s} />
                      {s.kind === 'qlm' ? (
                        <Button size="compact-xs" variant="light" leftSection={<Icon name="key" size={12} />} onClick={() => openDialog({ kind: 'qlmCreate', sourceId: s.id })}>
                          Create keys…
                        </Button>
                      ) : null}
                      <TooltipIconButton icon="edit" tooltip="Edit source" label={`Edit source ${s.name}`} onClick={() => openDialog({ kind: 'editSource', source: s })} />
                      <TooltipIconButton icon="trash" tooltip="Remove source" label={`Remove source ${s.name}`} onClick={() => setRemoving(s)} danger />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      {list.some((s) => s.kind === 'qlm') ? (
        <Paper withBorder radius="md" p="md" className="kf-card">
          <Title order={4} mb="xs">
            Manage a QLM key
          </Title>
          <Group gap="xs" align="flex-end">
            <TextInput label="Activation key" classNames={{ input: 'kf-mono' }} value={key} onChange={(e) => setKey(e.currentTarget.value)} w={340} size="xs" />
            <Button size="xs" variant="default" disabled={!key.trim()} onClick={() => openDialog({ kind: 'qlmUpdate', key: key.trim() })}>
              Update…
            </Button>
            <Button size="xs" variant="default" disabled={!key.trim()} onClick={() => openDialog({ kind: 'qlmRenew', key: key.trim() })}>
              Renew…
            </Button>
            <Button size="xs" variant="default" disabled={!key.trim()} onClick={() => openDialog({ kind: 'qlmValidate', key: key.trim() })}>
              Check status
            </Button>
          </Group>
        </Paper>
      ) : null}
      <ConfirmRemoveDialog        target={removing}        title={`Remove key source ${removing?.name ?? ''}?`}        confirmLabel="Remove source"        remove={remove}        onClose={() => setRemoving(null)}      >
        Its password is deleted from the keychain. Keys already created stay on record.
      </ConfirmRemoveDialog>
    </Stack>
  );
}
