import type { FormErrors } from '@mantine/form';
import { QLM_LICENSE_MODELS, QlmUpdateInputSchema } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import type { Input } from '../../shared/types.ts';
import { toExpiry, type ExpiryValue } from './ExpiryInput.tsx';
import type { FeatureSet } from './FeaturesEditor.tsx';
import { toProductProperties, type PropertyRow } from './ProductPropertiesEditor.tsx';
import { toNumber, type NumberField } from './qlmCreateForm.ts';

/** The parts of a key that can be changed; only the ticked ones are sent. */
export type QlmUpdatePart = 'expiry' | 'features' | 'properties' | 'revoke' | 'quantity' | 'model' | 'product' | 'affiliate' | 'userData1';

export const REVOCATION: Array<{ value: QlmUpdateValues['revoke']; label: string }> = [
  { value: 'revoke', label: 'Revoke' },
  { value: 'unrevoke', label: 'Un-revoke' },
];

/** Every model the contract knows, the variant spelled as a word ("subscription cloud"). */
export const LICENSE_MODELS = QLM_LICENSE_MODELS.map((m) => ({ value: m, label: m.replace('_', ' ') }));

export interface QlmUpdateValues {
  key: string;
  source: string | null;
  parts: QlmUpdatePart[];
  expiry: ExpiryValue;
  features: FeatureSet[];
  properties: PropertyRow[];
  revoke: 'revoke' | 'unrevoke';
  quantity: NumberField;
  licenseModel: string;
  productId: NumberField;
  major: NumberField;
  minor: NumberField;
  affiliateId: string;
  userData1: string;
}

export function initialQlmUpdateValues(key: string | undefined, sourceId: string | undefined): QlmUpdateValues {
  return {
    key: key ?? '',
    source: sourceId ?? null,
    parts: [],
    expiry: { mode: 'days', days: 365, date: '' },
    features: [{ set: 0, mask: 0 }],
    properties: [{ category: '', name: '', kind: 'relative', value: '', expires: '' }],
    revoke: 'revoke',
    quantity: 1,
    licenseModel: 'subscription',
    productId: '',
    major: '',
    minor: '',
    affiliateId: '',
    userData1: '',
  };
}

/** The qlmUpdate input as sent: the key and the ticked parts only. */
export function toQlmUpdateInput(v: QlmUpdateValues): Input<'qlmUpdate'> {
  const has = (p: QlmUpdatePart) => v.parts.includes(p);
  const i: Input<'qlmUpdate'> = { key: v.key.trim() };
  if (v.source) i.source = v.source;
  const { expiry } = toExpiry(v.expiry);
  if (has('expiry') && expiry) i.expiry = expiry;
  if (has('features')) i.features = v.features;
  if (has('properties')) i.productProperties = toProductProperties(v.properties).properties;
  if (has('revoke')) i.revoke = v.revoke === 'revoke';
  if (has('quantity')) i.quantity = Number(v.quantity);
  if (has('model')) i.licenseModel = v.licenseModel;
  if (has('product')) {
    for (const k of ['productId', 'major', 'minor'] as const) {
      const n = toNumber(v[k]);
      if (n !== undefined) i[k] = n;
    }
  }
  if (has('affiliate')) i.affiliateId = v.affiliateId;
  if (has('userData1')) i.userData1 = v.userData1;
  return i;
}

/** Revoking is destructive and relative property changes are not idempotent: both are confirmed. */
export function updateRisks(v: QlmUpdateValues): { revokes: boolean; relative: boolean } {
  return { revokes: v.parts.includes('revoke') && v.revoke === 'revoke', relative: v.parts.includes('properties') && v.properties.some((r) => r.kind === 'relative') };
}

const LABELS = { key: 'Activation key', quantity: 'Quantity', productId: 'Product ID', major: 'Major', minor: 'Minor', affiliateId: 'Affiliate ID', userData1: 'User data 1' };

/** Problems the footer names, first one first: the editors' own, then the key's, then nothing ticked. */
const FOOTER_ORDER = ['expiry', 'properties', 'key', 'parts'];

export const validateQlmUpdate = contractValidator<QlmUpdateValues>(QlmUpdateInputSchema, toQlmUpdateInput, LABELS, (v): FormErrors => {
  const errors: FormErrors = {};
  const has = (p: QlmUpdatePart) => v.parts.includes(p);
  const expiry = toExpiry(v.expiry).error;
  if (has('expiry') && expiry) errors.expiry = expiry;
  const properties = toProductProperties(v.properties).error;
  if (has('properties') && properties) errors.properties = properties;
  if (v.parts.length === 0) errors.parts = 'Tick at least one thing to change';
  return errors;
});

/** The problem the footer shows in place of the count of changes: the first in FOOTER_ORDER, else any. */
export function firstProblem(errors: FormErrors): string | null {
  const field = FOOTER_ORDER.find((f) => errors[f]) ?? Object.keys(errors).find((f) => errors[f]);
  return field ? String(errors[field]) : null;
}
