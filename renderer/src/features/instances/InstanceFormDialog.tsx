import { Anchor, Divider, Modal, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, type SegmentedControlProps } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { FormFooter } from '../../shared/forms/FormFooter.tsx';
import { saveShowingFieldErrors } from '../../shared/forms/saveShowingFieldErrors.ts';
import type { InstanceView } from '../../shared/types.ts';
import { Icon } from '../../shared/ui/Icon.tsx';
import { ConnectionTest } from './ConnectionTest.tsx';
import { INSTANCE_FIELDS, initialInstanceValues, isUsableInstanceUrl, toAddInput, toDraft, toPatch, validateInstanceForm, type InstanceFormValues } from './instanceInput.ts';
import { KIND_OPTIONS, KIND_UI } from './kindUi.tsx';

/** Add or edit an instance; the secret goes to the OS keychain and is never shown again. */
/** A segmented choice under a visible label that also names it for screen readers. */
function LabelledChoice<T extends string>({ id, label, value, data, onChange, size }: { id: string; label: string; value: T; data: SegmentedControlProps['data']; onChange: (value: T) => void; size?: 'xs' }) {
  return (
    <div>
      <Text size="sm" fw={500} mb={4} id={id}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={id} size={size} fullWidth value={value} data={data} onChange={(picked) => onChange(picked as T)} />
    </div>
  );
}

