import { Alert, Button, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useMemo, useState } from 'react';
import { asApiError, call, type ApiError } from '../../shared/api/bridge.ts';
import { ConfirmStep } from '../../shared/ui/ConfirmStep.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { JobProgressView } from '../../shared/ui/JobProgressView.tsx';
import { NextSteps } from '../../shared/ui/NextSteps.tsx';
import { useJob } from '../../shared/api/useJob.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { activationStepLabel, keyIsStored } from './activationSteps.ts';
import { ActivationResultView } from './ActivationResultView.tsx';
import type { ActivationResult, Input } from '../../shared/types.ts';
import { initialActivatePpkValues, toActivatePpkInput, validateActivatePpk, type ActivatePpkValues } from './activatePpkForm.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

type Pending = { method: 'activatePpk'; input: Input<'activatePpk'> } | { method: 'installStoredKey'; input: Input<'installStoredKey'> };
type Phase = 'form' | 'running' | 'confirm' | 'failed' | 'done';

/** Where the activation stands. `pending` is the last call sent: confirming sends it again with confirm: true. */
interface Run {
  phase: Phase;
  pending: Pending | null;
  error: ApiError | null;
  confirmMessage: string;
  result: ActivationResult | null;
  /** The key a failed activation converted and stored, ready for "Install stored key". */
  storedLicenseId: string | null;
  /** "Stop waiting" was pressed and the job is being cancelled. */
  stopping: boolean;
}

const NOT_STARTED: Run = { phase: 'form', pending: null, error: null, confirmMessage: '', result: null, storedLicenseId: null, stopping: false };

function ppkLabel(p: { productName: string; agents: number; servers: number; durationLabel: string; ppk: string; state: string; heldFor: string | null }) {
  const note = p.state === 'converted' ? ' (converted, not installed)' : p.heldFor ? ` (held for ${p.heldFor})` : '';
  return `${p.productName} ${p.agents} agents / ${p.servers} srv / ${p.durationLabel}${note} — ${p.ppk}`;
}

/**
 * Spend a PPK on a QueueMetrics instance: convert it on the Loway key server, install the key with
 * QM.setActivationKey and read it back. The server may ask for an explicit confirmation
 * (NEEDS_CONFIRMATION); when installing fails after the conversion, the stored key can be installed.
 */
