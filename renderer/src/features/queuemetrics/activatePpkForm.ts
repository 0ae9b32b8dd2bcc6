import type { FormErrors } from '@mantine/form';
import { contract } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import type { Input } from '../../shared/types.ts';

export interface ActivatePpkValues {
  instance: string | null;
  ppk: string | null;
  /** The Loway key server; empty lets main pick the only one. */
  source: string | null;
  enduser: string;
  email: string;
}

export function initialActivatePpkValues(instanceId: string | undefined, ppkId: string | undefined): ActivatePpkValues {
  return { instance: instanceId ?? null, ppk: ppkId ?? null, source: null, enduser: '', email: '' };
}

/** The activatePpk input as sent (without its job id): empty fields are left to main's defaults. */
export function toActivatePpkInput(v: ActivatePpkValues): Input<'activatePpk'> {
  const input: Input<'activatePpk'> = { instance: v.instance ?? '' };
  if (v.ppk) input.ppk = v.ppk;
  if (v.enduser.trim()) input.enduser = v.enduser.trim();
  if (v.email.trim()) input.email = v.email.trim();
  if (v.source) input.source = v.source;
  return input;
}

/** The dialog spends a PPK it names, for an end-user it names: main would pick or default them. */
export const validateActivatePpk = contractValidator<ActivatePpkValues>(
  contract.activatePpk.input,
  toActivatePpkInput,
  { instance: 'QueueMetrics instance', email: 'E-mail' },
  (v): FormErrors => ({ ...(v.ppk ? {} : { ppk: 'PPK is required' }), ...(v.enduser.trim() ? {} : { enduser: 'End-user is required' }) }),
);
