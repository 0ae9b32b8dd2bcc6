import type { Client, InstanceView, LicenseView, SourceView } from '../shared/types.ts';
import type { LicenseFilters } from '../features/licenses/licenseFilters.ts';

export type PageId = 'dashboard' | 'clients' | 'instances' | 'stock' | 'licenses' | 'history' | 'settings' | 'reconcile' | 'instance' | 'onboarding';

export interface Route {
  page: PageId;
  /** The instance page shows one instance. */
  instanceId?: string;
  /** Pre-filter a list (dashboard cards, "show instances of this client"). */
  clientId?: string;
  licenseFilters?: Partial<LicenseFilters>;
  /** Scroll to and highlight one license (openLicense push event). */
  licenseId?: string;
  stockTab?: 'ppks' | 'sources';
}

export interface NavItem {
  id: Exclude<PageId, 'instance' | 'onboarding'>;
  label: string;
  shortcut: string;
}

export const NAV_ITEMS: NavItem[] = [
  { id: 'dashboard', label: 'Dashboard', shortcut: 'mod+1' },
  { id: 'clients', label: 'Clients', shortcut: 'mod+2' },
  { id: 'instances', label: 'Instances', shortcut: 'mod+3' },
  { id: 'stock', label: 'Key stock', shortcut: 'mod+4' },
  { id: 'licenses', label: 'Licenses', shortcut: 'mod+5' },
  { id: 'history', label: 'History', shortcut: 'mod+6' },
  { id: 'settings', label: 'Settings', shortcut: 'mod+7' },
  { id: 'reconcile', label: 'Reconcile', shortcut: 'mod+8' },
];

/** Every dialog the app can open from anywhere (palette, dashboard, tables). */
export type DialogRequest =
  | { kind: 'addClient' }
  | { kind: 'editClient'; client: Client }
  | { kind: 'addInstance'; clientId?: string }
  | { kind: 'editInstance'; instance: InstanceView }
  | { kind: 'importInstancesCsv' }
  | { kind: 'importPpks' }
  | { kind: 'addSource'; sourceKind?: 'loway-keyserver' | 'qlm' }
  | { kind: 'editSource'; source: SourceView }
  | { kind: 'activatePpk'; instanceId?: string; ppkId?: string }
  | { kind: 'activateBulk'; instanceIds: string[] }
  | { kind: 'convertPpk'; ppkId: string }
  | { kind: 'licenseSettings'; license: LicenseView }
  | { kind: 'installStoredKey'; instanceId: string; licenseId: string }
  | { kind: 'adoptKey'; instanceId: string }
  | { kind: 'qlmCreate'; sourceId?: string }
  | { kind: 'qlmUpdate'; key?: string; sourceId?: string }
  | { kind: 'qlmRenew'; key: string }
  | { kind: 'qlmValidate'; key?: string }
  | { kind: 'refresh'; instanceIds?: string[]; label?: string }
  | { kind: 'export'; what: 'licenses' | 'history' | 'calendar'; ids?: string[]; instance?: string }
  | { kind: 'shortcuts' };