export function InstanceFormDialog({
  opened,
  instance,
  clientId,
  onClose,
  onSaved,
}: {
  opened: boolean;
  instance?: InstanceView;
  clientId?: string;
  onClose: () => void;
  onSaved?: (i: InstanceView) => void;
}) {
  const form = useForm<InstanceFormValues>({ mode: 'controlled', initialValues: initialInstanceValues(instance, clientId), validate: validateInstanceForm, validateInputOnBlur: true });
  const clients = useApiQuery('listClients', {}, { enabled: opened });
  const credentials = useApiQuery('listCredentials', {}, { enabled: opened });
  const add = useApiMutation('addInstance');
  const update = useApiMutation('updateInstance');
  const [coreServers, setCoreServers] = useState<Array<{ value: string; label: string }>>([]);

  const { setValues, resetDirty, clearErrors } = form;
  const { reset: resetAdd } = add;
  const { reset: resetUpdate } = update;
  useEffect(() => {
    if (!opened) return;
    const values = initialInstanceValues(instance, clientId);
    setValues(values);
    resetDirty(values);
    clearErrors();
    resetAdd();
    resetUpdate();
    setCoreServers([]);
  }, [opened, instance, clientId, setValues, resetDirty, clearErrors, resetAdd, resetUpdate]);

  const v = form.values;
  const { hints, formFields: KindFields } = KIND_UI[v.kind];
  const editing = Boolean(instance);

  const save = (values: InstanceFormValues) =>
    saveShowingFieldErrors(form, INSTANCE_FIELDS, [add, update], async () => {
      const saved = instance ? await update.mutateAsync({ ref: instance.id, patch: toPatch(values, instance) }) : await add.mutateAsync(toAddInput(values));
      onSaved?.(saved);
      onClose();
    });

  const clientOptions = (clients.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const credentialOptions = (credentials.data ?? []).map((c) => ({ value: c.id, label: c.user ? `${c.name} (${c.user})` : c.name }));

  return (
    <Modal opened={opened} onClose={onClose} title={instance ? `Edit instance ${instance.name}` : 'Add instance'} size="lg">
      <form noValidate onSubmit={form.onSubmit((values) => void save(values))}>
        <Stack gap="sm">
          {!editing ? (
            <LabelledChoice id="kind-label" label="Kind" data={KIND_OPTIONS} value={v.kind} onChange={(k) => form.setFieldValue('kind', k)} />
          ) : null}
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label="Name" placeholder="qm-acme-prod" required data-autofocus {...form.getInputProps('name')} />
            <Select
              label="Client"
              placeholder="Pick a client"
              data={clientOptions}
              value={v.client || null}
              onChange={(c) => form.setFieldValue('client', c ?? '')}
              searchable
              clearable
              description={
                editing && instance?.clientId ? (
                  v.client ? (
                    <Anchor component="button" type="button" size="xs" onClick={() => form.setFieldValue('client', '')}>
                      Detach from client
                    </Anchor>
                  ) : (
                    'Saving detaches the instance from its client'
                  )
                ) : undefined
              }
              nothingFoundMessage="No client with that name"
              error={form.errors.client}
            />
          </SimpleGrid>
          <TextInput label="URL" placeholder={hints.url} required {...form.getInputProps('url')} />
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label={hints.userLabel} placeholder={hints.user} autoComplete="off" {...form.getInputProps('user')} />
            <LabelledChoice
              id="secret-mode-label"
              label="Secret"
              size="xs"
              value={v.secretMode}
              onChange={(m) => form.setFieldValue('secretMode', m)}
              data={[
                { value: 'own', label: 'Own' },
                { value: 'shared', label: 'Shared' },
                { value: 'none', label: 'None' },
              ]}
            />
          </SimpleGrid>
          {v.secretMode === 'own' ? (
            <PasswordInput
              label={hints.secretLabel}
              description={
                instance?.hasSecret && instance.secret?.type === 'own' ? (
                  <span className="kf-secret-note">
                    <Icon name="lock" size={12} /> secret stored in keychain — leave empty to keep it
                  </span>
                ) : (
                  'Stored in the OS keychain, never in files'
                )
              }
              autoComplete="new-password"
              {...form.getInputProps('secret')}
            />
          ) : v.secretMode === 'shared' ? (
            <Select
              label="Shared credential"
              description="One keychain item used by many instances (add them in Settings)"
              data={credentialOptions}
              value={v.credential || null}
              onChange={(c) => form.setFieldValue('credential', c ?? '')}
              placeholder={credentialOptions.length ? 'Pick a credential' : 'No shared credentials yet'}
              error={form.errors.credential}
            />
          ) : instance?.hasSecret ? (
            <Text size="xs" c="orange">
              Saving removes the stored secret from the keychain.
            </Text>
          ) : null}
          {KindFields ? <KindFields form={form} coreServers={coreServers} /> : null}
          <ConnectionTest
            canTest={isUsableInstanceUrl(v)}
            input={() => (instance ? { ref: instance.id, draft: toDraft(form.values) } : { draft: toDraft(form.values) })}
            onTrust={(fp) => form.setFieldValue('pinSha256', fp)}
            onResult={(r) => {
              if (r.coreServers?.length) {
                setCoreServers(r.coreServers.map((c) => ({ value: c.slug, label: c.name === c.slug ? c.name : `${c.name} (${c.slug})` })));
                if (!form.getValues().coreServer && r.coreServers[0]) form.setFieldValue('coreServer', r.coreServers[0].slug);
              }
            }}
          />
          <Divider label="Details" labelPosition="left" />
          <SimpleGrid cols={2} spacing="sm">
            <TagsInput label="Tags" placeholder="Type and press Enter" value={v.tags} onChange={(t) => form.setFieldValue('tags', t)} clearable />
            <TextInput label="Group" placeholder="EU datacenter" {...form.getInputProps('group')} />
          </SimpleGrid>
          <TextInput
            label="Pinned certificate (SHA-256)"
            description="Only for self-signed servers; filled by “Trust this certificate”"
            placeholder="AB:CD:…"
            classNames={{ input: 'kf-mono' }}
            {...form.getInputProps('pinSha256')}
          />
          <Textarea label="Notes" autosize minRows={2} maxRows={5} {...form.getInputProps('notes')} />
          <FormFooter error={add.error ?? update.error} saving={add.isPending || update.isPending} submitLabel={instance ? 'Save' : 'Add instance'} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
