import type { Route } from './routes.ts';
import { ClientsPage } from '../features/clients/ClientsPage.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { HistoryPage } from '../features/history/HistoryPage.tsx';
import { InstanceDetailPage } from '../features/instances/InstanceDetailPage.tsx';
import { InstancesPage } from '../features/instances/InstancesPage.tsx';
import { KeyStockPage } from '../features/stock/KeyStockPage.tsx';
import { LicensesPage } from '../features/licenses/LicensesPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { OnboardingPage } from '../features/onboarding/OnboardingPage.tsx';
import { ReconcilePage } from '../features/reconcile/ReconcilePage.tsx';

export function PageView({ route }: { route: Route }) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'clients':
      return <ClientsPage />;
    case 'instances':
      return <InstancesPage clientId={route.clientId} />;
    case 'instance':
      return route.instanceId ? <InstanceDetailPage key={route.instanceId} instanceId={route.instanceId} /> : <InstancesPage />;
    case 'stock':
      return <KeyStockPage tab={route.stockTab} />;
    case 'licenses':
      return <LicensesPage key={JSON.stringify(route.licenseFilters ?? null)} presetFilters={route.licenseFilters} highlightId={route.licenseId} />;
    case 'history':
      return <HistoryPage />;
    case 'settings':
      return <SettingsPage />;
    case 'onboarding':
      return <OnboardingPage />;
    case 'reconcile':
      return <ReconcilePage />;
  }
}
