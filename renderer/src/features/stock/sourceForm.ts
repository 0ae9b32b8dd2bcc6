import type { FormErrors } from '@mantine/form';
import { contract, SourceInputSchema } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import { urlProblem } from '../../shared/forms/urlRule.ts';
import type { Input, SourceView } from '../../shared/types.ts';

export type SourceKind = 'loway-keyserver' | 'qlm';
export interface SourceFormValues {
  name: string;
  kind: SourceKind;
  url: string;
  email: string;
  vendor: string;
  user: string;
  secret: string;
  productId: string;
  major: string;
  minor: string;
  dateFormat: string;
  pinSha256: string;
}

export const SOURCE_FIELDS = ['name', 'kind', 'url', 'email', 'vendor', 'user', 'secret', 'productId', 'major', 'minor', 'dateFormat', 'pinSha256'];

export function toSourceInput(v: SourceFormValues): Input<'addSource'> {
  const input: Input<'addSource'> = { name: v.name.trim(), kind: v.kind, url: v.url.trim() };
  if (v.email.trim()) input.email = v.email.trim();
  if (v.pinSha256.trim()) input.pinSha256 = v.pinSha256.trim();
  if (v.kind === 'qlm') {
    input.vendor = v.vendor.trim();
    input.user = v.user.trim();
    if (v.secret) input.secret = v.secret;
    if (v.productId.trim()) input.productDefaults = { productId: Number(v.productId), major: Number(v.major || 0), minor: Number(v.minor || 0) };
    if (v.dateFormat.trim()) input.dateFormat = v.dateFormat.trim();
  }
  return input;
}

export function initialSourceValues(source: SourceView | undefined, kind: SourceKind): SourceFormValues {
  const d = source?.productDefaults;
  return {
    name: source?.name ?? '',
    kind: source?.kind ?? kind,
    url: source?.url ?? '',
    email: source?.email ?? '',
    vendor: source?.vendor ?? '',
    user: source?.user ?? '',
    secret: '',
    productId: d ? String(d.productId) : '',
    major: d ? String(d.major) : '',
    minor: d ? String(d.minor) : '',
    dateFormat: source?.dateFormat ?? '',
    pinSha256: source?.pinSha256 ?? '',
  };
}

/**
 * The updateSource patch: what the form shows, the password only when a new one was typed.
 * The contract cannot clear an e-mail or a pin (an empty one is refused), so emptied ones are left as they are.
 */
export function toSourcePatch(v: SourceFormValues, current: SourceView): Input<'updateSource'>['patch'] {
  const add = toSourceInput(v);
  const patch: Input<'updateSource'>['patch'] = { name: add.name, url: add.url };
  if (add.email && add.email !== current.email) patch.email = add.email;
  if (add.pinSha256 && add.pinSha256 !== current.pinSha256) patch.pinSha256 = add.pinSha256;
  if (current.kind === 'qlm') {
    patch.vendor = add.vendor;
    patch.user = add.user;
    if (add.productDefaults) patch.productDefaults = add.productDefaults;
    if (v.dateFormat.trim() !== (current.dateFormat ?? '')) patch.dateFormat = v.dateFormat.trim();
    if (v.secret) patch.secret = v.secret;
  }
  return patch;
}

const LABELS = { name: 'Name', url: 'URL', email: 'Default e-mail', vendor: 'Vendor (is_vendor)', user: 'User (is_user)', secret: 'Password (is_pwd)', dateFormat: 'Date format', pinSha256: 'Pinned certificate' };

/** What the QLM service requires of an account, and the URL rule every source shares. */
function sourcePageRules(requireSecret: boolean): (v: SourceFormValues) => FormErrors {
  return (v) => {
    const errors: FormErrors = {};
    const url = urlProblem(v.url);
    if (url) errors.url = url;
    if (v.kind !== 'qlm') return errors;
    if (!v.vendor.trim()) errors.vendor = 'Vendor (is_vendor) is required for QLM';
    if (!v.user.trim()) errors.user = 'User (is_user) is required for QLM';
    if (requireSecret && !v.secret) errors.secret = 'Password (is_pwd) is required for QLM';
    for (const k of ['productId', 'major', 'minor'] as const) {
      if (v[k].trim() && !/^\d+$/.test(v[k].trim())) errors[k] = 'Must be a whole number';
    }
    return errors;
  };
}

export const validateNewSource = contractValidator<SourceFormValues>(SourceInputSchema, toSourceInput, LABELS, sourcePageRules(true));

/** Editing a source: an empty password keeps the stored one. */
export function sourceEditValidator(current: SourceView): (v: SourceFormValues) => FormErrors {
  return contractValidator<SourceFormValues>(contract.updateSource.input.shape.patch, (v) => toSourcePatch(v, current), LABELS, sourcePageRules(false));
}
