import { Paper, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { useApp } from '../../app/useApp.ts';
import type { Route } from '../../app/routes.ts';
import { formatCount } from '../../shared/format.ts';
import type { DashboardSummary } from '../../shared/types.ts';

interface Stat {
  label: string;
  value: number;
  tone?: 'danger' | 'warn' | 'ok';
  to: Route;
  hint: string;
}

export function StatCards({ summary }: { summary: DashboardSummary }) {
  const { navigate } = useApp();
  const stats: Stat[] = [
    { label: 'Instances', value: summary.instances, to: { page: 'instances' }, hint: `${summary.clients} clients` },
    { label: 'Licenses', value: summary.licenses, to: { page: 'licenses' }, hint: `${summary.ppksInStock} PPKs in stock` },
    { label: '≤ 7 days', value: summary.expiringWithin7, tone: summary.expiringWithin7 ? 'danger' : 'ok', to: { page: 'licenses', licenseFilters: { daysMin: 0, daysMax: 7 } }, hint: 'act now' },
    { label: '≤ 30 days', value: summary.expiringWithin30, tone: summary.expiringWithin30 ? 'warn' : 'ok', to: { page: 'licenses', licenseFilters: { daysMin: 0, daysMax: 30 } }, hint: 'expiring soon' },
    { label: '≤ 90 days', value: summary.expiringWithin90, to: { page: 'licenses', licenseFilters: { daysMin: 0, daysMax: 90 } }, hint: 'this quarter' },
    { label: 'Expired', value: summary.expired, tone: summary.expired ? 'danger' : 'ok', to: { page: 'licenses', licenseFilters: { statuses: ['expired'] } }, hint: 'still on record' },
    { label: 'Drifted', value: summary.drifted - summary.unknownKeys, tone: summary.drifted - summary.unknownKeys ? 'warn' : 'ok', to: { page: 'instances' }, hint: 'key changed' },
    { label: 'Unknown key', value: summary.unknownKeys, tone: summary.unknownKeys ? 'warn' : 'ok', to: { page: 'instances' }, hint: 'adopt its key' },
    { label: 'Unreachable', value: summary.unreachable, tone: summary.unreachable ? 'danger' : 'ok', to: { page: 'instances' }, hint: 'last check failed' },
  ];
  return (
    <SimpleGrid cols={{ base: 2, xs: 4, lg: 9 }} spacing="sm">
      {stats.map((s) => (
        <UnstyledButton key={s.label} onClick={() => navigate(s.to)} aria-label={`${s.label}: ${s.value}`} className="kf-stat-btn">
          <Paper withBorder p="sm" radius="md" className="kf-stat" data-tone={s.value ? s.tone : undefined}>
            <Text size="xs" c="dimmed" fw={500} truncate>
              {s.label}
            </Text>
            <Text fz={26} fw={650} lh={1.2} className="kf-num kf-stat-value">
              {formatCount(s.value)}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {s.hint}
            </Text>
          </Paper>
        </UnstyledButton>
      ))}
    </SimpleGrid>
  );
}
