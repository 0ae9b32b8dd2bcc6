import { Anchor, Button, Divider, Group, Modal, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { asApiError, call, type ApiError } from '../../shared/api/bridge.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useForm } from '../../hooks/useForm.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { fieldError } from '../../shared/errors.ts';
import { KIND_HINTS, KIND_OPTIONS } from './instanceKinds.ts';
import { InstanceFormSchema, isUsableInstanceUrl } from '../../lib/validation.ts';
import type { InstanceView } from '../../shared/types.ts';
import { ConnectionTest } from './ConnectionTest.tsx';
import { initialInstanceValues, toAddInput, toDraft, toPatch, type InstanceFormValues } from './instanceInput.ts';

const FIELDS = ['name', 'kind', 'url', 'client', 'user', 'secret', 'credential', 'coreServer', 'domainId', 'pinSha256', 'tags', 'group', 'notes'];

/** Add or edit an instance; the secret goes to the OS keychain and is never shown again. */
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
  const form = useForm<InstanceFormValues>(initialInstanceValues(instance, clientId), InstanceFormSchema);
  const clients = useQuery('listClients', {}, { enabled: opened });
  const credentials = useQuery('listCredentials', {}, { enabled: opened });
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [coreServers, setCoreServers] = useState<Array<{ value: string; label: string }>>([]);
  const { reset } = form;

  useEffect(() => {
    if (opened) {
      reset(initialInstanceValues(instance, clientId));
      setError(null);
      setCoreServers([]);
    }
  }, [opened, instance, clientId, reset]);

  const v = form.values;
  const hints = KIND_HINTS[v.kind];
  const editing = Boolean(instance);

  const submit = async () => {
    if (!form.validate()) return;
    setSaving(true);
    setError(null);
    try {
      const saved = instance ? await call('updateInstance', { ref: instance.id, patch: toPatch(form.values, instance) }) : await call('addInstance', toAddInput(form.values));
      onSaved?.(saved);
      onClose();
    } catch (e) {
      const err = asApiError(e);
      const f = fieldError(err, FIELDS);
      if (f) form.setError(f.field as keyof InstanceFormValues & string, f.message);
      else setError(err);
    } finally {
      setSaving(false);
    }
  };

  const clientOptions = (clients.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const credentialOptions = (credentials.data ?? []).map((c) => ({ value: c.id, label: c.user ? `${c.name} (${c.user})` : c.name }));

  return (
    <Modal opened={opened} onClose={onClose} title={instance ? `Edit instance ${instance.name}` : 'Add instance'} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {!editing ? (
            <div>
              <Text size="sm" fw={500} mb={4} id="kind-label">
                Kind
              </Text>
              <SegmentedControl
                aria-labelledby="kind-label"
                fullWidth
                data={KIND_OPTIONS}
                value={v.kind}
                onChange={(k) => form.setValue('kind', k as InstanceFormValues['kind'])}
              />
            </div>
          ) : null}
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label="Name" placeholder="qm-acme-prod" required data-autofocus {...form.text('name')} />
            <Select
              label="Client"
              placeholder="Pick a client"
              data={clientOptions}
              value={v.client || null}
              onChange={(c) => form.setValue('client', c ?? '')}
              searchable
              clearable
              description={
                editing && instance?.clientId ? (
                  v.client ? (
                    <Anchor component="button" type="button" size="xs" onClick={() => form.setValue('client', '')}>
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
          <TextInput label="URL" placeholder={hints.url} required {...form.text('url')} />
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label={hints.userLabel} placeholder={hints.user} autoComplete="off" {...form.text('user')} />
            <div>
              <Text size="sm" fw={500} mb={4} id="secret-mode-label">
                Secret
              </Text>
              <SegmentedControl
                aria-labelledby="secret-mode-label"
                size="xs"
                fullWidth
                value={v.secretMode}
                onChange={(m) => form.setValue('secretMode', m as InstanceFormValues['secretMode'])}
                data={[
                  { value: 'own', label: 'Own' },
                  { value: 'shared', label: 'Shared' },
                  { value: 'none', label: 'None' },
                ]}
              />
            </div>
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
              {...form.text('secret')}
            />
          ) : v.secretMode === 'shared' ? (
            <Select
              label="Shared credential"
              description="One keychain item used by many instances (add them in Settings)"
              data={credentialOptions}
              value={v.credential || null}
              onChange={(c) => form.setValue('credential', c ?? '')}
              placeholder={credentialOptions.length ? 'Pick a credential' : 'No shared credentials yet'}
              error={form.errors.credential}
            />
          ) : instance?.hasSecret ? (
            <Text size="xs" c="orange">
              Saving removes the stored secret from the keychain.
            </Text>
          ) : null}
          {v.kind === 'isymphony' ? (
            coreServers.length ? (
              <Select label="Core server" data={coreServers} value={v.coreServer || null} onChange={(c) => form.setValue('coreServer', c ?? '')} placeholder="Pick the core server" allowDeselect={false} />
            ) : (
              <TextInput label="Core server (slug)" placeholder="default" description="Test the connection to pick from the server's list" {...form.text('coreServer')} />
            )
          ) : null}
          {v.kind === 'webitel' ? (
            <TextInput
              label="Operator's domain ID (optional)"
              description="Lets Keyfleet tell in advance which license holders may be forced offline (only users of your own domain)"
              {...form.text('domainId')}
            />
          ) : null}
          <ConnectionTest
            canTest={isUsableInstanceUrl(v.kind, v.url)}
            input={() => (instance ? { ref: instance.id, draft: toDraft(form.values) } : { draft: toDraft(form.values) })}
            onTrust={(fp) => form.setValue('pinSha256', fp)}
            onResult={(r) => {
              if (r.coreServers?.length) {
                setCoreServers(r.coreServers.map((c) => ({ value: c.slug, label: c.name === c.slug ? c.name : `${c.name} (${c.slug})` })));
                if (!form.values.coreServer && r.coreServers[0]) form.setValue('coreServer', r.coreServers[0].slug);
              }
            }}
          />
          <Divider label="Details" labelPosition="left" />
          <SimpleGrid cols={2} spacing="sm">
            <TagsInput label="Tags" placeholder="Type and press Enter" value={v.tags} onChange={(t) => form.setValue('tags', t)} clearable />
            <TextInput label="Group" placeholder="EU datacenter" {...form.text('group')} />
          </SimpleGrid>
          <TextInput
            label="Pinned certificate (SHA-256)"
            description="Only for self-signed servers; filled by “Trust this certificate”"
            placeholder="AB:CD:…"
            classNames={{ input: 'kf-mono' }}
            {...form.text('pinSha256')}
          />
          <Textarea label="Notes" autosize minRows={2} maxRows={5} {...form.text('notes')} />
          <ErrorAlert error={error} compact />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {instance ? 'Save' : 'Add instance'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
