import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useMutation } from '../hooks/useMutation.ts';
import { useQuery } from '../hooks/useQuery.ts';
import { parseDayList } from '../lib/format.ts';
import type { Input, LicenseView } from '../types.ts';

/** Which client a license belongs to, and its own reminder stages (empty = the client's or the global ones). */
export function LicenseSettingsDialog({ onClose, license }: { onClose: () => void; license: LicenseView }) {
  const clients = useQuery('listClients', {});
  const save = useMutation('updateLicense');
  const [client, setClient] = useState<string | null>(license.clientId);
  const [stages, setStages] = useState('');
  const [reset, setReset] = useState(false);
  const parsed = stages.trim() ? parseDayList(stages) : null;
  const stagesBad = stages.trim() !== '' && (parsed === null || parsed.some((d) => d > 3650));

  const submit = async () => {
    const input: Input<'updateLicense'> = { id: license.id };
    if (client !== license.clientId) input.client = client;
    // The view does not carry the license's own stages, so they change only when asked to.
    if (parsed) input.reminderStages = parsed;
    else if (reset) input.reminderStages = null;
    const r = await save.run(input);
    if (r.ok) onClose();
  };

  return (
    <Modal opened onClose={onClose} title={`License settings: ${license.product}`} size="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!stagesBad) void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {license.instance ? `On ${license.instance}` : 'Not installed on an instance'}
          </Text>
          <Select label="Client" data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={client} onChange={setClient} clearable searchable placeholder="No client" />
          <TextInput
            label="Reminder stages for this license"
            description="Days before expiry, e.g. 60, 30, 7; leave empty to keep what is set"
            placeholder="60, 30, 7"
            value={stages}
            onChange={(e) => setStages(e.currentTarget.value)}
            error={stagesBad ? 'Whole numbers of days up to 3650, separated by commas' : undefined}
            disabled={reset}
          />
          <Checkbox label="Forget this license's own stages (use the client's or the global ones)" checked={reset} onChange={(e) => setReset(e.currentTarget.checked)} />
          <ErrorAlert error={save.error} compact />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.running} disabled={stagesBad}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
