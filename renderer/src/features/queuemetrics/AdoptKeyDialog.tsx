import { Alert, Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { asApiError } from '../../shared/api/bridge.ts';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { fieldError } from '../../shared/errors.ts';
import { formatDate, formatRelative } from '../../shared/format.ts';
import { initialAdoptValues, toAdoptInput, validateAdoptForm, type AdoptKeyFormValues } from './adoptKeyForm.ts';

/**
 * The key a QueueMetrics instance runs, installed before Keyfleet, becomes a license with its
 * expiry: from the PPK it was converted from (the key server is asked for it again and must give
 * this very key), or from the facts on the instance's License page.
 */
export function AdoptKeyDialog({ onClose, instanceId }: { onClose: () => void; instanceId: string }) {
  const instances = useApiQuery('listInstances', {});
  const ppks = useApiQuery('listPpks', {});
  const instance = instances.data?.find((i) => i.id === instanceId);
  const converted = (ppks.data ?? []).filter((p) => p.convertedElsewhere && !p.licenseId);
  const adopt = useApiMutation('adoptInstanceKey');
  const form = useForm<AdoptKeyFormValues>({ mode: 'controlled', initialValues: initialAdoptValues(true), validate: validateAdoptForm, validateInputOnBlur: true });
  const running = instance?.snapshot?.key ?? null;

  const save = async (v: AdoptKeyFormValues) => {
    try {
      await adopt.mutateAsync(toAdoptInput(instanceId, v));
    } catch (e) {
      const f = fieldError(asApiError(e), ['ppk', 'expiresAt', 'agents', 'servers']);
      if (f) {
        form.setFieldError(f.field, f.message);
        adopt.reset();
      }
    }
  };

  const done = adopt.data?.license;
  return (
    <Modal opened onClose={onClose} title={`Adopt the key ${instance?.name ?? ''} runs`} size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => void save(v))}>
        <Stack gap="sm">
          <dl className="kf-dl">
            <dt>Running key</dt>
            <dd>{running ? <MaskedKey value={running} /> : 'none read yet: it is read when you adopt'}</dd>
            {instance?.snapshot ? (
              <>
                <dt>Read</dt>
                <dd>{formatRelative(instance.snapshot.at)}</dd>
              </>
            ) : null}
          </dl>
          {done ? (
            <Alert color="teal" variant="light" title="Adopted" role="status" icon={<Icon name="check" />}>
              <Text size="sm">
                The key is now a license ({done.product}), expiring {formatDate(done.expiresAt)}. Reminders cover it.
              </Text>
            </Alert>
          ) : (
            <>
              <SegmentedControl
                aria-label="Where the facts come from"
                data={[
                  { value: 'ppk', label: 'Converted PPK from stock' },
                  { value: 'facts', label: 'Facts from the License page' },
                ]}
                {...form.getInputProps('way')}
              />
              {form.values.way === 'ppk' ? (
                <>
                  <Select
                    label="PPK it was converted from"
                    description="PPKs imported as “Already converted”. The key server is asked for its key again (it gives the same key and expiry); nothing is attached unless it is the key this instance runs."
                    placeholder={converted.length ? 'Choose a PPK' : 'No PPK is marked converted'}
                    data={converted.map((p) => ({ value: p.id, label: `${p.ppk} · ${p.agents} agents · ${p.servers} server${p.servers === 1 ? '' : 's'}` }))}
                    searchable
                    nothingFoundMessage="No such PPK marked converted"
                    {...form.getInputProps('ppk')}
                  />
                  {ppks.isSuccess && converted.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      Import the PPKs your keys came from on the Key stock page with “Already converted” ticked, or enter the facts from the License page.
                    </Text>
                  ) : null}
                </>
              ) : (
                <Group grow align="flex-start">
                  <TextInput label="Expiry date" type="date" required {...form.getInputProps('expiresAt')} />
                  <NumberInput label="Agents" min={1} allowDecimal={false} required {...form.getInputProps('agents')} />
                  <NumberInput label="Servers" min={1} allowDecimal={false} required {...form.getInputProps('servers')} />
                </Group>
              )}
            </>
          )}
          <ErrorAlert error={adopt.error} compact />
          <Group justify="flex-end" gap="xs" mt="xs">
            <Button variant="default" onClick={onClose}>
              {done ? 'Close' : 'Cancel'}
            </Button>
            {done ? null : (
              <Button type="submit" loading={adopt.isPending}>
                Adopt key
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
