import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { NextSteps } from '../../shared/ui/NextSteps.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { useMutation } from '../../hooks/useMutation.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { formatDate } from '../../shared/format.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Convert a PPK into a key without installing it anywhere (for an instance Keyfleet cannot reach). */
export function ConvertPpkDialog({ onClose, ppkId }: { onClose: () => void; ppkId: string }) {
  const ppks = useQuery('listPpks', {});
  const clients = useQuery('listClients', {});
  const sources = useQuery('listSources', {});
  const convert = useMutation('convertPpk');
  const ppk = ppks.data?.find((p) => p.id === ppkId);
  const loway = (sources.data ?? []).filter((s) => s.kind === 'loway-keyserver');
  const [client, setClient] = useState<string | null>(null);
  const [enduser, setEnduser] = useState('');
  const [email, setEmail] = useState('');
  const [source, setSource] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const emailOk = EMAIL.test(email.trim());

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
        {convert.result ? (
          <Alert color="teal" variant="light" icon={<Icon name="check" />} title="Converted and saved" role="status">
            <dl className="kf-dl">
              <dt>Key</dt>
              <dd>
                <MaskedKey value={convert.result.license.key} label="new key" />
              </dd>
              <dt>Expires</dt>
              <dd>{formatDate(convert.result.license.expiresAt)}</dd>
            </dl>
          </Alert>
        ) : confirming ? (
          <Alert color="yellow" variant="light" icon={<Icon name="alert" />} title="This spends the PPK" role="alert">
            <Text size="sm">Loway turns it into a key for {enduser}; it cannot be reused.</Text>
            <Group gap="xs" mt="sm">
              <Button color="yellow" loading={convert.running} onClick={() => void convert.run({ ppk: ppkId, enduser: enduser.trim(), email: email.trim(), ...(source ? { source } : {}) }).then(() => setConfirming(false))}>
                Convert
              </Button>
              <Button variant="default" onClick={() => setConfirming(false)}>
                Back
              </Button>
            </Group>
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {convert.result ? 'Close' : 'Cancel'}
          </Button>
          {!convert.result && !confirming ? (
            <Button disabled={!enduser.trim() || !emailOk} onClick={() => setConfirming(true)}>
              Convert…
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
