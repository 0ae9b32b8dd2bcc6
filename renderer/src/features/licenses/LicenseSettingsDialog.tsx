import { Button, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { activeSnooze, formatDate, formatStages, parseDayList } from '../../shared/format.ts';
import type { Input, LicenseView } from '../../shared/types.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

const sameStages = (a: readonly number[] | null, b: readonly number[] | null) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Which client a license belongs to, and its own reminder stages: they override the client's and
 * the global ones; emptying the field goes back to those.
 */
export function LicenseSettingsDialog({ onClose, license }: { onClose: () => void; license: LicenseView }) {
  const clients = useApiQuery('listClients', {});
  const save = useApiMutation('updateLicense');
  const [client, setClient] = useState<string | null>(license.clientId);
  const [stages, setStages] = useState(license.reminderStages?.join(', ') ?? '');
  const parsed = stages.trim() ? parseDayList(stages) : null;
  const stagesBad = stages.trim() !== '' && (parsed === null || parsed.length > 20 || parsed.some((d) => d > 3650));
  const snoozed = activeSnooze(license);
  // Stages are kept largest first by the main process; compare the same way.
  const wanted = parsed ? [...new Set(parsed)].sort((a, b) => b - a) : null;
  const current = license.reminderStages ? [...license.reminderStages].sort((a, b) => b - a) : null;

  const submit = () => {
    const input: Input<'updateLicense'> = { id: license.id };
    if (client !== license.clientId) input.client = client;
    if (!sameStages(wanted, current)) input.reminderStages = wanted;
    if (Object.keys(input).length === 1) return onClose();
    save.mutate(input, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={`License settings: ${license.product}`} size="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!stagesBad) submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {license.instance ? `On ${license.instance}` : 'Not installed on an instance'}
            {license.expiresAt ? ` · expires ${formatDate(license.expiresAt)}` : ''}
          </Text>
          <Select label="Client" data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={client} onChange={setClient} clearable searchable placeholder="No client" />
          <TextInput
            label="Reminder stages for this license"
            description={
              license.reminderStages
                ? `Own stages now: ${formatStages(license.reminderStages)}. Empty the field to use the client's or the global ones.`
                : "None of its own: the client's or the global stages apply. Days before expiry, e.g. 60, 30, 7."
            }
            placeholder="60, 30, 7"
            value={stages}
            onChange={(e) => setStages(e.currentTarget.value)}
            error={stagesBad ? 'Whole numbers of days up to 3650 (20 at most), separated by commas' : undefined}
            rightSection={
              stages ? (
                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setStages('')} aria-label="Clear own stages">
                  Clear
                </Button>
              ) : null
            }
            rightSectionWidth={60}
          />
          <Text size="sm" c={snoozed || license.muted ? undefined : 'dimmed'} role="status">
            {license.muted ? 'Reminders are muted for this license.' : snoozed ? `Reminders are snoozed until ${formatDate(snoozed)}.` : 'Reminders are on.'}
          </Text>
          <ErrorAlert error={save.error} compact />
          <DialogActions onClose={onClose}>
            <Button type="submit" loading={save.isPending} disabled={stagesBad}>
              Save
            </Button>
          </DialogActions>
        </Stack>
      </form>
    </Modal>
  );
}
