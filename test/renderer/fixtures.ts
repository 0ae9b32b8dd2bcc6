import type { Result } from '../../electron/core/api/contract.ts';

type LicenseView = Result<'listLicenses'>[number];
type InstanceView = Result<'listInstances'>[number];
type Client = Result<'listClients'>[number];
type Dashboard = Result<'getDashboard'>;

export const NOW = '2026-01-15T10:00:00.000Z';

export function client(id: string, name: string, extra: Partial<Client> = {}): Client {
  return { id, name, tags: [], createdAt: NOW, ...extra };
}

export function instance(id: string, name: string, extra: Partial<InstanceView> = {}): InstanceView {
  return { id, name, kind: 'queuemetrics', url: `https://${name}.example/queuemetrics`, tags: [], createdAt: NOW, hasSecret: false, client: null, ...extra };
}

export function license(id: string, extra: Partial<LicenseView> = {}): LicenseView {
  return {
    id,
    vendor: 'queuemetrics',
    client: null,
    clientId: null,
    instance: null,
    instanceId: null,
    product: 'QueueMetrics',
    key: `KEY${id.toUpperCase()}-ABCDEF-1234567890-XYZ9`,
    limits: { agents: 10, servers: 1 },
    validFrom: '2025-01-01',
    expiresAt: '2026-06-30',
    maintenanceExpiresAt: null,
    daysLeft: 100,
    status: 'active',
    origin: 'ppk',
    drift: null,
    muted: false,
    snoozedUntil: null,
    reminderStages: null,
    ...extra,
  };
}

export function dashboard(extra: Partial<Dashboard> = {}): Dashboard {
  return {
    instances: 0,
    clients: 0,
    licenses: 0,
    expiringWithin7: 0,
    expiringWithin30: 0,
    expiringWithin90: 0,
    expired: 0,
    drifted: 0,
    unknownKeys: 0,
    unreachable: 0,
    ppksInStock: 0,
    ...extra,
  };
}

export const appInfo: Result<'getAppInfo'> = { version: '0.1.0-test', dataDir: '/tmp/kf', platform: 'linux', keychainService: 'keyfleet-test', timeZone: 'UTC' };

/** What the window asks for as it opens, answered for a fleet with nothing in it yet: spread into a fakeBridge and add what the test is about. */
export const emptyFleet = {
  getDashboard: () => dashboard(),
  getAppInfo: () => appInfo,
  listLicenses: () => [],
  listInstances: () => [],
  listClients: () => [],
};
