import { Alert, Button, Checkbox, Group, Modal, NumberInput, ScrollArea, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import type { Input } from '../../shared/types.ts';
import { QLM_LICENSE_MODELS } from '../../../../electron/core/api/contract.ts';
import { ExpiryInput, toExpiry, type ExpiryValue } from './ExpiryInput.tsx';
import { FeaturesEditor, type FeatureSet } from './FeaturesEditor.tsx';
import { ProductPropertiesEditor, toProductProperties, type PropertyRow } from './ProductPropertiesEditor.tsx';
import { QlmLicenseSummary } from './QlmLicenseSummary.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';

type Part = 'expiry' | 'features' | 'properties' | 'revoke' | 'quantity' | 'model' | 'product' | 'affiliate' | 'userData1';
type N = number | string;

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
  const [key, setKey] = useState(initialKey ?? '');
  const [source, setSource] = useState<string | null>(sourceId ?? null);
  const [parts, setParts] = useState<Set<Part>>(new Set());
  const [expiry, setExpiry] = useState<ExpiryValue>({ mode: 'days', days: 365, date: '' });
  const [features, setFeatures] = useState<FeatureSet[]>([{ set: 0, mask: 0 }]);
  const [props, setProps] = useState<PropertyRow[]>([{ category: '', name: '', kind: 'relative', value: '', expires: '' }]);
  const [revoke, setRevoke] = useState<'revoke' | 'unrevoke'>('revoke');
  const [quantity, setQuantity] = useState<N>(1);
  const [model, setModel] = useState('subscription');
  const [productId, setProductId] = useState<N>('');
  const [major, setMajor] = useState<N>('');
  const [minor, setMinor] = useState<N>('');
  const [affiliate, setAffiliate] = useState('');
  const [userData1, setUserData1] = useState('');
  const [confirming, setConfirming] = useState(false);
  const update = useApiMutation('qlmUpdate');

  const toggle = (p: Part) => (on: boolean) =>
    setParts((s) => {
      const n = new Set(s);
      if (on) n.add(p);
      else n.delete(p);
      return n;
    });
  const has = (p: Part) => parts.has(p);

  const exp = toExpiry(expiry);
  const pp = toProductProperties(props);
  const problems = [has('expiry') ? exp.error : null, has('properties') ? pp.error : null, !key.trim() ? 'The key is required' : null, parts.size === 0 ? 'Tick at least one thing to change' : null].filter(Boolean) as string[];

  const input = (): Input<'qlmUpdate'> => {
    const i: Input<'qlmUpdate'> = { key: key.trim() };
    if (source) i.source = source;
    if (has('expiry') && exp.expiry) i.expiry = exp.expiry;
    if (has('features')) i.features = features;
    if (has('properties')) i.productProperties = pp.properties;
    if (has('revoke')) i.revoke = revoke === 'revoke';
    if (has('quantity')) i.quantity = Number(quantity);
    if (has('model')) i.licenseModel = model;
    if (has('product')) {
      if (productId !== '') i.productId = Number(productId);
      if (major !== '') i.major = Number(major);
      if (minor !== '') i.minor = Number(minor);
    }
    if (has('affiliate')) i.affiliateId = affiliate;
    if (has('userData1')) i.userData1 = userData1;
    return i;
  };

  // Revoking is destructive and relative property changes are not idempotent: both are confirmed.
  const risky = (has('revoke') && revoke === 'revoke') || (has('properties') && props.some((r) => r.kind === 'relative'));
  const send = () => update.mutate(input(), { onSettled: () => setConfirming(false) });

  return (
    <Modal opened onClose={onClose} title="Update a QLM key" size="xl">
      <ScrollArea.Autosize mah={update.error || update.data ? '48vh' : '70vh'} offsetScrollbars>
        <Stack gap="sm">
          <SimpleGrid cols={2} spacing="sm">
            <TextInput size="xs" label="Activation key" classNames={{ input: 'kf-mono' }} value={key} onChange={(e) => setKey(e.currentTarget.value)} required />
            <QlmSourceSelect value={source} onChange={setSource} />
          </SimpleGrid>
          <Section on={has('expiry')} onToggle={toggle('expiry')} label="Change expiry">
            <ExpiryInput value={expiry} onChange={setExpiry} />
          </Section>
          <Section on={has('features')} onToggle={toggle('features')} label="Change features">
            <FeaturesEditor value={features} onChange={setFeatures} />
          </Section>
          <Section on={has('properties')} onToggle={toggle('properties')} label="Product properties">
            <ProductPropertiesEditor value={props} onChange={setProps} />
            {pp.error ? (
              <Text size="xs" c="red" mt={4}>
                {pp.error}
              </Text>
            ) : null}
          </Section>
          <Section on={has('revoke')} onToggle={toggle('revoke')} label="Revoke or un-revoke">
            <SegmentedControl
              size="xs"
              aria-label="Revocation"
              value={revoke}
              onChange={(v) => setRevoke(v as 'revoke' | 'unrevoke')}
              data={[
                { value: 'revoke', label: 'Revoke' },
                { value: 'unrevoke', label: 'Un-revoke' },
              ]}
            />
          </Section>
          <Section on={has('quantity')} onToggle={toggle('quantity')} label="Quantity">
            <NumberInput size="xs" w={160} min={1} max={100_000} allowDecimal={false} value={quantity} onChange={setQuantity} aria-label="Quantity" />
          </Section>
          <Section on={has('model')} onToggle={toggle('model')} label="License model">
            <SegmentedControl
              size="xs"
              aria-label="License model"
              value={model}
              onChange={setModel}
              data={QLM_LICENSE_MODELS.map((m) => ({ value: m, label: m.replace('_', ' ') }))}
            />
          </Section>
          <Section on={has('product')} onToggle={toggle('product')} label="Product and version">
            <SimpleGrid cols={3} spacing="sm" maw={420}>
              <NumberInput size="xs" label="Product ID" min={0} allowDecimal={false} value={productId} onChange={setProductId} />
              <NumberInput size="xs" label="Major" min={0} allowDecimal={false} value={major} onChange={setMajor} />
              <NumberInput size="xs" label="Minor" min={0} allowDecimal={false} value={minor} onChange={setMinor} />
            </SimpleGrid>
          </Section>
          <Section on={has('affiliate')} onToggle={toggle('affiliate')} label="Affiliate ID">
            <TextInput size="xs" w={240} value={affiliate} onChange={(e) => setAffiliate(e.currentTarget.value)} aria-label="Affiliate ID" />
          </Section>
          <Section on={has('userData1')} onToggle={toggle('userData1')} label="User data 1">
            <TextInput size="xs" value={userData1} onChange={(e) => setUserData1(e.currentTarget.value)} aria-label="User data 1" />
          </Section>
        </Stack>
      </ScrollArea.Autosize>
      {/* Outcomes stay in view below the long form. */}
      <Stack gap="sm" mt={update.error || update.data ? 'sm' : 0}>
        <ErrorAlert error={update.error} />
        {update.data ? (
          <Alert color="teal" variant="light" icon={<Icon name="check" />} title="Updated" role="status">
            <QlmLicenseSummary license={update.data.license} />
          </Alert>
        ) : null}
      </Stack>
      {confirming ? (
        <Alert color="orange" variant="light" mt="sm" icon={<Icon name="alert" />} title="Confirm the update" role="alert">
          <Text size="sm">
            {has('revoke') && revoke === 'revoke' ? 'The key stops working for its users. ' : ''}
            {has('properties') && props.some((r) => r.kind === 'relative') ? 'Relative changes add up each time they are sent. ' : ''}
          </Text>
          <Group gap="xs" mt="sm">
            <Button color="orange" loading={update.isPending} onClick={send}>
              Update key
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)} disabled={update.isPending}>
              Back
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Group justify="space-between" gap="xs" mt="sm">
        <Text size="xs" c="dimmed">
          {problems[0] ?? `${parts.size} change${parts.size === 1 ? '' : 's'} will be sent`}
        </Text>
        <Group gap="xs">
          <Button variant="default" onClick={onClose}>
            {update.data ? 'Close' : 'Cancel'}
          </Button>
          {!confirming ? (
            <Button disabled={problems.length > 0} loading={update.isPending && !confirming} onClick={() => (risky ? setConfirming(true) : send())}>
              {risky ? 'Update…' : 'Update'}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Modal>
  );
}
