import type { Route } from '../lib/routes.ts';
import { ClientsPage } from './ClientsPage.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { HistoryPage } from './HistoryPage.tsx';
import { InstanceDetailPage } from './InstanceDetailPage.tsx';
import { InstancesPage } from './InstancesPage.tsx';
import { KeyStockPage } from './KeyStockPage.tsx';
import { LicensesPage } from './LicensesPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';

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
  }
}
