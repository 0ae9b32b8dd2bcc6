import { Button, Group, Modal, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import type { InstanceView } from '../../shared/types.ts';
import { isEmail } from '../../shared/forms/email.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';
import { NewKeyFacts } from '../../shared/ui/NewKeyFacts.tsx';

const OUTCOME_TEXT = {
  activated: 'The serial was activated.',
  bound: 'The serial was bound to the licensee and activated.',
  'bind-cancelled': 'The pending bind was cancelled; nothing was activated.',
} as const;

/**
 * iSymphony serial activation. When the core server answers that the serial must first be bound
 * to a licensee (HTTP 307), Keyfleet completes the bind with these details inside the server's
 * five-second window, so they are asked before activating.
 */
export function ActivateSerialDialog({ instance, onClose }: { instance: InstanceView; onClose: () => void }) {
  const clients = useApiQuery('listClients', {});
  const client = clients.data?.find((c) => c.id === instance.clientId);
  const [step, setStep] = useState(0);
  const [serial, setSerial] = useState('');
  const [licensedTo, setLicensedTo] = useState('');
  const [email, setEmail] = useState('');
  const activate = useApiMutation('isymphonyActivate');

  useEffect(() => {
    setLicensedTo(client?.name ?? '');
    setEmail(client?.email ?? '');
  }, [client?.name, client?.email]);

  const emailBad = email.trim() !== '' && !isEmail(email.trim());
  const run = (cancelBind: boolean) => {
    activate.mutate({
      instance: instance.id,
      serial: serial.trim(),
      ...(licensedTo.trim() ? { licensedTo: licensedTo.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(cancelBind ? { cancelBind: true } : {}),
    }, { onSuccess: () => setStep(2) });
  };

  return (
    <Modal opened onClose={onClose} title={`Activate serial on ${instance.name}`} size="lg">
      <Stepper active={step} size="xs" mb="md" allowNextStepsSelect={false} onStepClick={(s) => s < step && step < 2 && setStep(s)}>
        <Stepper.Step label="Serial" description="from i9 Technologies" />
        <Stepper.Step label="Bind" description="licensee details" />
        <Stepper.Step label="Done" />
      </Stepper>
      {step === 0 ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (serial.trim()) setStep(1);
          }}
        >
          <Stack gap="sm">
            <TextInput label="Serial" classNames={{ input: 'kf-mono' }} value={serial} onChange={(e) => setSerial(e.currentTarget.value)} data-autofocus required />
            <Text size="xs" c="dimmed">
              Core server: {instance.coreServer ?? 'the instance default'}
            </Text>
            <DialogActions onClose={onClose}>
              <Button type="submit" disabled={!serial.trim()}>
                Next
              </Button>
            </DialogActions>
          </Stack>
        </form>
      ) : null}
      {step === 1 ? (
        <Stack gap="sm">
          <Text size="sm">
            If this serial is not bound yet, iSymphony asks to bind it to a licensee. Keyfleet answers with these details right away (the server waits only five seconds).
          </Text>
          <TextInput label="Licensed to" value={licensedTo} onChange={(e) => setLicensedTo(e.currentTarget.value)} required />
          <TextInput label="E-mail" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={emailBad ? 'Not an e-mail address' : undefined} />
          <ErrorAlert error={activate.error} />
          <Group justify="space-between" gap="xs">
            <Button variant="subtle" color="gray" onClick={() => run(true)} disabled={activate.isPending}>
              Cancel a pending bind
            </Button>
            <Group gap="xs">
              <Button variant="default" onClick={() => setStep(0)} disabled={activate.isPending}>
                Back
              </Button>
              <Button onClick={() => run(false)} loading={activate.isPending} disabled={!licensedTo.trim() || emailBad} leftSection={<Icon name="key" size={14} />}>
                Activate
              </Button>
            </Group>
          </Group>
        </Stack>
      ) : null}
      {step === 2 && activate.data ? (
        <Stack gap="sm">
          <DoneAlert title={OUTCOME_TEXT[activate.data.outcome]} color={activate.data.outcome === 'bind-cancelled' ? 'gray' : 'teal'}>
            <NewKeyFacts
              keyName="Serial"
              keyValue={activate.data.license.key}
              revealLabel="serial"
              product={activate.data.license.product}
              expires={activate.data.license.expiresAt ? formatDate(activate.data.license.expiresAt) : 'never (perpetual)'}
            />
          </DoneAlert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
