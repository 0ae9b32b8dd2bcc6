import { Badge, Button, Group, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { ConfirmDialog } from '../../shared/ui/ConfirmDialog.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { SearchInput } from '../../shared/ui/SearchInput.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import type { InstanceView, LicenseView, WebitelHolder } from '../../shared/types.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';

/** Who holds a Webitel license; a holder can be forced offline only when Webitel would allow it. */
export function WebitelHoldersDialog({ instance, license, onClose }: { instance: InstanceView; license: LicenseView; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const users = useApiQuery('webitelUsers', { instance: instance.id, licenseId: license.key, ...(debounced.trim() ? { q: debounced.trim() } : {}) });
  const logout = useApiMutation('webitelLogout');
  const [target, setTarget] = useState<WebitelHolder | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <Modal opened onClose={onClose} title={`Holders of ${license.product} (${license.key})`} size="xl">
      <Stack gap="sm">
        <Group justify="space-between">
          <SearchInput value={q} onChange={setQ} label="Search holders" placeholder="Search user or domain" />
          <Text size="xs" c="dimmed">
            {license.limits.used ?? '?'} of {license.limits.seats ?? '?'} used
          </Text>
        </Group>
        <ErrorAlert error={users.error} onRetry={users.refetch} compact />
        {done ? (
          <Text size="sm" c="teal" role="status">
            {done} was forced offline.
          </Text>
        ) : null}
        <Table verticalSpacing={4} className="kf-compact-table" aria-label="License holders">
          <TableHead columns={['User', 'Domain', { label: 'Sessions', ta: 'right' }, '']} />
          <Table.Tbody>
            {users.data?.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    Nobody holds this license{q ? ' with that name' : ''}.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {(users.data ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>
                  {u.name} <Text span size="xs" c="dimmed">#{u.id}</Text>
                </Table.Td>
                <Table.Td>{u.domain}</Table.Td>
                <Table.Td ta="right">
                  <Badge size="sm" variant={u.sessions ? 'filled' : 'light'} color={u.sessions ? 'teal' : 'gray'}>
                    {u.sessions}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  <Tooltip label={u.canLogout ? 'End all sessions of this user' : (u.reason ?? 'Not allowed')} withArrow>
                    <span>
                      <Button size="compact-xs" color="red" variant="light" disabled={!u.canLogout} leftSection={<Icon name="logout" size={12} />} onClick={() => setTarget(u)} aria-label={`Force ${u.name} offline`}>
                        Log out
                      </Button>
                    </span>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      <ConfirmDialog
        opened={target !== null}
        title={`Force ${target?.name ?? ''} offline?`}
        confirmLabel="Log out"
        danger
        busy={logout.isPending}
        error={logout.error}
        onCancel={() => {
          setTarget(null);
          logout.reset();
        }}
        onConfirm={() => {
          if (!target) return;
          logout.mutate(
            { instance: instance.id, licenseId: license.key, userId: target.id },
            {
              onSuccess: () => {
                setDone(target.name);
                setTarget(null);
                void users.refetch();
              },
            },
          );
        }}
      >
        {`Their ${target?.sessions ?? 0} session(s) end now and any unsaved work in Webitel is lost.`}
      </ConfirmDialog>
    </Modal>
  );
}
