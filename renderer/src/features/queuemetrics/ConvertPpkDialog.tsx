import { Button, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ConfirmStep } from '../../shared/ui/ConfirmStep.tsx';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { NextSteps } from '../../shared/ui/NextSteps.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import { isEmail } from '../../shared/forms/email.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';
import { NewKeyFacts } from '../../shared/ui/NewKeyFacts.tsx';

/** Convert a PPK into a key without installing it anywhere (for an instance Keyfleet cannot reach). */
export function ConvertPpkDialog({ onClose, ppkId }: { onClose: () => void; ppkId: string }) {
  const ppks = useApiQuery('listPpks', {});
  const clients = useApiQuery('listClients', {});
  const sources = useApiQuery('listSources', {});
  const convert = useApiMutation('convertPpk');
  const ppk = ppks.data?.find((p) => p.id === ppkId);
  const loway = (sources.data ?? []).filter((s) => s.kind === 'loway-keyserver');
  const [client, setClient] = useState<string | null>(null);
  const [enduser, setEnduser] = useState('');
  const [email, setEmail] = useState('');
  const [source, setSource] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const emailOk = isEmail(email.trim());

  return (
    <Modal opened onClose={onClose} title="Convert PPK without installing" size="md">
      <Stack gap="sm">
        <Text size="sm" ff="monospace">
          {ppk?.ppk ?? '…'}
        </Text>
        <Select
          label="Client (fills end-user and e-mail)"
          data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={client}
          onChange={(id) => {
            setClient(id);
            const c = clients.data?.find((x) => x.id === id);
            if (c) {
              setEnduser(c.name);
              setEmail(c.email ?? '');
            }
          }}
          searchable
          clearable
        />
        <TextInput label="End-user" required value={enduser} onChange={(e) => setEnduser(e.currentTarget.value)} />
        <TextInput label="E-mail" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={email && !emailOk ? 'Not an e-mail address' : undefined} />
        {loway.length > 1 ? <Select label="Key source" data={loway.map((s) => ({ value: s.id, label: s.name }))} value={source} onChange={setSource} /> : null}
        <ErrorAlert error={convert.error} compact />
        <NextSteps error={convert.error} />
        {convert.data ? (
          <DoneAlert title="Converted and saved">
            <NewKeyFacts keyValue={convert.data.license.key} expires={formatDate(convert.data.license.expiresAt)} />
          </DoneAlert>
        ) : confirming ? (
          <ConfirmStep
            title="This spends the PPK"
            color="yellow"
            confirmLabel="Convert"
            busy={convert.isPending}
            onConfirm={() => convert.mutate({ ppk: ppkId, enduser: enduser.trim(), email: email.trim(), ...(source ? { source } : {}) }, { onSettled: () => setConfirming(false) })}
            onBack={() => setConfirming(false)}
          >
            Loway turns it into a key for {enduser}; it cannot be reused.
          </ConfirmStep>
        ) : null}
        <DialogActions onClose={onClose} done={Boolean(convert.data)}>
          {!convert.data && !confirming ? (
            <Button disabled={!enduser.trim() || !emailOk} onClick={() => setConfirming(true)}>
              Convert…
            </Button>
          ) : null}
        </DialogActions>
      </Stack>
    </Modal>
  );
}
