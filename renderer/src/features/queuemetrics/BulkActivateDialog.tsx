import { Alert, Badge, Button, Group, Modal, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { asApiError, type ApiError } from '../../shared/api/bridge.ts';
import { ConfirmStep } from '../../shared/ui/ConfirmStep.tsx';
import { failureText } from '../../shared/errors.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { JobProgressView } from '../../shared/ui/JobProgressView.tsx';
import { useJob } from '../../shared/api/useJob.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import type { Input, Result } from '../../shared/types.ts';
import { TableHead } from '../../shared/ui/TableHead.tsx';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

type Outcome = Result<'activateBulk'>;
const AUTO = '__auto__';

/** Spend one PPK per selected QueueMetrics instance, with bounded concurrency in main, progress and cancel here. */
export function BulkActivateDialog({ onClose, instanceIds }: { onClose: () => void; instanceIds: string[] }) {
  const instances = useApiQuery('listInstances', {});
  const ppks = useApiQuery('listPpks', {});
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [phase, setPhase] = useState<'form' | 'running' | 'confirm' | 'done' | 'failed'>('form');
  const [confirmMessage, setConfirmMessage] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const job = useJob('bulk');
  const activateBulk = useApiMutation('activateBulk');

  const selected = useMemo(() => (instances.data ?? []).filter((i) => instanceIds.includes(i.id)), [instances.data, instanceIds]);
  const qm = selected.filter((i) => i.kind === 'queuemetrics');
  const skipped = selected.length - qm.length;
  const stock = (ppks.data ?? []).filter((p) => p.state === 'in-stock');
  const names = new Map((instances.data ?? []).map((i) => [i.id, i.name]));
  const ppkNames = new Map((ppks.data ?? []).map((p) => [p.id, p.ppk]));

  const items = (): Input<'activateBulk'>['items'] => qm.map((i) => (choice[i.id] && choice[i.id] !== AUTO ? { instance: i.id, ppk: choice[i.id]! } : { instance: i.id }));

  const run = async (confirm: boolean) => {
    const jobId = job.start();
    setPhase('running');
    setError(null);
    try {
      setOutcome(await activateBulk.mutateAsync({ items: items(), jobId, ...(confirm ? { confirm: true } : {}) }));
      setPhase('done');
    } catch (e) {
      const err = asApiError(e, 'activateBulk');
      if (err.code === 'NEEDS_CONFIRMATION') {
        setConfirmMessage(err.message);
        setPhase('confirm');
      } else {
        setError(err);
        setPhase('failed');
      }
    } finally {
      job.finish();
    }
  };

  const running = phase === 'running';
  return (
    <Modal opened onClose={onClose} title={`Activate PPKs on ${qm.length} instance${qm.length === 1 ? '' : 's'}`} size="xl" closeOnClickOutside={!running}>
      <Stack gap="sm">
        {skipped ? (
          <Text size="sm" c="dimmed">
            {skipped} selected instance{skipped === 1 ? ' is' : 's are'} not QueueMetrics and {skipped === 1 ? 'is' : 'are'} left out.
          </Text>
        ) : null}
        <ErrorAlert error={instances.error ?? ppks.error} compact />
        {phase === 'form' || phase === 'confirm' ? (
          <ScrollArea.Autosize mah={320}>
            <Table verticalSpacing={4} className="kf-compact-table" aria-label="Instances and PPKs">
              <TableHead columns={['Instance', 'Client', 'PPK']} />
              <Table.Tbody>
                {qm.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>{i.name}</Table.Td>
                    <Table.Td>{i.client ?? '—'}</Table.Td>
                    <Table.Td w={380}>
                      <Select
                        size="xs"
                        aria-label={`PPK for ${i.name}`}
                        data={[{ value: AUTO, label: 'Best match from stock (server picks)' }, ...stock.map((p) => ({ value: p.id, label: `${p.agents} agents / ${p.servers} srv / ${p.durationLabel} — ${p.ppk}` }))]}
                        value={choice[i.id] ?? AUTO}
                        onChange={(v) => setChoice((c) => ({ ...c, [i.id]: v ?? AUTO }))}
                        allowDeselect={false}
                        disabled={phase !== 'form'}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        ) : null}
        {phase === 'form' ? (
          <Alert color="yellow" variant="light" icon={<Icon name="alert" />} title={`This spends up to ${qm.length} PPK${qm.length === 1 ? '' : 's'}`}>
            <Text size="sm">Each PPK is converted on the Loway key server and installed; each QueueMetrics restarts once its key is set.</Text>
          </Alert>
        ) : null}
        {phase === 'confirm' ? (
          <ConfirmStep title="Confirm to continue" confirmLabel="Confirm and activate" onConfirm={() => void run(true)} onBack={() => setPhase('form')}>
            {confirmMessage}
          </ConfirmStep>
        ) : null}
        {running || (phase !== 'form' && job.state.progress) ? <JobProgressView state={job.state} running={running} /> : null}
        {phase === 'failed' ? <ErrorAlert error={error} /> : null}
        {outcome ? (
          <Stack gap={6} role="status">
            <Group gap="xs">
              <Badge color="teal" variant="light">{outcome.ok} activated</Badge>
              <Badge color={outcome.failed ? 'red' : 'gray'} variant="light">{outcome.failed} failed</Badge>
              {outcome.cancelled ? <Badge color="gray">cancelled</Badge> : null}
              <Text size="xs" c="dimmed">in {(outcome.durationMs / 1000).toFixed(1)} s</Text>
            </Group>
            <ScrollArea.Autosize mah={300}>
              <Table verticalSpacing={3} className="kf-compact-table" aria-label="Results">
                <Table.Tbody>
                  {outcome.results.map((r) => (
                    <Table.Tr key={r.instance}>
                      <Table.Td>
                        <Icon name={r.ok ? 'check' : 'x'} size={14} />
                      </Table.Td>
                      <Table.Td>{names.get(r.instance) ?? r.instance}</Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace">{r.ppk ? (ppkNames.get(r.ppk) ?? r.ppk) : '—'}</Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'normal' }}>
                        {r.ok ? (
                          <Text size="xs">
                            expires {formatDate(r.expiresAt ?? null)}
                            {r.verified === false ? ' · not verified yet' : ''}
                          </Text>
                        ) : (
                          <Text size="xs" c="red">
                            {r.error ? failureText(r.error) : null}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Stack>
        ) : null}
        <DialogActions
          onClose={onClose}
          done={phase === 'done'}
          dismissDisabled={running}
          leading={
            running ? (
              <Button color="red" variant="light" onClick={() => void job.cancel()}>
                Cancel
              </Button>
            ) : null
          }
        >
          {phase === 'form' ? (
            <Button onClick={() => void run(false)} disabled={qm.length === 0} leftSection={<Icon name="bolt" size={14} />}>
              Activate {qm.length} PPK{qm.length === 1 ? '' : 's'}
            </Button>
          ) : null}
        </DialogActions>
      </Stack>
    </Modal>
  );
}
