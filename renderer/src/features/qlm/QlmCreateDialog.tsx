import { Alert, Button, Divider, Group, Modal, NumberInput, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { ConfirmStep } from '../../shared/ui/ConfirmStep.tsx';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import { ExpiryInput, toExpiry } from './ExpiryInput.tsx';
import { FeaturesEditor } from './FeaturesEditor.tsx';
import { COMPUTER_TYPES, initialQlmCreateValues, MODEL_BASES, MODEL_VARIANTS, toNumber, toQlmCreateInput, validateQlmCreate, type QlmCreateValues } from './qlmCreateForm.ts';
import { ProductVersionInputs } from './ProductVersionInputs.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';

/** Every GetActivationKeyWithExpiryDate option; creating keys is not idempotent, so it is confirmed once. */
export function QlmCreateDialog({ onClose, sourceId }: { onClose: () => void; sourceId?: string | undefined }) {
  const sources = useApiQuery('listSources', {});
  const clients = useApiQuery('listClients', {});
  const form = useForm<QlmCreateValues>({ mode: 'controlled', initialValues: initialQlmCreateValues(sourceId), validate: validateQlmCreate, validateInputOnBlur: true });
  const [confirming, setConfirming] = useState(false);
  const create = useApiMutation('qlmCreate');
  const v = form.values;

  // Product defaults come from the chosen (or only) QLM source.
  const qlmSources = (sources.data ?? []).filter((s) => s.kind === 'qlm');
  const effective = qlmSources.find((s) => s.id === v.source) ?? (qlmSources.length === 1 ? qlmSources[0] : undefined);
  const { setValues } = form;
  useEffect(() => {
    const d = effective?.productDefaults;
    if (d) setValues({ productId: d.productId, major: d.major, minor: d.minor });
  }, [effective?.id, effective?.productDefaults, setValues]);

  const send = () => {
    const input = toQlmCreateInput(form.getValues());
    if (input) create.mutate(input, { onSettled: () => setConfirming(false) });
  };

  const q = toNumber(v.quantity) ?? 1;
  const keys = v.oneKeyForAllSeats ? 1 : q;
  return (
    <Modal opened onClose={onClose} title="Create QLM keys" size="xl">
      <form noValidate onSubmit={form.onSubmit(() => setConfirming(true))}>
        <ScrollArea.Autosize mah={create.error || create.data ? '48vh' : '70vh'} offsetScrollbars>
          <Stack gap="sm">
            <SimpleGrid cols={2} spacing="sm">
              <QlmSourceSelect value={v.source} onChange={(id) => form.setFieldValue('source', id)} />
              <Select size="xs" label="Client (optional)" data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} clearable searchable {...form.getInputProps('client')} />
            </SimpleGrid>
            <ProductVersionInputs inputProps={form.getInputProps} />
            <ExpiryInput value={v.expiry} onChange={(e) => form.setFieldValue('expiry', e)} />
            <Divider label="Seats and activations" labelPosition="left" />
            <SimpleGrid cols={3} spacing="sm">
              <NumberInput size="xs" label="Quantity (seats)" min={1} max={100_000} allowDecimal={false} {...form.getInputProps('quantity')} />
              <NumberInput size="xs" label="Activations per key" min={1} allowDecimal={false} placeholder="server default" {...form.getInputProps('activationsPerKey')} />
              <NumberInput size="xs" label="Additional activations" min={0} allowDecimal={false} placeholder="0" {...form.getInputProps('additionalActivations')} />
            </SimpleGrid>
            <Group gap="lg">
              <Switch size="xs" label="One key for all seats" {...form.getInputProps('oneKeyForAllSeats', { type: 'checkbox' })} />
              <Switch size="xs" label="Floating" {...form.getInputProps('floating', { type: 'checkbox' })} />
              <Group gap={6}>
                <Text size="xs">Computer type</Text>
                <SegmentedControl size="xs" aria-label="Computer type" data={COMPUTER_TYPES} {...form.getInputProps('computerType')} />
              </Group>
            </Group>
            <Divider label="License model" labelPosition="left" />
            <Group gap="sm" align="flex-end">
              <SegmentedControl size="xs" aria-label="License model" data={MODEL_BASES} {...form.getInputProps('model')} />
              <SegmentedControl size="xs" aria-label="License model variant" data={MODEL_VARIANTS} {...form.getInputProps('variant')} />
              <Text size="xs" c="dimmed" mb={4} ff="monospace">
                {v.model}
                {v.variant}
              </Text>
            </Group>
            <Group gap="sm" align="flex-end">
              <Switch size="xs" label="Maintenance plan" mb={6} {...form.getInputProps('maintenance.on', { type: 'checkbox' })} />
              {v.maintenance.on ? <NumberInput size="xs" label="Maintenance days" min={1} allowDecimal={false} w={150} {...form.getInputProps('maintenance.days')} /> : null}
              <TextInput size="xs" label="Affiliate ID" w={180} {...form.getInputProps('affiliateId')} />
            </Group>
            <Divider label="Features" labelPosition="left" />
            <FeaturesEditor value={v.features} onChange={(f) => form.setFieldValue('features', f)} />
          </Stack>
        </ScrollArea.Autosize>
        {/* Outcomes stay in view below the long form. */}
        <Stack gap="sm" mt={create.error || create.data ? 'sm' : 0}>
          <ErrorAlert error={create.error} />
          {create.error?.code === 'LOST_ANSWER' ? (
            <Alert color="orange" variant="light" title="Do not simply retry">
              The request reached the server but its answer was lost: keys may have been created. Check the QLM server before creating again.
            </Alert>
          ) : null}
          {create.data ? (
            <DoneAlert title={`${create.data.licenses.length} key${create.data.licenses.length === 1 ? '' : 's'} created and saved`}>
              <Table verticalSpacing={3} className="kf-compact-table" aria-label="Created keys">
                <Table.Tbody>
                  {create.data.licenses.map((l) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>
                        <MaskedKey value={l.key} label="new key" />
                      </Table.Td>
                      <Table.Td>{l.product}</Table.Td>
                      <Table.Td className="kf-num">expires {formatDate(l.expiresAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </DoneAlert>
          ) : null}
        </Stack>
        {confirming ? (
          <ConfirmStep
            title={`Create ${keys} key${keys === 1 ? '' : 's'} for ${q} seat${q === 1 ? '' : 's'}?`}
            color="yellow"
            mt="sm"
            confirmLabel="Create keys"
            busy={create.isPending}
            onConfirm={send}
            onBack={() => setConfirming(false)}
          >
            Every call creates new keys on {effective?.name ?? 'the QLM server'}; it is never retried automatically.
          </ConfirmStep>
        ) : null}
        <Group justify="flex-end" gap="xs" mt="sm">
          <Button variant="default" onClick={onClose}>
            {create.data ? 'Close' : 'Cancel'}
          </Button>
          {!confirming ? (
            <Button type="submit" disabled={!toExpiry(v.expiry).expiry || create.isPending} leftSection={<Icon name="key" size={14} />}>
              {create.data ? 'Create more…' : 'Create keys…'}
            </Button>
          ) : null}
        </Group>
      </form>
    </Modal>
  );
}
