import { Badge, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { DriftBadge, StatusDot } from '../../shared/ui/Badges.tsx';
import { ConfirmRemoveDialog } from '../../shared/ui/ConfirmRemoveDialog.tsx';
import { CopyableValue } from '../../shared/ui/CopyIconButton.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { TagList } from '../../shared/ui/TagList.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDateTime, formatRelative, vendorLabel } from '../../shared/format.ts';
import { instanceHealth, soonestByInstance } from '../../shared/health.ts';
import { DriftAlert } from './DriftAlert.tsx';
import { InstanceHistory } from './InstanceHistory.tsx';
import { LicenseCard } from './LicenseCard.tsx';
import { KIND_UI } from './kindUi.tsx';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

/** One instance: its license, drift, history and the vendor's own actions. */
export function InstanceDetailPage({ instanceId }: { instanceId: string }) {
  const { navigate, openDialog } = useApp();
  const instances = useApiQuery('listInstances', {});
  const licenses = useApiQuery('listLicenses', { instanceId, includeSuperseded: true });
  const check = useApiMutation('checkInstance');
  const remove = useApiMutation('removeInstance');
  const [removing, setRemoving] = useState(false);
  const instance = instances.data?.find((i) => i.id === instanceId);

  if (!instance) {
    return (
      <div className="kf-page kf-page-scroll">
        <ErrorAlert error={instances.error} onRetry={instances.refetch} />
        {instances.data ? (
          <Stack align="flex-start">
            <Text>This instance no longer exists.</Text>
            <Button variant="default" onClick={() => navigate({ page: 'instances' })}>
              Back to instances
            </Button>
          </Stack>
        ) : (
          <Text c="dimmed">Loading…</Text>
        )}
      </div>
    );
  }

  const current = (licenses.data ?? []).filter((l) => l.status !== 'superseded');
  const health = instanceHealth(instance, soonestByInstance(current).get(instance.id));
  const lastCheck = instance.lastCheck;
  const { topPanel: TopPanel, sidePanel: SidePanel } = KIND_UI[instance.kind];

  return (
    <div className="kf-page kf-page-scroll">
      <Stack gap="md">
        <PageHeader
          leading={
            <TooltipIconButton icon="back" tooltip="Back to instances" label="Back to instances" onClick={() => navigate({ page: 'instances' })} size="lg" iconSize={18} />
          }
          title={
            <Group gap="xs" wrap="nowrap" component="span">
              <StatusDot {...health} />
              <span>{instance.name}</span>
              <Badge variant="light" size="sm">
                {vendorLabel(instance.kind)}
              </Badge>
              <DriftBadge drift={instance.drift} />
            </Group>
          }
          subtitle={instance.client ? `Client: ${instance.client}` : 'No client'}
          actions={
            <>
              <Button variant="light" leftSection={<Icon name="refresh" size={14} />} loading={check.isPending} onClick={() => check.mutate({ ref: instance.id })}>
                Check now
              </Button>
              <Button variant="default" leftSection={<Icon name="edit" size={14} />} onClick={() => openDialog({ kind: 'editInstance', instance })}>
                Edit
              </Button>
              <TooltipIconButton icon="trash" tooltip="Remove instance" label={`Remove instance ${instance.name}`} onClick={() => setRemoving(true)} danger size="lg" iconSize={16} />
            </>
          }
        />
        <ErrorAlert error={check.error} onClose={check.reset} />
        {check.data ? (
          <Text size="sm" c={check.data.drift === 'differs' || check.data.drift === 'unknown' ? 'red' : 'teal'} role="status">
            Checked just now:{' '}
            {check.data.licenses.length > 1
              ? `${check.data.licenses.length} licenses read`
              : check.data.license
                ? `${check.data.license.product}, expires ${check.data.license.expiresAt ?? 'never'}`
                : 'no license found'}
            {check.data.drift === 'differs' ? ' — it runs a key other than the one Keyfleet recorded for it' : check.data.drift === 'unknown' ? ' — it runs a key Keyfleet has no record of' : ''}
          </Text>
        ) : null}
        <DriftAlert instance={instance} licenses={licenses.data ?? []} />
        <Paper withBorder radius="md" p="md" className="kf-card">
          <dl className="kf-dl kf-dl-wide">
            <dt>URL</dt>
            <dd>
              <CopyableValue value={instance.url} label="Copy URL" />
            </dd>
            <dt>User</dt>
            <dd>{instance.user ?? '—'}</dd>
            <dt>Secret</dt>
            <dd>
              {instance.hasSecret ? (
                <span className="kf-secret-note">
                  <Icon name="lock" size={13} /> {instance.secret?.type === 'shared' ? 'shared credential in keychain' : 'secret stored in keychain'}
                </span>
              ) : (
                <Text span c="orange" size="sm">
                  none
                </Text>
              )}
            </dd>
            <dt>Certificate</dt>
            <dd>{instance.pinSha256 ? <Text span size="xs" ff="monospace">pinned {instance.pinSha256.slice(0, 23)}…</Text> : 'system trust'}</dd>
            <dt>Last check</dt>
            <dd>
              {lastCheck ? (
                <Text span size="sm" c={lastCheck.ok ? undefined : 'red'}>
                  {formatDateTime(lastCheck.at)} ({formatRelative(lastCheck.at)}){lastCheck.ok ? '' : ` — ${lastCheck.error?.code === 'NETWORK' || lastCheck.error?.code === 'TIMEOUT' ? 'server unreachable: ' : ''}${lastCheck.error?.message ?? 'failed'}`}
                </Text>
              ) : (
                'never'
              )}
            </dd>
            <dt>Tags</dt>
            <dd>
              <TagList tags={instance.tags} max={8} />
            </dd>
            {instance.group ? (
              <>
                <dt>Group</dt>
                <dd>{instance.group}</dd>
              </>
            ) : null}
            {instance.notes ? (
              <>
                <dt>Notes</dt>
                <dd style={{ whiteSpace: 'pre-wrap' }}>{instance.notes}</dd>
              </>
            ) : null}
          </dl>
        </Paper>
        {TopPanel ? <TopPanel instance={instance} licenses={licenses.data ?? []} /> : null}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack gap="md">
              <LicenseCard instance={instance} licenses={licenses.data ?? []} error={licenses.error} />
              {SidePanel ? <SidePanel instance={instance} licenses={licenses.data ?? []} /> : null}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Paper withBorder radius="md" p="md" className="kf-card">
              <Group justify="space-between" mb="xs">
                <Title order={4}>History</Title>
                <Button size="compact-xs" variant="subtle" leftSection={<Icon name="download" size={12} />} onClick={() => openDialog({ kind: 'export', what: 'history', instance: instance.id })}>
                  Export
                </Button>
              </Group>
              <InstanceHistory instanceId={instance.id} />
            </Paper>
          </Grid.Col>
        </Grid>
      </Stack>
      <ConfirmRemoveDialog
        target={removing ? instance : null}
        title={`Remove instance ${instance.name}?`}
        confirmLabel="Remove instance"
        remove={remove}
        onClose={() => setRemoving(false)}
        onRemoved={() => navigate({ page: 'instances' })}
      >
        Its secret is deleted from the keychain. Its licenses stay on record, detached from the instance.
      </ConfirmRemoveDialog>
    </div>
  );
}
