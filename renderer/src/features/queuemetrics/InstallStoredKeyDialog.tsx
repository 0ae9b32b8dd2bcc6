import { Button, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { asApiError, type ApiError } from '../../shared/api/bridge.ts';
import { ConfirmStep } from '../../shared/ui/ConfirmStep.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { JobProgressView } from '../../shared/ui/JobProgressView.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { useJob } from '../../shared/api/useJob.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { activationStepLabel } from './activationSteps.ts';
import { formatDate } from '../../shared/format.ts';
import type { ActivationResult } from '../../shared/types.ts';
import { ActivationResultView } from './ActivationResultView.tsx';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

/** Put a key Keyfleet already holds onto a QueueMetrics instance (restarts QM). */
export function InstallStoredKeyDialog({ onClose, instanceId, licenseId }: { onClose: () => void; instanceId: string; licenseId: string }) {
  const licenses = useApiQuery('listLicenses', { includeSuperseded: true });
  const instances = useApiQuery('listInstances', {});
  const license = licenses.data?.find((l) => l.id === licenseId);
  const instance = instances.data?.find((i) => i.id === instanceId);
  const job = useJob('install');
  const installStoredKey = useApiMutation('installStoredKey');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirmMessage, setConfirmMessage] = useState<string | null>(null);
  const [result, setResult] = useState<ActivationResult | null>(null);

  const install = async (confirm: boolean) => {
    const jobId = job.start();
    setRunning(true);
    setError(null);
    setConfirmMessage(null);
    try {
      setResult(await installStoredKey.mutateAsync({ license: licenseId, instance: instanceId, jobId, ...(confirm ? { confirm: true } : {}) }));
    } catch (e) {
      const err = asApiError(e, 'installStoredKey');
      if (err.code === 'NEEDS_CONFIRMATION') setConfirmMessage(err.message);
      else setError(err);
    } finally {
      setRunning(false);
      job.finish();
    }
  };

  return (
    <Modal opened onClose={onClose} title="Install stored key" size="lg" closeOnClickOutside={!running}>
      <Stack gap="sm">
        <dl className="kf-dl">
          <dt>Instance</dt>
          <dd>{instance?.name ?? instanceId}</dd>
          <dt>Key</dt>
          <dd>{license ? <MaskedKey value={license.key} /> : '…'}</dd>
          <dt>Product</dt>
          <dd>{license?.product ?? '…'}</dd>
          <dt>Expires</dt>
          <dd>{formatDate(license?.expiresAt)}</dd>
        </dl>
        {!result ? (
          <Text size="sm" c="dimmed">
            QueueMetrics restarts when its key changes; user sessions are cut for a few seconds.
          </Text>
        ) : null}
        {running || job.state.log.length ? <JobProgressView state={job.state} running={running} single stepLabel={activationStepLabel} /> : null}
        {confirmMessage ? (
          <ConfirmStep title="Confirm to continue" confirmLabel="Confirm and install" onConfirm={() => void install(true)}>
            {confirmMessage}
          </ConfirmStep>
        ) : null}
        <ErrorAlert error={error} />
        {result ? <ActivationResultView result={result} /> : null}
        <DialogActions
          onClose={onClose}
          done={Boolean(result)}
          dismissDisabled={running}
          leading={
            running ? (
              <Button variant="light" color="orange" onClick={() => void job.cancel()} title="The key stays stored; install it again once the instance is back">
                Stop waiting
              </Button>
            ) : null
          }
        >
          {!result && !confirmMessage ? (
            <Button onClick={() => void install(false)} loading={running} leftSection={<Icon name="upload" size={14} />}>
              Install on {instance?.name ?? 'instance'}
            </Button>
          ) : null}
        </DialogActions>
      </Stack>
    </Modal>
  );
}
