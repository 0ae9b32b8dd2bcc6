import type { FormErrors } from '@mantine/form';
import { ClientInputSchema, contract, type Input } from '../../../../electron/core/api/contract.ts';
import { parseDayList } from '../../shared/format.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import type { Client } from '../../shared/types.ts';

export interface ClientFormValues {
  name: string;
  email: string;
  notes: string;
  tags: string[];
  /** "30, 14, 7" as typed; empty means the global stages. */
  reminderStages: string;
}

export function initialClientValues(client: Client | undefined): ClientFormValues {
  return {
    name: client?.name ?? '',
    email: client?.email ?? '',
    notes: client?.notes ?? '',
    tags: client?.tags ?? [],
    reminderStages: client?.reminderStages?.join(', ') ?? '',
  };
}

/** The addClient input, as sent (the stages go in an updateClient that follows). */
export function toClientInput(v: ClientFormValues): Input<'addClient'> {
  return { name: v.name.trim(), email: v.email.trim(), notes: v.notes, tags: v.tags };
}

/** The stages typed, null when the field is empty (the global ones apply), undefined when unreadable. */
export function typedStages(v: ClientFormValues): number[] | null | undefined {
  return v.reminderStages.trim() ? (parseDayList(v.reminderStages) ?? undefined) : null;
}

const ClientFormSchema = ClientInputSchema.extend({ reminderStages: contract.updateClient.input.shape.patch.shape.reminderStages });

export const CLIENT_FIELDS = ['name', 'email', 'notes', 'tags', 'reminderStages'];

export const validateClientForm = contractValidator<ClientFormValues>(
  ClientFormSchema,
  (v) => ({ ...toClientInput(v), reminderStages: typedStages(v) ?? null }),
  { name: 'Name', email: 'Contact e-mail', notes: 'Notes', tags: 'Tags', reminderStages: 'Reminder stages' },
  (v): FormErrors => (typedStages(v) === undefined ? { reminderStages: 'Use whole numbers of days, separated by commas' } : {}),
);
