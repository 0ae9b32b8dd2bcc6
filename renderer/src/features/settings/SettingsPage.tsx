import { Grid, Stack } from '@mantine/core';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { AboutSettings } from './AboutSettings.tsx';
import { CredentialsSettings } from './CredentialsSettings.tsx';
import { GeneralSettings } from './GeneralSettings.tsx';

export function SettingsPage() {
  return (
    <div className="kf-page kf-page-scroll">
      <Stack gap="md">
        <PageHeader title="Settings" subtitle="Reminders, refresh, desktop behaviour and where your data lives" />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack gap="md">
              <GeneralSettings />
              <CredentialsSettings />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <AboutSettings />
          </Grid.Col>
        </Grid>
      </Stack>
    </div>
  );
}
