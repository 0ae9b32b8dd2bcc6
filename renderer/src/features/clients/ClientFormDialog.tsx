import { Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useApiMutation } from '../../shared/api/queries.ts';
import { FormFooter } from '../../shared/forms/FormFooter.tsx';
import { saveShowingFieldErrors } from '../../shared/forms/saveShowingFieldErrors.ts';
import type { Client } from '../../shared/types.ts';
import { CLIENT_FIELDS, initialClientValues, toClientInput, typedStages, validateClientForm, type ClientFormValues } from './clientForm.ts';

export function ClientFormDialog({ opened, client, onClose, onSaved }: { opened: boolean; client?: Client; onClose: () => void; onSaved?: (c: Client) => void }) {
  const form = useForm<ClientFormValues>({ mode: 'controlled', initialValues: initialClientValues(client), validate: validateClientForm, validateInputOnBlur: true });
  const add = useApiMutation('addClient');
  const update = useApiMutation('updateClient');
  const saving = add.isPending || update.isPending;
  const error = add.error ?? update.error;

  const { setValues, resetDirty, clearErrors } = form;
  const { reset: resetAdd } = add;
  const { reset: resetUpdate } = update;
  useEffect(() => {
    if (!opened) return;
    const values = initialClientValues(client);
    setValues(values);
    resetDirty(values);
    clearErrors();
    resetAdd();
    resetUpdate();
  }, [opened, client, setValues, resetDirty, clearErrors, resetAdd, resetUpdate]);

  const save = (v: ClientFormValues) =>
    saveShowingFieldErrors(form, CLIENT_FIELDS, [add, update], async () => {
      const stages = typedStages(v) ?? null;
      const base = toClientInput(v);
      let saved = client ? await update.mutateAsync({ ref: client.id, patch: { ...base, reminderStages: stages } }) : await add.mutateAsync(base);
      if (!client && stages) saved = await update.mutateAsync({ ref: saved.id, patch: { reminderStages: stages } });
      onSaved?.(saved);
      onClose();
    });

  return (
    <Modal opened={opened} onClose={onClose} title={client ? `Edit client ${client.name}` : 'Add client'} size="md">
      <form noValidate onSubmit={form.onSubmit((v) => void save(v))}>
        <Stack gap="sm">
          <TextInput label="Name" placeholder="Acme Contact Center" required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Contact e-mail" placeholder="it@acme.example" type="email" {...form.getInputProps('email')} />
          <TagsInput label="Tags" placeholder="Type and press Enter" clearable aria-label="Tags" {...form.getInputProps('tags')} />
          <TextInput
            label="Reminder stages (days before expiry)"
            description="Leave empty to use the global stages from Settings"
            placeholder="30, 14, 7, 1, 0"
            {...form.getInputProps('reminderStages')}
          />
          <Textarea label="Notes" autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
          <FormFooter error={error} saving={saving} submitLabel={client ? 'Save' : 'Add client'} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
