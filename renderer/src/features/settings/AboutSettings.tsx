import { Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title, useMantineColorScheme } from '@mantine/core';
import { CopyableValue } from '../../shared/ui/CopyIconButton.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';

export function AboutSettings() {
  const { openDialog } = useApp();
  const info = useApiQuery('getAppInfo', {});
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const due = useApiMutation('dueReminders');
  const i = info.data;
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" className="kf-card">
        <Title order={4} mb="xs">
          Appearance
        </Title>
        <SegmentedControl
          aria-label="Theme"
          value={colorScheme}
          onChange={(v) => setColorScheme(v as 'auto' | 'light' | 'dark')}
          data={[
            { value: 'auto', label: 'Follow the OS' },
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
          ]}
        />
      </Paper>
      <Paper withBorder radius="md" p="md" className="kf-card">
        <Title order={4} mb="xs">
          Reminders and exports
        </Title>
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<Icon name="bell" size={14} />} loading={due.isPending} onClick={() => due.mutate({ dryRun: true })}>
            Preview reminders due now
          </Button>
          <Button size="xs" variant="default" leftSection={<Icon name="calendar" size={14} />} onClick={() => openDialog({ kind: 'export', what: 'calendar' })}>
            Expiry calendar (.ics)
          </Button>
          <Button size="xs" variant="default" leftSection={<Icon name="download" size={14} />} onClick={() => openDialog({ kind: 'export', what: 'licenses' })}>
            All licenses
          </Button>
        </Group>
        <ErrorAlert error={due.error} compact />
        {due.data ? (
          due.data.length === 0 ? (
            <Text size="sm" c="dimmed" mt="xs">
              No reminder is due now.
            </Text>
          ) : (
            <Table verticalSpacing={3} mt="xs" className="kf-compact-table" aria-label="Reminders due">
              <Table.Tbody>
                {due.data.map((r) => (
                  <Table.Tr key={`${r.licenseId}-${r.stage}`}>
                    <Table.Td>{r.title}</Table.Td>
                    <Table.Td c="dimmed">{r.body}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        ) : null}
      </Paper>
      <Paper withBorder radius="md" p="md" className="kf-card">
        <Title order={4} mb="xs">
          About
        </Title>
        <ErrorAlert error={info.error} compact />
        {i ? (
          <dl className="kf-dl">
            <dt>Version</dt>
            <dd>{i.version}</dd>
            <dt>Data directory</dt>
            <dd>
              <CopyableValue value={i.dataDir} label="Copy data directory" size="xs" />
            </dd>
            <dt>Keychain service</dt>
            <dd>
              <Text size="xs" ff="monospace">
                {i.keychainService}
              </Text>
            </dd>
            <dt>Platform</dt>
            <dd>{i.platform}</dd>
            <dt>Time zone</dt>
            <dd>{i.timeZone}</dd>
          </dl>
        ) : null}
      </Paper>
    </Stack>
  );
}