export function ActivatePpkDialog({ onClose, instanceId, ppkId }: { onClose: () => void; instanceId?: string | undefined; ppkId?: string | undefined }) {
  const instances = useApiQuery('listInstances', {});
  const ppks = useApiQuery('listPpks', {});
  const clients = useApiQuery('listClients', {});
  const sources = useApiQuery('listSources', {});
  const form = useForm<ActivatePpkValues>({ mode: 'controlled', initialValues: initialActivatePpkValues(instanceId, ppkId), validate: validateActivatePpk, validateInputOnBlur: true });
  const { instance, ppk, source, enduser } = form.values;
  // A PPK picked by hand (or given) stays; otherwise the one suggested for the instance is preselected.
  const [ppkPicked, setPpkPicked] = useState(Boolean(ppkId));
  const [run, setRun] = useState<Run>(NOT_STARTED);
  const { phase, pending, error, confirmMessage, result, storedLicenseId, stopping } = run;
  const setPhase = (next: Phase) => setRun((r) => ({ ...r, phase: next }));
  const job = useJob('activate');
  const activatePpk = useApiMutation('activatePpk');
  const installStoredKey = useApiMutation('installStoredKey');
  const suggestion = useApiQuery('suggestPpk', { instance: instance ?? '' }, { enabled: Boolean(instance) && phase === 'form' });

  const qmInstances = useMemo(() => (instances.data ?? []).filter((i) => i.kind === 'queuemetrics'), [instances.data]);
  const target = qmInstances.find((i) => i.id === instance);
  const client = clients.data?.find((c) => c.id === target?.clientId);
  const lowaySources = (sources.data ?? []).filter((s) => s.kind === 'loway-keyserver');
  const usablePpks = (ppks.data ?? []).filter((p) => p.state === 'in-stock' || (p.state === 'converted' && !p.instanceId));
  const chosenPpk = ppks.data?.find((p) => p.id === ppk);
  // Why this PPK, when it is the one Keyfleet chose from stock.
  const choiceReason = chosenPpk && suggestion.data?.ppk?.id === chosenPpk.id ? suggestion.data.reason : null;

  // The end-user defaults to the instance's client; the e-mail, as the main process does it, to the key
  // source's default (the reseller's address) and only then to the client's.
  const sourceEmail = (lowaySources.find((s) => s.id === source) ?? (lowaySources.length === 1 ? lowaySources[0] : undefined))?.email;
  const { setValues } = form;
  useEffect(() => {
    setValues({ enduser: client?.name ?? '' });
  }, [client?.name, setValues]);
  useEffect(() => {
    setValues({ email: sourceEmail ?? client?.email ?? '' });
  }, [sourceEmail, client?.email, setValues]);

  useEffect(() => {
    const s = suggestion.data?.ppk;
    if (s && !ppkPicked) setValues({ ppk: s.id });
  }, [suggestion.data, ppkPicked, setValues]);

  const runCall = async (p: Pending) => {
    const jobId = job.start();
    setRun((r) => ({ ...r, pending: p, phase: 'running', error: null }));
    try {
      const value = p.method === 'activatePpk' ? await activatePpk.mutateAsync({ ...p.input, jobId }) : await installStoredKey.mutateAsync({ ...p.input, jobId });
      setRun((r) => ({ ...r, result: value, phase: 'done', stopping: false }));
    } catch (e) {
      const err = asApiError(e, p.method);
      if (err.code === 'NEEDS_CONFIRMATION') {
        setRun((r) => ({ ...r, confirmMessage: err.message, phase: 'confirm', stopping: false }));
        return;
      }
      setRun((r) => ({ ...r, error: err, phase: 'failed', stopping: false }));
      if (p.method === 'activatePpk') {
        const stored = await convertedLicense(err, p.input.ppk);
        setRun((r) => ({ ...r, storedLicenseId: stored }));
      }
    } finally {
      job.finish();
    }
  };

  // A failure after the conversion leaves a stored key: the details say so, or the PPK's state does.
  const convertedLicense = async (err: ApiError, ppkRef: string | undefined): Promise<string | null> => {
    const fromDetails = err.details?.licenseId;
    if (typeof fromDetails === 'string') return fromDetails;
    if (!ppkRef) return null;
    try {
      const list = await call('listPpks', {});
      const p = list.find((x) => x.id === ppkRef || x.ppk === ppkRef);
      return p && p.state === 'converted' && p.licenseId ? p.licenseId : null;
    } catch {
      return null;
    }
  };

  const activate = (values: ActivatePpkValues) => void runCall({ method: 'activatePpk', input: toActivatePpkInput(values) });

  const confirm = () => {
    if (!pending) return;
    void runCall(pending.method === 'activatePpk' ? { method: 'activatePpk', input: { ...pending.input, confirm: true } } : { method: 'installStoredKey', input: { ...pending.input, confirm: true } });
  };

  const installStored = () => {
    if (!storedLicenseId || !instance) return;
    void runCall({ method: 'installStoredKey', input: { license: storedLicenseId, instance } });
  };

  const running = phase === 'running';
  // Stopping is offered only once nothing can be lost by it: after the key is stored (or when only installing one).
  const canStop = running && (pending?.method === 'installStoredKey' || keyIsStored(job.state.progress?.current));
  const stop = () => {
    setRun((r) => ({ ...r, stopping: true }));
    void job.cancel();
  };
  // Shown as typed (an e-mail main would refuse is held back before any PPK is spent). The fields are
  // not a <form>: Enter in a field must not spend a PPK.
  const problems = validateActivatePpk(form.values);
  return (
    <Modal opened onClose={onClose} title="Activate PPK" size="lg" closeOnClickOutside={!running}>
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm">
          <Select
            label="QueueMetrics instance"
            placeholder={qmInstances.length ? 'Pick an instance' : 'No QueueMetrics instance yet'}
            data={qmInstances.map((i) => ({ value: i.id, label: i.client ? `${i.name} (${i.client})` : i.name }))}
            {...form.getInputProps('instance')}
            onChange={(v) => {
              form.setFieldValue('instance', v);
              if (!ppkId) setPpkPicked(false);
            }}
            searchable
            allowDeselect={false}
            disabled={phase !== 'form' && phase !== 'failed'}
            data-autofocus={!instanceId || undefined}
          />
          <Select
            label="Key source"
            placeholder={lowaySources.length > 1 ? 'Pick a Loway key server' : lowaySources[0]?.name ?? 'No Loway key server yet'}
            data={lowaySources.map((s) => ({ value: s.id, label: s.name }))}
            {...form.getInputProps('source')}
            clearable
            disabled={lowaySources.length <= 1 || (phase !== 'form' && phase !== 'failed')}
          />
        </SimpleGrid>
        <Select
          label="PPK"
          placeholder={usablePpks.length ? 'Pick a PPK from stock' : 'No PPK in stock'}
          description={suggestion.data?.reason ? `Suggested: ${suggestion.data.reason}` : undefined}
          data={usablePpks.map((p) => ({ value: p.id, label: ppkLabel(p) }))}
          {...form.getInputProps('ppk')}
          onChange={(v) => {
            form.setFieldValue('ppk', v);
            setPpkPicked(true);
          }}
          searchable
          // Picking the suggested PPK again must not clear it.
          allowDeselect={false}
          disabled={phase !== 'form' && phase !== 'failed'}
          nothingFoundMessage="No PPK matches"
        />
        <ErrorAlert error={ppks.error ?? suggestion.error} compact />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="End-user" description="Shown as the key's name on the QM License page" disabled={phase !== 'form'} required {...form.getInputProps('enduser')} />
          <TextInput
            label="E-mail"
            description="Receives Loway's note with the new license"
            placeholder={lowaySources[0]?.email ?? 'licenses@reseller.example'}
            {...form.getInputProps('email')}
            error={problems.email}
            disabled={phase !== 'form'}
          />
        </SimpleGrid>
        {phase === 'form' ? (
          <Alert color="yellow" variant="light" icon={<Icon name="alert" />} title="This spends a PPK">
            <Text size="sm">
              Loway converts {chosenPpk ? <b>{chosenPpk.ppk}</b> : 'the PPK'} into a key for <b>{enduser || 'the end-user'}</b> (it cannot be undone or reused), then Keyfleet installs it on{' '}
              <b>{target?.name ?? 'the instance'}</b>. QueueMetrics restarts and user sessions are cut.
            </Text>
            {choiceReason ? (
              <Text size="sm" mt={4} aria-label="Why this PPK">
                Chosen from stock: {choiceReason}.
              </Text>
            ) : null}
          </Alert>
        ) : null}
        {phase === 'running' || (phase !== 'form' && job.state.log.length) ? <JobProgressView state={job.state} running={running} single stepLabel={activationStepLabel} /> : null}
        {phase === 'confirm' ? (
          <ConfirmStep title="Confirm to continue" confirmLabel={pending?.method === 'installStoredKey' ? 'Confirm and install' : 'Confirm and activate'} onConfirm={confirm} onBack={() => setPhase('form')}>
            {confirmMessage}
          </ConfirmStep>
        ) : null}
        {phase === 'failed' ? <ErrorAlert error={error} /> : null}
        {phase === 'failed' ? <NextSteps error={error} except={storedLicenseId ? ['install-stored-key'] : []} /> : null}
        {phase === 'failed' && storedLicenseId ? (
          <Alert color="blue" variant="light" icon={<Icon name="key" />} title="The key was created and saved">
            <Text size="sm">The PPK was converted and its key is stored in Keyfleet; only installing it failed. Install the stored key once the instance is reachable.</Text>
            <Button mt="sm" onClick={installStored} leftSection={<Icon name="upload" size={14} />}>
              Install stored key
            </Button>
          </Alert>
        ) : null}
        {phase === 'done' && result ? <ActivationResultView result={result} /> : null}
        <DialogActions
          onClose={onClose}
          done={phase === 'done'}
          dismissDisabled={running}
          leading={
            canStop ? (
              <Button variant="light" color="orange" onClick={stop} loading={stopping} title="The key stays stored: install it later with “Install stored key”">
                Stop waiting
              </Button>
            ) : null
          }
        >
          {phase === 'form' ? (
            <Button onClick={() => form.onSubmit(activate)()} disabled={Object.keys(problems).length > 0} leftSection={<Icon name="bolt" size={14} />}>
              Activate PPK
            </Button>
          ) : null}
          {phase === 'failed' && !storedLicenseId ? (
            <Button variant="light" onClick={() => setPhase('form')}>
              Back
            </Button>
          ) : null}
        </DialogActions>
      </Stack>
    </Modal>
  );
}
