import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Icon, type IconName } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import type { DashboardSummary } from '../../shared/types.ts';

/** First run: what to do first, in order, each with the button that does it. */
export function Welcome({ summary }: { summary: DashboardSummary }) {
  const { openDialog, navigate } = useApp();
  const steps: Array<{ n: number; icon: IconName; title: string; text: string; done: boolean; actions: Array<{ label: string; run: () => void; variant?: string }> }> = [
    {
      n: 1,
      icon: 'clients',
      title: 'Add a client',
      text: 'A client is the firm you license software for. Its name becomes the end-user on new keys.',
      done: summary.clients > 0,
      actions: [{ label: 'Add client', run: () => openDialog({ kind: 'addClient' }) }],
    },
    {
      n: 2,
      icon: 'instances',
      title: 'Add an instance',
      text: 'A QueueMetrics, iSymphony or Webitel server you manage. Its password goes to the OS keychain.',
      done: summary.instances > 0,
      actions: [
        { label: 'Add instance', run: () => openDialog({ kind: 'addInstance' }) },
        { label: 'Import CSV', run: () => openDialog({ kind: 'importInstancesCsv' }), variant: 'default' },
      ],
    },
    {
      n: 3,
      icon: 'stock',
      title: 'Stock your keys',
      text: 'Paste the PPKs you bought from Loway, or connect a Loway key server or a QLM License Server.',
      done: summary.ppksInStock > 0,
      actions: [
        { label: 'Import PPKs', run: () => openDialog({ kind: 'importPpks' }) },
        { label: 'Add key source', run: () => openDialog({ kind: 'addSource' }), variant: 'default' },
      ],
    },
  ];
  return (
    <Paper withBorder radius="md" p="xl" className="kf-welcome">
      <Stack gap="lg">
        <div>
          <Title order={3}>Welcome to Keyfleet</Title>
          <Text size="sm" c="dimmed" mt={4}>
            Your fleet is empty. Three steps and every expiry across your clients shows up here, with reminders before anything lapses.
          </Text>
        </div>
        <Group wrap="nowrap" align="center" gap="md" className="kf-step">
          <ThemeIcon size={34} radius="xl" variant="light">
            <Icon name="bolt" size={18} />
          </ThemeIcon>
          <div style={{ flex: 1, minWidth: 0 }}>
            <Text fw={600} size="sm">
              Already running a fleet?
            </Text>
            <Text size="sm" c="dimmed">
              Paste your instances' URLs (or choose a CSV): Keyfleet tests every connection, reads every license and lists what it could not tell.
            </Text>
          </div>
          <Button size="sm" onClick={() => navigate({ page: 'onboarding' })}>
            Bring your fleet
          </Button>
        </Group>
        <Stack gap="sm">
          {steps.map((s) => (
            <Group key={s.n} wrap="nowrap" align="flex-start" gap="md" className="kf-step" data-done={s.done || undefined}>
              <ThemeIcon size={34} radius="xl" variant={s.done ? 'filled' : 'light'} color={s.done ? 'teal' : undefined}>
                {s.done ? <Icon name="check" size={18} /> : <Icon name={s.icon} size={18} />}
              </ThemeIcon>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text fw={600} size="sm">
                  {s.n}. {s.title}
                </Text>
                <Text size="sm" c="dimmed">
                  {s.text}
                </Text>
              </div>
              <Group gap="xs" wrap="nowrap">
                {s.actions.map((a) => (
                  <Button key={a.label} size="sm" variant={a.variant ?? (s.done ? 'default' : 'filled')} onClick={a.run}>
                    {a.label}
                  </Button>
                ))}
              </Group>
            </Group>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}
