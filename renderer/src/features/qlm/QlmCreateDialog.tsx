import { Alert, Button, Divider, Group, Modal, NumberInput, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { MaskedKey } from '../../shared/ui/MaskedKey.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { formatDate } from '../../shared/format.ts';
import type { Input } from '../../shared/types.ts';
import { ExpiryInput, toExpiry, type ExpiryValue } from './ExpiryInput.tsx';
import { FeaturesEditor, type FeatureSet } from './FeaturesEditor.tsx';
import { QlmSourceSelect } from './QlmSourceSelect.tsx';

type N = number | string;
const num = (v: N): number | undefined => (v === '' || v === null || v === undefined ? undefined : Number(v));

/** Every GetActivationKeyWithExpiryDate option; creating keys is not idempotent, so it is confirmed once. */
export function QlmCreateDialog({ onClose, sourceId }: { onClose: () => void; sourceId?: string | undefined }) {
  const sources = useApiQuery('listSources', {});
  const clients = useApiQuery('listClients', {});
  const [source, setSource] = useState<string | null>(sourceId ?? null);
  const [productId, setProductId] = useState<N>('');
  const [major, setMajor] = useState<N>('');
  const [minor, setMinor] = useState<N>('');
  const [expiry, setExpiry] = useState<ExpiryValue>({ mode: 'days', days: 365, date: '' });
  const [quantity, setQuantity] = useState<N>(1);
  const [oneKey, setOneKey] = useState(true);
  const [activationsPerKey, setActivationsPerKey] = useState<N>('');
  const [additional, setAdditional] = useState<N>('');
  const [features, setFeatures] = useState<FeatureSet[]>([]);
  const [model, setModel] = useState('subscription');
  const [variant, setVariant] = useState('');
  const [floating, setFloating] = useState(false);
  const [maintenance, setMaintenance] = useState(false);
  const [maintDays, setMaintDays] = useState<N>(365);
  const [affiliate, setAffiliate] = useState('');
  const [computerType, setComputerType] = useState<'none' | 'pc' | 'vm'>('none');
  const [client, setClient] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const create = useApiMutation('qlmCreate');

  // Product defaults come from the chosen (or only) QLM source.
  const qlmSources = (sources.data ?? []).filter((s) => s.kind === 'qlm');
  const effective = qlmSources.find((s) => s.id === source) ?? (qlmSources.length === 1 ? qlmSources[0] : undefined);
  useEffect(() => {
    const d = effective?.productDefaults;
    if (d) {
      setProductId(d.productId);
      setMajor(d.major);
      setMinor(d.minor);
    }
  }, [effective?.id, effective?.productDefaults]);

  const exp = toExpiry(expiry);
  const input = (): Input<'qlmCreate'> | null => {
    if (!exp.expiry) return null;
    const i: Input<'qlmCreate'> = { expiry: exp.expiry, oneKeyForAllSeats: oneKey, floating, computerType };
    if (source) i.source = source;
    if (num(productId) !== undefined) i.productId = num(productId);
    if (num(major) !== undefined) i.major = num(major);
    if (num(minor) !== undefined) i.minor = num(minor);
    if (num(quantity) !== undefined) i.quantity = num(quantity);
    if (num(activationsPerKey) !== undefined) i.activationsPerKey = num(activationsPerKey);
    if (num(additional) !== undefined) i.additionalActivations = num(additional);
    if (features.length) i.features = features;
    i.licenseModel = `${model}${variant}`;
    if (maintenance) i.maintenance = num(maintDays) !== undefined ? { days: num(maintDays) } : {};
    if (affiliate.trim()) i.affiliateId = affiliate.trim();
    if (client) i.client = client;
    return i;
  };

  const q = num(quantity) ?? 1;
  const keys = oneKey ? 1 : q;
  return (
    <Modal opened onClose={onClose} title="Create QLM keys" size="xl">
      <ScrollArea.Autosize mah={create.error || create.data ? '48vh' : '70vh'} offsetScrollbars>
        <Stack gap="sm">
          <SimpleGrid cols={2} spacing="sm">
            <QlmSourceSelect value={source} onChange={setSource} />
            <Select size="xs" label="Client (optional)" data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={client} onChange={setClient} clearable searchable />
          </SimpleGrid>
          <SimpleGrid cols={3} spacing="sm">
            <NumberInput size="xs" label="Product ID" min={0} allowDecimal={false} value={productId} onChange={setProductId} />
            <NumberInput size="xs" label="Major version" min={0} allowDecimal={false} value={major} onChange={setMajor} />
            <NumberInput size="xs" label="Minor version" min={0} allowDecimal={false} value={minor} onChange={setMinor} />
          </SimpleGrid>
          <ExpiryInput value={expiry} onChange={setExpiry} />
          <Divider label="Seats and activations" labelPosition="left" />
          <SimpleGrid cols={3} spacing="sm">
            <NumberInput size="xs" label="Quantity (seats)" min={1} max={100_000} allowDecimal={false} value={quantity} onChange={setQuantity} />
            <NumberInput size="xs" label="Activations per key" min={1} allowDecimal={false} value={activationsPerKey} onChange={setActivationsPerKey} placeholder="server default" />
            <NumberInput size="xs" label="Additional activations" min={0} allowDecimal={false} value={additional} onChange={setAdditional} placeholder="0" />
          </SimpleGrid>
          <Group gap="lg">
            <Switch size="xs" label="One key for all seats" checked={oneKey} onChange={(e) => setOneKey(e.currentTarget.checked)} />
            <Switch size="xs" label="Floating" checked={floating} onChange={(e) => setFloating(e.currentTarget.checked)} />
            <Group gap={6}>
              <Text size="xs">Computer type</Text>
              <SegmentedControl
                size="xs"
                aria-label="Computer type"
                value={computerType}
                onChange={(v) => setComputerType(v as 'none' | 'pc' | 'vm')}
                data={[
                  { value: 'none', label: 'Any' },
                  { value: 'pc', label: 'PC' },
                  { value: 'vm', label: 'VM' },
                ]}
              />
            </Group>
          </Group>
          <Divider label="License model" labelPosition="left" />
          <Group gap="sm" align="flex-end">
            <SegmentedControl
              size="xs"
              aria-label="License model"
              value={model}
              onChange={setModel}
              data={[
                { value: 'permanent', label: 'Permanent' },
                { value: 'trial', label: 'Trial' },
                { value: 'subscription', label: 'Subscription' },
              ]}
            />
            <SegmentedControl
              size="xs"
              aria-label="License model variant"
              value={variant}
              onChange={setVariant}
              data={[
                { value: '', label: 'On-premises' },
                { value: '_cloud', label: 'Cloud' },
                { value: '_floating', label: 'Floating' },
              ]}
            />
            <Text size="xs" c="dimmed" mb={4} ff="monospace">
              {model}
              {variant}
            </Text>
          </Group>
          <Group gap="sm" align="flex-end">
            <Switch size="xs" label="Maintenance plan" checked={maintenance} onChange={(e) => setMaintenance(e.currentTarget.checked)} mb={6} />
            {maintenance ? <NumberInput size="xs" label="Maintenance days" min={1} allowDecimal={false} value={maintDays} onChange={setMaintDays} w={150} /> : null}
            <TextInput size="xs" label="Affiliate ID" value={affiliate} onChange={(e) => setAffiliate(e.currentTarget.value)} w={180} />
          </Group>
          <Divider label="Features" labelPosition="left" />
          <FeaturesEditor value={features} onChange={setFeatures} />
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
          <Alert color="teal" variant="light" icon={<Icon name="check" />} title={`${create.data.licenses.length} key${create.data.licenses.length === 1 ? '' : 's'} created and saved`} role="status">
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
          </Alert>
        ) : null}
      </Stack>
      {confirming ? (
        <Alert color="yellow" variant="light" mt="sm" icon={<Icon name="alert" />} title={`Create ${keys} key${keys === 1 ? '' : 's'} for ${q} seat${q === 1 ? '' : 's'}?`} role="alert">
          <Text size="sm">Every call creates new keys on {effective?.name ?? 'the QLM server'}; it is never retried automatically.</Text>
          <Group gap="xs" mt="sm">
            <Button
              color="yellow"
              loading={create.isPending}
              onClick={() => {
                const i = input();
                if (i) create.mutate(i, { onSettled: () => setConfirming(false) });
              }}
            >
              Create keys
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)} disabled={create.isPending}>
              Back
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="xs" mt="sm">
        <Button variant="default" onClick={onClose}>
          {create.data ? 'Close' : 'Cancel'}
        </Button>
        {!confirming ? (
          <Button onClick={() => setConfirming(true)} disabled={!exp.expiry || create.isPending} leftSection={<Icon name="key" size={14} />}>
            {create.data ? 'Create more…' : 'Create keys…'}
          </Button>
        ) : null}
      </Group>
    </Modal>
  );
}
