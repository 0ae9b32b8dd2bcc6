import { Button, Group, Modal, PasswordInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { asApiError, call, type ApiError } from '../../shared/api/bridge.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useForm } from '../../hooks/useForm.ts';
import { fieldError } from '../../shared/errors.ts';
import { SourceEditSchema, SourceFormSchema } from '../../lib/validation.ts';
import type { Input, SourceView } from '../../shared/types.ts';

type Kind = 'loway-keyserver' | 'qlm';
type Values = SourceFormValues;
export interface SourceFormValues extends Record<string, unknown> {
  name: string;
  kind: Kind;
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

const FIELDS = ['name', 'kind', 'url', 'email', 'vendor', 'user', 'secret', 'productId', 'major', 'minor', 'dateFormat', 'pinSha256'];

function toInput(v: Values): Input<'addSource'> {
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

function initialValues(source: SourceView | undefined, kind: Kind): Values {
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
export function toSourcePatch(v: Values, current: SourceView): Input<'updateSource'>['patch'] {
  const add = toInput(v);
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

/** A Loway key server account (activation URL, default e-mail) or a QLM License Server account; editing keeps the stored password unless a new one is typed. */
export function SourceFormDialog({ onClose, initialKind = 'loway-keyserver', source }: { onClose: () => void; initialKind?: Kind; source?: SourceView | undefined }) {
  const editing = Boolean(source);
  // Editing, the stored password stands in for an empty field.
  const form = useForm<Values>(initialValues(source, initialKind), editing ? SourceEditSchema : SourceFormSchema);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const v = form.values;

  const submit = async () => {
    if (!form.validate()) return;
    setSaving(true);
    setError(null);
    try {
      if (source) await call('updateSource', { ref: source.id, patch: toSourcePatch(form.values, source) });
      else await call('addSource', toInput(form.values));
      onClose();
    } catch (e) {
      const err = asApiError(e);
      const f = fieldError(err, FIELDS);
      if (f) form.setError(f.field as keyof Values & string, f.message);
      else setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={source ? `Edit key source ${source.name}` : 'Add key source'} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {editing ? null : (
            <SegmentedControl
              aria-label="Source kind"
              fullWidth
              value={v.kind}
              onChange={(k) => form.setValue('kind', k as Kind)}
              data={[
                { value: 'loway-keyserver', label: 'Loway key server' },
                { value: 'qlm', label: 'QLM License Server' },
              ]}
            />
          )}
          <Text size="xs" c="dimmed">
            {v.kind === 'qlm'
              ? 'Soraco Quick License Manager: keys are created, updated and renewed on your License Server. The password (is_pwd) goes to the OS keychain.'
              : 'The activation URL Loway gave you (…/licence_wsvc_gen.do). PPKs are converted into keys there.'}
          </Text>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label="Name" required placeholder={v.kind === 'qlm' ? 'qlm-main' : 'loway'} data-autofocus {...form.text('name')} />
            <TextInput label={v.kind === 'qlm' ? 'Default e-mail (optional)' : 'Default e-mail'} placeholder="licenses@reseller.example" type="email" {...form.text('email')} />
          </SimpleGrid>
          <TextInput
            label="URL"
            required
            placeholder={v.kind === 'qlm' ? 'https://qlm.example/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi' : 'http://my.server/llm/licence_wsvc_gen.do'}
            {...form.text('url')}
          />
          {v.kind === 'qlm' ? (
            <>
              <SimpleGrid cols={3} spacing="sm">
                <TextInput label="Vendor (is_vendor)" required {...form.text('vendor')} />
                <TextInput label="User (is_user)" required autoComplete="off" {...form.text('user')} />
                <PasswordInput
                  label="Password (is_pwd)"
                  required={!editing}
                  autoComplete="new-password"
                  placeholder={source?.hasSecret ? 'stored in keychain' : undefined}
                  description={source?.hasSecret ? 'Leave empty to keep the stored one' : undefined}
                  {...form.text('secret')}
                />
              </SimpleGrid>
              <SimpleGrid cols={4} spacing="sm">
                <TextInput label="Default product ID" inputMode="numeric" {...form.text('productId')} />
                <TextInput label="Major" inputMode="numeric" {...form.text('major')} />
                <TextInput label="Minor" inputMode="numeric" {...form.text('minor')} />
                <TextInput label="Date format" placeholder="yyyy-MM-dd" {...form.text('dateFormat')} />
              </SimpleGrid>
            </>
          ) : null}
          <TextInput label="Pinned certificate (SHA-256, optional)" placeholder="AB:CD:…" classNames={{ input: 'kf-mono' }} {...form.text('pinSha256')} />
          <ErrorAlert error={error} compact />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {editing ? 'Save' : 'Add source'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
