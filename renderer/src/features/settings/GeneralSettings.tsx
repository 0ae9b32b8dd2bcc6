import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { useApiMutation, useApiQuery } from '../../shared/api/queries.ts';
import { parseDayList } from '../../shared/format.ts';
import type { Input, Settings } from '../../shared/types.ts';

interface Draft {
  reminderStages: string;
  lowStockThreshold: number | string;
  refreshConcurrency: number | string;
  perHostConcurrency: number | string;
  scheduledRefreshHours: number | string;
  keepRunningInTray: boolean;
  startAtLogin: boolean;
}

function draftOf(s: Settings): Draft {
  return {
    reminderStages: s.reminderStages.join(', '),
    lowStockThreshold: s.lowStockThreshold,
    refreshConcurrency: s.refreshConcurrency,
    perHostConcurrency: s.perHostConcurrency,
    scheduledRefreshHours: s.scheduledRefreshHours,
    keepRunningInTray: s.keepRunningInTray,
    startAtLogin: s.startAtLogin,
  };
}

function intIn(v: number | string, min: number, max: number): number | null {
  const n = Number(v);
  return v !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

export function GeneralSettings() {
  const settings = useApiQuery('getSettings', {});
  const save = useApiMutation('updateSettings');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings.data && !draft) setDraft(draftOf(settings.data));
  }, [settings.data, draft]);

  if (!draft) return <ErrorAlert error={settings.error} onRetry={settings.refetch} />;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft({ ...draft, [k]: v });
    setSaved(false);
  };

  const stages = parseDayList(draft.reminderStages);
  const errors = {
    reminderStages: stages === null ? 'Whole numbers of days, separated by commas' : stages.some((s) => s > 3650) ? 'At most 3650 days' : stages.length > 20 ? 'At most 20 stages' : undefined,
    lowStockThreshold: intIn(draft.lowStockThreshold, 0, 100_000) === null ? 'A whole number from 0' : undefined,
    refreshConcurrency: intIn(draft.refreshConcurrency, 1, 256) === null ? 'From 1 to 256' : undefined,
    perHostConcurrency: intIn(draft.perHostConcurrency, 1, 64) === null ? 'From 1 to 64' : undefined,
    scheduledRefreshHours: intIn(draft.scheduledRefreshHours, 0, 168) === null ? 'From 0 (off) to 168 hours' : undefined,
  };
  const valid = Object.values(errors).every((e) => e === undefined);

  const submit = () => {
    if (!valid || !stages) return;
    const input: Input<'updateSettings'> = {
      reminderStages: [...new Set(stages)].sort((a, b) => b - a),
      lowStockThreshold: Number(draft.lowStockThreshold),
      refreshConcurrency: Number(draft.refreshConcurrency),
      perHostConcurrency: Number(draft.perHostConcurrency),
      scheduledRefreshHours: Number(draft.scheduledRefreshHours),
      keepRunningInTray: draft.keepRunningInTray,
      startAtLogin: draft.startAtLogin,
    };
    save.mutate(input, {
      onSuccess: (settings) => {
        setDraft(draftOf(settings));
        setSaved(true);
      },
    });
  };

  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Title order={4}>Reminders, stock and refresh</Title>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label="Reminder stages"
              description="Days before expiry; each stage fires once per license"
              value={draft.reminderStages}
              onChange={(e) => set('reminderStages', e.currentTarget.value)}
              error={errors.reminderStages}
            />
            <NumberInput label="Low-stock threshold" description="Warn when a PPK group has fewer in stock" min={0} allowDecimal={false} value={draft.lowStockThreshold} onChange={(v) => set('lowStockThreshold', v)} error={errors.lowStockThreshold} />
            <NumberInput label="Refresh concurrency" description="Instances checked at the same time" min={1} max={256} allowDecimal={false} value={draft.refreshConcurrency} onChange={(v) => set('refreshConcurrency', v)} error={errors.refreshConcurrency} />
            <NumberInput label="Per-host concurrency" description="At most this many calls to one host at once" min={1} max={64} allowDecimal={false} value={draft.perHostConcurrency} onChange={(v) => set('perHostConcurrency', v)} error={errors.perHostConcurrency} />
            <NumberInput label="Scheduled refresh (hours)" description="0 = off; otherwise check every instance this often" min={0} max={168} allowDecimal={false} value={draft.scheduledRefreshHours} onChange={(v) => set('scheduledRefreshHours', v)} error={errors.scheduledRefreshHours} />
          </SimpleGrid>
          <Title order={4} mt="xs">
            Desktop
          </Title>
          <Switch label="Keep running in the tray when the window is closed (reminders keep firing)" checked={draft.keepRunningInTray} onChange={(e) => set('keepRunningInTray', e.currentTarget.checked)} />
          <Switch label="Start at login" checked={draft.startAtLogin} onChange={(e) => set('startAtLogin', e.currentTarget.checked)} />
          <ErrorAlert error={save.error} compact />
          <Group justify="flex-end" gap="xs">
            {saved ? (
              <Text size="sm" c="teal" role="status">
                Saved
              </Text>
            ) : null}
            <Button variant="default" onClick={() => settings.data && setDraft(draftOf(settings.data))}>
              Reset
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!valid}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
