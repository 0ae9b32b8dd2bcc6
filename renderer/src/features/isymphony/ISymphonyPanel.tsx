import { Button, Code, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import type { InstanceView } from '../../shared/types.ts';
import { ActivateSerialDialog } from './ActivateSerialDialog.tsx';
import { TableHead } from '../../shared/ui/TableHead.tsx';

/** iSymphony: which core server this instance means, its module licenses, and serial activation. */
export function ISymphonyPanel({ instance }: { instance: InstanceView }) {
  const servers = useApiQuery('isymphonyCoreServers', { ref: instance.id });
  const modules = useApiQuery('isymphonyModules', { instance: instance.id });
  const save = useApiMutation('updateInstance');
  const [core, setCore] = useState<string | null>(instance.coreServer ?? null);
  const [activating, setActivating] = useState(false);
  useEffect(() => setCore(instance.coreServer ?? null), [instance.coreServer]);

  const options = (servers.data ?? []).map((s) => ({ value: s.slug, label: s.name === s.slug ? s.name : `${s.name} (${s.slug})` }));
  if (instance.coreServer && !options.some((o) => o.value === instance.coreServer)) options.unshift({ value: instance.coreServer, label: `${instance.coreServer} (saved)` });

  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="xs">
        <Title order={4}>iSymphony</Title>
        <Button leftSection={<Icon name="key" size={14} />} onClick={() => setActivating(true)}>
          Activate serial…
        </Button>
      </Group>
      <Stack gap="sm">
        <Group gap="xs" align="flex-end">
          <Select
            label="Core server"
            data={options}
            value={core}
            onChange={setCore}
            allowDeselect={false}
            placeholder={servers.isFetching ? 'Loading core servers…' : 'Pick a core server'}
            w={280}
            size="xs"
          />
          <Button size="xs" variant="light" disabled={!core || core === instance.coreServer} loading={save.isPending} onClick={() => core && save.mutate({ ref: instance.id, patch: { coreServer: core } })}>
            Use this core server
          </Button>
          <Button size="xs" variant="subtle" onClick={() => void servers.refetch()} leftSection={<Icon name="refresh" size={12} />}>
            Reload list
          </Button>
        </Group>
        <ErrorAlert error={servers.error} compact />
        <ErrorAlert error={save.error} compact />
        <div>
          <Text size="sm" fw={600} mb={4}>
            Module licenses
          </Text>
          <ErrorAlert error={modules.error} onRetry={modules.refetch} compact />
          {modules.data && modules.data.length === 0 ? <Text size="sm" c="dimmed">No module licenses.</Text> : null}
          {modules.data?.length ? (
            <Table verticalSpacing={4} className="kf-compact-table" aria-label="Module licenses">
              <TableHead columns={['Module', 'ID', 'Properties']} />
              <Table.Tbody>
                {modules.data.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{m.moduleId}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">{m.id}</Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'normal' }}>
                      {Object.entries(m.properties).map(([k, v]) => (
                        <Code key={k} fz="xs" mr={4}>
                          {k}={typeof v === 'object' ? JSON.stringify(v) : String(v)}
                        </Code>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </div>
      </Stack>
      {activating ? <ActivateSerialDialog instance={instance} onClose={() => setActivating(false)} /> : null}
    </Paper>
  );
}
