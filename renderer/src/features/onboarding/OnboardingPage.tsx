import { Alert, Button, Code, Group, Paper, PasswordInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import type { Input } from '../../shared/types.ts';
import { useJob } from '../../shared/api/useJob.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { CsvFileButton } from '../../shared/ui/CsvFileButton.tsx';
import { PasteArea } from '../../shared/ui/PasteArea.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { JobProgressView } from '../../shared/ui/JobProgressView.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { EMPTY_ONBOARDING_FORM, toRunInput, validateOnboardingForm, type OnboardingFormValues } from './onboardingForm.ts';
import { OnboardingSteps } from './OnboardingSteps.tsx';
import { UnknownList } from './UnknownList.tsx';

const URL_HINT = [
  'http://qm1.example:8080/queuemetrics',
  'http://pbx.example:58080',
  'webitel https://cc.example',
].join('\n');

/**
 * "Bring your fleet": instances from pasted URLs or the CSV, one shared credential, then every
 * connection tested and every license read with progress, and what is still unknown with one
 * button each. A run that stopped (the app was closed) is shown where it stopped, to resume.
 */
export function OnboardingPage() {
  const status = useApiQuery('getOnboarding', {});
  const run = useApiMutation('runOnboarding');
  const job = useJob('onboard');
  const [startNew, setStartNew] = useState(false);
  const form = useForm<OnboardingFormValues>({ mode: 'controlled', initialValues: EMPTY_ONBOARDING_FORM, validate: validateOnboardingForm });

  // The status is refetched after every change (a fixed connection, an adopted key), so it leads.
  const view = status.data ?? run.data;
  const running = run.isPending;
  const showForm = !running && (startNew || view?.state === 'none');

  const start = (input: Omit<Input<'runOnboarding'>, 'jobId'>) => {
    const jobId = job.start();
    run.mutate({ ...input, jobId }, { onSettled: () => job.finish() });
    setStartNew(false);
  };
  const submit = (values: OnboardingFormValues) => start(toRunInput(values));

  const loadCsv = (file: File | null) => {
    if (!file) return;
    form.setFieldValue('fileName', file.name);
    void file.text().then((text) => form.setFieldValue('csv', text));
  };

  return (
    <div className="kf-page">
      <PageHeader title="Bring your fleet" subtitle="Every instance you already run: connections tested, licenses read, what stays unknown listed with one action each" />
      <Stack gap="md" maw={900}>
        {view && view.state === 'unfinished' && !view.adoptPending && !running ? (
          <Alert color="yellow" icon={<Icon name="info" size={16} />} title="Onboarding stopped before the end">
            <Stack gap="xs">
              <Text size="sm">
                {view.instances} instance{view.instances === 1 ? '' : 's'} added {view.startedAt ? `on ${view.startedAt.slice(0, 10)}` : ''}. The steps marked done are kept; resuming runs the rest.
              </Text>
              <Group>
                <Button onClick={() => start({})}>Resume</Button>
              </Group>
            </Stack>
          </Alert>
        ) : null}

        {showForm ? (
          <Paper withBorder p="md" component="form" onSubmit={form.onSubmit(submit)} aria-label="Instances to bring in">
            <Stack gap="sm">
              <Title order={4}>1. Your instances</Title>
              <SegmentedControl
                aria-label="Instances from"
                data={[
                  { value: 'urls', label: 'Paste URLs' },
                  { value: 'csv', label: 'CSV file' },
                ]}
                {...form.getInputProps('source')}
              />
              {form.values.source === 'urls' ? (
                <PasteArea
                  label="Instance URLs"
                  description="One a line. The kind comes from the URL (/queuemetrics, /communication_manager or port 58080, /api); otherwise write it first: webitel https://…"
                  placeholder={URL_HINT}
                  minRows={5}
                  maxRows={16}
                  {...form.getInputProps('urls')}
                />
              ) : (
                <Stack gap={4}>
                  <CsvFileButton onFile={loadCsv} label="Choose CSV…" note={form.values.fileName || 'columns name,kind,url,client,user'} />
                  {form.errors.csv ? (
                    <Text size="xs" c="red">
                      {form.errors.csv}
                    </Text>
                  ) : null}
                </Stack>
              )}
              <Title order={4} mt="xs">
                2. Credentials
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {form.values.source === 'urls' ? (
                  <>
                    <TextInput label="Client (optional)" description="For every URL; created when new" {...form.getInputProps('client')} />
                    <TextInput label="User (optional)" description="For every URL" autoComplete="off" {...form.getInputProps('user')} />
                  </>
                ) : null}
                <PasswordInput label="Shared secret (optional)" description="Stored once in the OS keychain" autoComplete="new-password" {...form.getInputProps('secret')} />
              </SimpleGrid>
              <ErrorAlert error={run.error} />
              <Group justify="flex-end">
                {view && view.state !== 'none' ? (
                  <Button variant="default" onClick={() => setStartNew(false)}>
                    Cancel
                  </Button>
                ) : null}
                <Button type="submit" leftSection={<Icon name="bolt" size={14} />}>
                  Bring them in
                </Button>
              </Group>
            </Stack>
          </Paper>
        ) : null}

        {running ? (
          <Paper withBorder p="md" aria-label="Onboarding progress">
            <Stack gap="xs">
              <Title order={4}>3. {job.state.progress?.message ?? 'Working'}</Title>
              <JobProgressView state={job.state} running />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => void job.cancel()}>
                  Stop
                </Button>
              </Group>
            </Stack>
          </Paper>
        ) : null}

        {view && view.state !== 'none' && !running ? (
          <Paper withBorder p="md" aria-label="Onboarding result">
            <Stack gap="sm">
              <Title order={4}>{view.state === 'finished' ? 'Your fleet is in' : 'Where onboarding stands'}</Title>
              <OnboardingSteps steps={view.steps} />
              {showForm ? null : <ErrorAlert error={run.error} />}
              {view.adoptPending ? (
                <Alert color="blue" title="Adopt QueueMetrics keys from PPKs marked converted?">
                  <Stack gap="xs">
                    <Text size="sm">Keyfleet asks the key server again for these PPKs' keys (free for a converted PPK: it answers with the key it gave):</Text>
                    <Code block>{view.adoptPending.ppks.join('\n')}</Code>
                    <Group>
                      <Button onClick={() => start({ confirmAdopt: true })}>Adopt from these PPKs</Button>
                    </Group>
                  </Stack>
                </Alert>
              ) : null}
              <UnknownList items={view.unknowns} />
              {view.state === 'finished' && !showForm ? (
                <Group>
                  <Button variant="default" onClick={() => setStartNew(true)}>
                    Bring more instances
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Paper>
        ) : null}
      </Stack>
    </div>
  );
}
