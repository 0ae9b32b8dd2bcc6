import { Modal, PasswordInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo } from 'react';
import { useApiMutation } from '../../shared/api/queries.ts';
import { FormFooter } from '../../shared/forms/FormFooter.tsx';
import { saveShowingFieldErrors } from '../../shared/forms/saveShowingFieldErrors.ts';
import type { SourceView } from '../../shared/types.ts';
import { initialSourceValues, SOURCE_FIELDS, sourceEditValidator, toSourceInput, toSourcePatch, validateNewSource, type SourceFormValues, type SourceKind } from './sourceForm.ts';

/** A Loway key server account (activation URL, default e-mail) or a QLM License Server account; editing keeps the stored password unless a new one is typed. */
export function SourceFormDialog({ onClose, initialKind = 'loway-keyserver', source }: { onClose: () => void; initialKind?: SourceKind; source?: SourceView | undefined }) {
  const editing = Boolean(source);
  // Editing, the stored password stands in for an empty field.
  const validate = useMemo(() => (source ? sourceEditValidator(source) : validateNewSource), [source]);
  const form = useForm<SourceFormValues>({ mode: 'controlled', initialValues: initialSourceValues(source, initialKind), validate, validateInputOnBlur: true });
  const add = useApiMutation('addSource');
  const update = useApiMutation('updateSource');
  const v = form.values;

  const save = (values: SourceFormValues) =>
    saveShowingFieldErrors(form, SOURCE_FIELDS, [add, update], async () => {
      if (source) await update.mutateAsync({ ref: source.id, patch: toSourcePatch(values, source) });
      else await add.mutateAsync(toSourceInput(values));
      onClose();
    });

  return (
    <Modal opened onClose={onClose} title={source ? `Edit key source ${source.name}` : 'Add key source'} size="lg">
      <form noValidate onSubmit={form.onSubmit((values) => void save(values))}>
        <Stack gap="sm">
          {editing ? null : (
            <SegmentedControl
              aria-label="Source kind"
              fullWidth
              value={v.kind}
              onChange={(k) => form.setFieldValue('kind', k as SourceKind)}
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
            <TextInput label="Name" required placeholder={v.kind === 'qlm' ? 'qlm-main' : 'loway'} data-autofocus {...form.getInputProps('name')} />
            <TextInput label={v.kind === 'qlm' ? 'Default e-mail (optional)' : 'Default e-mail'} placeholder="licenses@reseller.example" type="email" {...form.getInputProps('email')} />
          </SimpleGrid>
          <TextInput
            label="URL"
            required
            placeholder={v.kind === 'qlm' ? 'https://qlm.example/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi' : 'http://my.server/llm/licence_wsvc_gen.do'}
            {...form.getInputProps('url')}
          />
          {v.kind === 'qlm' ? (
            <>
              <SimpleGrid cols={3} spacing="sm">
                <TextInput label="Vendor (is_vendor)" required {...form.getInputProps('vendor')} />
                <TextInput label="User (is_user)" required autoComplete="off" {...form.getInputProps('user')} />
                <PasswordInput
                  label="Password (is_pwd)"
                  required={!editing}
                  autoComplete="new-password"
                  placeholder={source?.hasSecret ? 'stored in keychain' : undefined}
                  description={source?.hasSecret ? 'Leave empty to keep the stored one' : undefined}
                  {...form.getInputProps('secret')}
                />
              </SimpleGrid>
              <SimpleGrid cols={4} spacing="sm">
                <TextInput label="Default product ID" inputMode="numeric" {...form.getInputProps('productId')} />
                <TextInput label="Major" inputMode="numeric" {...form.getInputProps('major')} />
                <TextInput label="Minor" inputMode="numeric" {...form.getInputProps('minor')} />
                <TextInput label="Date format" placeholder="yyyy-MM-dd" {...form.getInputProps('dateFormat')} />
              </SimpleGrid>
            </>
          ) : null}
          <TextInput label="Pinned certificate (SHA-256, optional)" placeholder="AB:CD:…" classNames={{ input: 'kf-mono' }} {...form.getInputProps('pinSha256')} />
          <FormFooter error={add.error ?? update.error} saving={add.isPending || update.isPending} submitLabel={editing ? 'Save' : 'Add source'} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
