import { Button, Checkbox, Group, Modal, NumberInput, ScrollArea, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactNode } from 'react';
import { ConfirmStep } from '../../shared/ui/ConfirmStep.tsx';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import { ExpiryInput } from './ExpiryInput.tsx';
import { FeaturesEditor } from './FeaturesEditor.tsx';
import { ProductPropertiesEditor, toProductProperties } from './ProductPropertiesEditor.tsx';
import { QlmLicenseSummary } from './QlmLicenseSummary.tsx';
import { ProductVersionInputs } from './ProductVersionInputs.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';
import { firstProblem, initialQlmUpdateValues, LICENSE_MODELS, REVOCATION, toQlmUpdateInput, updateRisks, validateQlmUpdate, type QlmUpdatePart, type QlmUpdateValues } from './qlmUpdateForm.ts';

function Section({ on, onToggle, label, children }: { on: boolean; onToggle: (v: boolean) => void; label: string; children: ReactNode }) {
  return (
    <div>
      <Checkbox label={label} checked={on} onChange={(e) => onToggle(e.currentTarget.checked)} fw={500} />
      {on ? (
        <div style={{ paddingLeft: 28, paddingTop: 6 }}>
          {children}
        </div>
      ) : null}
    </div>
  );
}

/** UpdateLicenseHttp: change a key in place; only the ticked parts are sent. */
export function QlmUpdateDialog({ onClose, initialKey, sourceId }: { onClose: () => void; initialKey?: string | undefined; sourceId?: string | undefined }) {
  const form = useForm<QlmUpdateValues>({ mode: 'controlled', initialValues: initialQlmUpdateValues(initialKey, sourceId), validate: validateQlmUpdate, validateInputOnBlur: true });
  const [confirming, setConfirming] = useState(false);
  const update = useApiMutation('qlmUpdate');
  const v = form.values;

  const has = (p: QlmUpdatePart) => v.parts.includes(p);
  const toggle = (p: QlmUpdatePart) => (on: boolean) => form.setFieldValue('parts', (parts) => (on ? [...parts, p] : parts.filter((x) => x !== p)));
  const problem = firstProblem(validateQlmUpdate(v));
  const propertiesProblem = toProductProperties(v.properties).error;
  const risks = updateRisks(v);
  const risky = risks.revokes || risks.relative;
  const send = () => update.mutate(toQlmUpdateInput(form.getValues()), { onSettled: () => setConfirming(false) });

  return (
    <Modal opened onClose={onClose} title="Update a QLM key" size="xl">
      <form noValidate onSubmit={form.onSubmit(() => (risky ? setConfirming(true) : send()))}>
        <ScrollArea.Autosize mah={update.error || update.data ? '48vh' : '70vh'} offsetScrollbars>
          <Stack gap="sm">
            <SimpleGrid cols={2} spacing="sm">
              <TextInput size="xs" label="Activation key" classNames={{ input: 'kf-mono' }} required {...form.getInputProps('key')} />
              <QlmSourceSelect value={v.source} onChange={(id) => form.setFieldValue('source', id)} />
            </SimpleGrid>
            <Section on={has('expiry')} onToggle={toggle('expiry')} label="Change expiry">
              <ExpiryInput value={v.expiry} onChange={(e) => form.setFieldValue('expiry', e)} />
            </Section>
            <Section on={has('features')} onToggle={toggle('features')} label="Change features">
              <FeaturesEditor value={v.features} onChange={(f) => form.setFieldValue('features', f)} />
            </Section>
            <Section on={has('properties')} onToggle={toggle('properties')} label="Product properties">
              <ProductPropertiesEditor value={v.properties} onChange={(rows) => form.setFieldValue('properties', rows)} />
              {propertiesProblem ? (
                <Text size="xs" c="red" mt={4}>
                  {propertiesProblem}
                </Text>
              ) : null}
            </Section>
            <Section on={has('revoke')} onToggle={toggle('revoke')} label="Revoke or un-revoke">
              <SegmentedControl size="xs" aria-label="Revocation" data={REVOCATION} {...form.getInputProps('revoke')} />
            </Section>
            <Section on={has('quantity')} onToggle={toggle('quantity')} label="Quantity">
              <NumberInput size="xs" w={160} min={1} max={100_000} allowDecimal={false} aria-label="Quantity" {...form.getInputProps('quantity')} />
            </Section>
            <Section on={has('model')} onToggle={toggle('model')} label="License model">
              <SegmentedControl size="xs" aria-label="License model" data={LICENSE_MODELS} {...form.getInputProps('licenseModel')} />
            </Section>
            <Section on={has('product')} onToggle={toggle('product')} label="Product and version">
              <ProductVersionInputs inputProps={form.getInputProps} maw={420} />
            </Section>
            <Section on={has('affiliate')} onToggle={toggle('affiliate')} label="Affiliate ID">
              <TextInput size="xs" w={240} aria-label="Affiliate ID" {...form.getInputProps('affiliateId')} />
            </Section>
            <Section on={has('userData1')} onToggle={toggle('userData1')} label="User data 1">
              <TextInput size="xs" aria-label="User data 1" {...form.getInputProps('userData1')} />
            </Section>
          </Stack>
        </ScrollArea.Autosize>
        {/* Outcomes stay in view below the long form. */}
        <Stack gap="sm" mt={update.error || update.data ? 'sm' : 0}>
          <ErrorAlert error={update.error} />
          {update.data ? (
            <DoneAlert title="Updated">
              <QlmLicenseSummary license={update.data.license} />
            </DoneAlert>
          ) : null}
        </Stack>
        {confirming ? (
          <ConfirmStep title="Confirm the update" mt="sm" confirmLabel="Update key" busy={update.isPending} onConfirm={send} onBack={() => setConfirming(false)}>
            {risks.revokes ? 'The key stops working for its users. ' : ''}
            {risks.relative ? 'Relative changes add up each time they are sent. ' : ''}
          </ConfirmStep>
        ) : null}
        <Group justify="space-between" gap="xs" mt="sm">
          <Text size="xs" c="dimmed">
            {problem ?? `${v.parts.length} change${v.parts.length === 1 ? '' : 's'} will be sent`}
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              {update.data ? 'Close' : 'Cancel'}
            </Button>
            {!confirming ? (
              <Button type="submit" disabled={problem !== null} loading={update.isPending && !confirming}>
                {risky ? 'Update…' : 'Update'}
              </Button>
            ) : null}
          </Group>
        </Group>
      </form>
    </Modal>
  );
}
