import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../../shared/api/bridge.ts';
import { useApiMutation } from '../../shared/api/queries.ts';
import { DRIFT_SENTENCES } from '../../shared/ui/Badges.tsx';
import { failureText } from '../../shared/errors.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { IssueTable } from '../../shared/ui/IssueTable.tsx';
import { JobProgressView } from '../../shared/ui/JobProgressView.tsx';
import { useJob } from '../../shared/api/useJob.ts';
import type { RefreshSummary } from '../../shared/types.ts';

type Drift = NonNullable<RefreshSummary['drift']>[number];

/** What to do about an instance whose running key is not the recorded one. */
function driftAdvice(d: Drift): string {
  if (d.runningKeyOf) return `It ran the key recorded for ${d.runningKeyOf}: one server added twice? Remove one of them.`;
  return `${d.state === 'differs' ? DRIFT_SENTENCES.differs : DRIFT_SENTENCES.unknown}. Open the instance to put the recorded key back or accept the running one.`;
}

/** Check many instances now: bounded concurrency in main, progress here, cancel at any time. */
export function BulkRefreshDialog({ onClose, instanceIds, label }: { onClose: () => void; instanceIds?: string[] | undefined; label: string }) {
  const job = useJob('refresh');
  const { mutateAsync: refresh } = useApiMutation('refreshInstances');
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<RefreshSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // The user asked for this refresh explicitly; start it right away (once, even under StrictMode).
    if (started.current) return;
    started.current = true;
    const jobId = job.start();
    setRunning(true);
    refresh(instanceIds ? { instanceIds, jobId } : { jobId })
      .then(setSummary, (e: unknown) => setError(asApiError(e, 'refreshInstances')))
      .finally(() => setRunning(false));
  }, [job, instanceIds, refresh]);

  return (
    <Modal opened onClose={onClose} title={`Refresh ${label}`} size="lg" closeOnClickOutside={!running}>
      <Stack gap="sm">
        {!error ? <JobProgressView state={job.state} running={running} /> : null}
        <ErrorAlert error={error} />
        {summary ? (
          <Stack gap={6}>
            <Text size="sm" role="status">
              {summary.cancelled ? 'Cancelled. ' : ''}Checked {summary.checked}: <Text span c="teal">{summary.ok} ok</Text>
              {summary.failed ? <Text span c="red"> · {summary.failed} failed</Text> : null}
              {summary.drift?.length ? <Text span c="orange"> · {summary.drift.length} drifted</Text> : null} in {(summary.durationMs / 1000).toFixed(1)} s.
            </Text>
            {summary.failures.length ? (
              <IssueTable label="Failures" head={['Instance', 'Error']} rows={summary.failures.map((f) => ({ key: f.instance, subject: f.instance, message: failureText(f.error) }))} />
            ) : null}
            {summary.drift?.length ? (
              <IssueTable label="Drift" head={['Instance', 'Drift']} color="orange" rows={summary.drift.map((d) => ({ key: d.instanceId, subject: d.instance, message: driftAdvice(d) }))} />
            ) : null}
          </Stack>
        ) : null}
        <Group justify="flex-end" gap="xs">
          {running ? (
            <Button color="red" variant="light" onClick={() => void job.cancel()}>
              Cancel
            </Button>
          ) : null}
          <Button variant={running ? 'default' : 'filled'} onClick={onClose}>
            {running ? 'Hide' : 'Close'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
