import { Grid, Loader, Stack } from '@mantine/core';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiQuery } from '../../shared/api/queries.ts';
import { ExpiryTimeline } from './ExpiryTimeline.tsx';
import { NextExpiries } from './NextExpiries.tsx';
import { StatCards } from './StatCards.tsx';
import { StockLevels } from './StockLevels.tsx';
import { Welcome } from './Welcome.tsx';
import './dashboard.css';

export function DashboardPage() {
  const { navigate } = useApp();
  const summary = useApiQuery('getDashboard', {});
  const licenses = useApiQuery('listLicenses', {});
  const instances = useApiQuery('listInstances', {});
  const s = summary.data;
  const empty = s && s.clients === 0 && s.instances === 0 && s.licenses === 0;
  return (
    <div className="kf-page kf-page-scroll">
      <Stack gap="md">
        <PageHeader title="Dashboard" subtitle="Every license across the fleet, soonest expiry first" actions={summary.isFetching && s ? <Loader size="xs" /> : null} />
        <ErrorAlert error={summary.error} onRetry={summary.refetch} />
        {!s && summary.isFetching ? <Loader size="sm" aria-label="Loading" /> : null}
        {empty && s ? <Welcome summary={s} /> : null}
        {s && !empty ? (
          <>
            <StatCards summary={s} />
            <ErrorAlert error={licenses.error} onRetry={licenses.refetch} compact />
            <Grid gap="md">
              <Grid.Col span={{ base: 12, md: 8 }}>
                <Stack gap="md">
                  <ExpiryTimeline
                    licenses={licenses.data ?? []}
                    onPickMonth={(b) => {
                      const now = new Date();
                      const start = new Date(b.year, Number(b.key.slice(5)) - 1, 1);
                      const end = new Date(b.year, Number(b.key.slice(5)), 0);
                      const days = (d: Date) => Math.max(0, Math.round((d.getTime() - new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()) / 86_400_000));
                      navigate({ page: 'licenses', licenseFilters: { daysMin: days(start), daysMax: days(end) } });
                    }}
                  />
                </Stack>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <StockLevels />
              </Grid.Col>
            </Grid>
            <NextExpiries licenses={licenses.data ?? []} instances={instances.data ?? []} />
          </>
        ) : null}
      </Stack>
    </div>
  );
}
