import type { FormErrors } from '@mantine/form';
import type { z } from 'zod';
import { contract, type Input } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';

/** Adopt key…: the key an instance runs becomes a license, its facts from a converted PPK or its License page. */
export type AdoptWay = 'ppk' | 'facts';

export interface AdoptKeyFormValues {
  way: AdoptWay;
  ppk: string | null;
  expiresAt: string;
  agents: number | string;
  servers: number | string;
}

export const initialAdoptValues = (hasConvertedPpks: boolean): AdoptKeyFormValues => ({ way: hasConvertedPpks ? 'ppk' : 'facts', ppk: null, expiresAt: '', agents: '', servers: '' });

/** The adoptInstanceKey input, as sent. */
export function toAdoptInput(instanceId: string, v: AdoptKeyFormValues): Input<'adoptInstanceKey'> {
  if (v.way === 'ppk') return { instance: instanceId, ppk: v.ppk ?? '' };
  return { instance: instanceId, expiresAt: v.expiresAt.trim(), agents: Number(v.agents), servers: Number(v.servers) };
}

// The contract's input is one of two shapes; each way of the form is checked against its own.
const [byPpk, byFacts] = (contract.adoptInstanceKey.input as unknown as z.ZodUnion<[z.ZodType, z.ZodType]>).options;

const labels = { ppk: 'PPK', expiresAt: 'Expiry date', agents: 'Agents', servers: 'Servers' };

const validateByPpk = contractValidator<AdoptKeyFormValues>(byPpk, (v) => toAdoptInput('instance', v), labels);
const validateByFacts = contractValidator<AdoptKeyFormValues>(byFacts, (v) => toAdoptInput('instance', v), labels);

/** What a person left out, said in the form's words (before the contract's own, more technical ones). */
function missing(v: AdoptKeyFormValues): FormErrors {
  if (v.way === 'ppk') return v.ppk ? {} : { ppk: 'Choose the PPK this key was converted from' };
  const errors: FormErrors = {};
  if (!v.expiresAt.trim()) errors.expiresAt = 'Expiry date: the date on the License page';
  for (const f of ['agents', 'servers'] as const) if (v[f] === '' || !Number.isInteger(Number(v[f])) || Number(v[f]) < 1) errors[f] = `${labels[f]}: a whole number, 1 or more`;
  return errors;
}

export function validateAdoptForm(v: AdoptKeyFormValues): FormErrors {
  return { ...(v.way === 'ppk' ? validateByPpk(v) : validateByFacts(v)), ...missing(v) };
}
