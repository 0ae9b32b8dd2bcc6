import type { z } from 'zod';
import type { QlmUpdateInputSchema } from './qlm.contract.ts';
import type { QlmUpdateInput } from './service.ts';

export type QlmUpdateRequest = z.output<typeof QlmUpdateInputSchema>;

/** A qlmUpdate as the app and the CLI ask for it (checked by the contract), as the QLM service takes it. */
export function qlmUpdateInput({ key, source, major, minor, ...rest }: QlmUpdateRequest): QlmUpdateInput {
  const changes = Object.fromEntries(Object.entries({ ...rest, majorVersion: major, minorVersion: minor }).filter(([, v]) => v !== undefined));
  return { key, source, ...changes } as QlmUpdateInput;
}
