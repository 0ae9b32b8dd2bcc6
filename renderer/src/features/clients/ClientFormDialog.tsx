import { Button, Group, Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { asApiError, call, type ApiError } from '../../shared/api/bridge.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useForm } from '../../hooks/useForm.ts';
import { fieldError } from '../../shared/errors.ts';
import { parseDayList } from '../../shared/format.ts';
import { ClientFormSchema } from '../../lib/validation.ts';
import type { Client } from '../../shared/types.ts';

type Values = { name: string; email: string; notes: string; tags: string[]; reminderStages: string };

function initialValues(client: Client | undefined): Values {
  return {
    name: client?.name ?? '',
    email: client?.email ?? '',
    notes: client?.notes ?? '',
    tags: client?.tags ?? [],
    reminderStages: client?.reminderStages?.join(', ') ?? '',
  };
}

export function ClientFormDialog({ opened, client, onClose, onSaved }: { opened: boolean; client?: Client; onClose: () => void; onSaved?: (c: Client) => void }) {
  const form = useForm<Values>(initialValues(client), ClientFormSchema);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const { reset } = form;

  useEffect(() => {
    if (opened) {
      reset(initialValues(client));
      setError(null);
    }
  }, [opened, client, reset]);

  const submit = async () => {
    if (!form.validate()) return;
    const v = form.values;
    const stages = v.reminderStages.trim() ? parseDayList(v.reminderStages) : null;
    setSaving(true);
    setError(null);
    try {
      let saved: Client;
      const base = { name: v.name.trim(), email: v.email.trim(), notes: v.notes, tags: v.tags };
      if (client) {
        saved = await call('updateClient', { ref: client.id, patch: { ...base, reminderStages: stages } });
      } else {
        saved = await call('addClient', base);
        if (stages) saved = await call('updateClient', { ref: saved.id, patch: { reminderStages: stages } });
      }
      onSaved?.(saved);
      onClose();
    } catch (e) {
      const err = asApiError(e);
      const f = fieldError(err, ['name', 'email', 'notes', 'tags', 'reminderStages']);
      if (f) form.setError(f.field as keyof Values & string, f.message);
      else setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={client ? `Edit client ${client.name}` : 'Add client'} size="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label="Name" placeholder="Acme Contact Center" required data-autofocus {...form.text('name')} />
          <TextInput label="Contact e-mail" placeholder="it@acme.example" type="email" {...form.text('email')} />
          <TagsInput label="Tags" placeholder="Type and press Enter" value={form.values.tags} onChange={(t) => form.setValue('tags', t)} clearable aria-label="Tags" />
          <TextInput
            label="Reminder stages (days before expiry)"
            description="Leave empty to use the global stages from Settings"
            placeholder="30, 14, 7, 1, 0"
            {...form.text('reminderStages')}
          />
          <Textarea label="Notes" autosize minRows={2} maxRows={6} {...form.text('notes')} />
          <ErrorAlert error={error} compact />
          <Group justify="flex-end" gap="xs" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {client ? 'Save' : 'Add client'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
