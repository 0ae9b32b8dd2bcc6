import type { IconName } from '../shared/ui/Icon.tsx';

/** The icon of each page in the navigation bar and the command palette (a page without one gets the command icon). */
export const NAV_ICONS: Record<string, IconName> = {
  dashboard: 'dashboard',
  clients: 'clients',
  instances: 'instances',
  stock: 'stock',
  licenses: 'licenses',
  history: 'history',
  settings: 'settings',
  reconcile: 'refresh',
};
