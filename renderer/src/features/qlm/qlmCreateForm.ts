import type { FormErrors } from '@mantine/form';
import { QlmCreateInputSchema } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import type { Input } from '../../shared/types.ts';
import { toExpiry, type ExpiryValue } from './ExpiryInput.tsx';
import type { FeatureSet } from './FeaturesEditor.tsx';

/** What a NumberInput holds: a number, or the text being typed ('' when empty). */
export type NumberField = number | string;

export const toNumber = (v: NumberField): number | undefined => (v === '' ? undefined : Number(v));

export type ComputerType = NonNullable<Input<'qlmCreate'>['computerType']>;

export const COMPUTER_TYPES: Array<{ value: ComputerType; label: string }> = [
  { value: 'none', label: 'Any' },
  { value: 'pc', label: 'PC' },
  { value: 'vm', label: 'VM' },
];

/** A license model is a base and a variant ("subscription" + "_cloud"), chosen apart. */
export const MODEL_BASES = [
  { value: 'permanent', label: 'Permanent' },
  { value: 'trial', label: 'Trial' },
  { value: 'subscription', label: 'Subscription' },
];
export const MODEL_VARIANTS = [
  { value: '', label: 'On-premises' },
  { value: '_cloud', label: 'Cloud' },
  { value: '_floating', label: 'Floating' },
];

export interface QlmCreateValues {
  source: string | null;
  client: string | null;
  productId: NumberField;
  major: NumberField;
  minor: NumberField;
  expiry: ExpiryValue;
  quantity: NumberField;
  oneKeyForAllSeats: boolean;
  activationsPerKey: NumberField;
  additionalActivations: NumberField;
  features: FeatureSet[];
  /** permanent, trial or subscription; with `variant` ('', _cloud, _floating) it makes the license model. */
  model: string;
  variant: string;
  floating: boolean;
  maintenance: { on: boolean; days: NumberField };
  affiliateId: string;
  computerType: ComputerType;
}

export function initialQlmCreateValues(sourceId: string | undefined): QlmCreateValues {
  return {
    source: sourceId ?? null,
    client: null,
    productId: '',
    major: '',
    minor: '',
    expiry: { mode: 'days', days: 365, date: '' },
    quantity: 1,
    oneKeyForAllSeats: true,
    activationsPerKey: '',
    additionalActivations: '',
    features: [],
    model: 'subscription',
    variant: '',
    floating: false,
    maintenance: { on: false, days: 365 },
    affiliateId: '',
    computerType: 'none',
  };
}

/** The qlmCreate input as sent: empty fields are left to the server's defaults; null while the expiry is unusable. */
export function toQlmCreateInput(v: QlmCreateValues): Input<'qlmCreate'> | null {
  const { expiry } = toExpiry(v.expiry);
  if (!expiry) return null;
  const i: Input<'qlmCreate'> = { expiry, oneKeyForAllSeats: v.oneKeyForAllSeats, floating: v.floating, computerType: v.computerType };
  if (v.source) i.source = v.source;
  for (const k of ['productId', 'major', 'minor', 'quantity', 'activationsPerKey', 'additionalActivations'] as const) {
    const n = toNumber(v[k]);
    if (n !== undefined) i[k] = n;
  }
  if (v.features.length) i.features = v.features;
  i.licenseModel = `${v.model}${v.variant}`;
  if (v.maintenance.on) {
    const days = toNumber(v.maintenance.days);
    i.maintenance = days !== undefined ? { days } : {};
  }
  if (v.affiliateId.trim()) i.affiliateId = v.affiliateId.trim();
  if (v.client) i.client = v.client;
  return i;
}

const LABELS = {
  productId: 'Product ID',
  major: 'Major version',
  minor: 'Minor version',
  quantity: 'Quantity',
  activationsPerKey: 'Activations per key',
  additionalActivations: 'Additional activations',
  'maintenance.days': 'Maintenance days',
  affiliateId: 'Affiliate ID',
};

export const validateQlmCreate = contractValidator<QlmCreateValues>(
  QlmCreateInputSchema,
  (v) => toQlmCreateInput(v) ?? {},
  LABELS,
  // The expiry field shows its own problem; this only keeps the form from being sent with it.
  (v): FormErrors => {
    const { error } = toExpiry(v.expiry);
    return error ? { expiry: error } : {};
  },
);
