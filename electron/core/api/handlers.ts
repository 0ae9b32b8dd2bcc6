import type { Context } from '../context.ts';
import type { Handlers } from './dispatch.ts';
import type { Method } from './contract.ts';
import { KeyfleetError } from '../errors.ts';
import type { InstanceView, DashboardSummary } from './contract.ts';
import type { Instance } from '../store/schema.ts';
import { keychainService } from '../vault/vault.ts';
import { addClient, listClients, removeClient, updateClient } from '../services/clients.ts';
import { addCredential, addInstance, removeInstance, updateInstance } from '../services/instances.ts';
import { addSource, removeSource } from '../services/sources.ts';
import { listLicenses } from '../services/licenses.ts';
import { listHistory } from '../services/history.ts';

export function instanceView(ctx: Context, i: Instance): InstanceView {
  const client = i.clientId ? ctx.store.data.clients.find((c) => c.id === i.clientId) : undefined;
  return { ...i, hasSecret: Boolean(i.secret), client: client?.name ?? null };
}

export function dashboardSummary(ctx: Context): DashboardSummary {
  const data = ctx.store.data;
  const licenses = listLicenses(ctx);
  const within = (n: number) => licenses.filter((l) => l.daysLeft !== null && l.daysLeft >= 0 && l.daysLeft <= n && l.status !== 'revoked').length;
  return {
    instances: data.instances.length,
    clients: data.clients.length,
    licenses: licenses.length,
    expiringWithin7: within(7),
    expiringWithin30: within(30),
    expiringWithin90: within(90),
    expired: licenses.filter((l) => l.status === 'expired').length,
    drifted: data.instances.filter((i) => i.drift === 'differs' || i.drift === 'unknown').length,
    unreachable: data.instances.filter((i) => i.lastCheck && !i.lastCheck.ok).length,
    ppksInStock: data.ppks.filter((p) => p.state === 'in-stock').length,
  };
}

// Methods whose services land in the following commits answer with a clear error until then.
function pending<M extends Method>(...methods: M[]): Pick<Handlers, M> {
  const out = {} as Record<string, () => never>;
  for (const m of methods) out[m] = () => { throw new KeyfleetError('INTERNAL', `${m} is not available in this build yet`); };
  return out as unknown as Pick<Handlers, M>;
}

/** One handler per contract method, each a thin call into a service. */
export function createHandlers(ctx: Context, app: { version: string }): Handlers {
  return {
    getAppInfo: () => ({ version: app.version, dataDir: ctx.dataDir, platform: process.platform, keychainService: keychainService(), timeZone: ctx.timeZone }),
    getDashboard: () => dashboardSummary(ctx),

    listClients: () => [...listClients(ctx)],
    addClient: (input) => addClient(ctx, input),
    updateClient: ({ ref, patch }) => updateClient(ctx, ref, patch),
    removeClient: ({ ref }) => {
      removeClient(ctx, ref);
      return { removed: true as const };
    },

    listInstances: () => ctx.store.data.instances.map((i) => instanceView(ctx, i)),
    addInstance: async (input) => instanceView(ctx, await addInstance(ctx, input)),
    updateInstance: async ({ ref, patch }) => instanceView(ctx, await updateInstance(ctx, ref, patch)),
    removeInstance: async ({ ref }) => {
      await removeInstance(ctx, ref);
      return { removed: true as const };
    },
    listCredentials: () => [...ctx.store.data.credentials],
    addCredential: (input) => addCredential(ctx, input),

    listSources: () => [...ctx.store.data.sources],
    addSource: (input) => addSource(ctx, input),
    removeSource: async ({ ref }) => {
      await removeSource(ctx, ref);
      return { removed: true as const };
    },

    listLicenses: (filter) => listLicenses(ctx, filter),
    listHistory: (filter) => listHistory(ctx, filter),
    getSettings: () => ctx.store.data.settings,
    ...pending(
      'updateSettings', 'testInstance', 'checkInstance', 'refreshInstances', 'cancelJob', 'importInstancesCsv',
      'listPpks', 'ppkStock', 'addPpks', 'removePpk', 'suggestPpk', 'convertPpk', 'activatePpk', 'installStoredKey',
      'isymphonyCoreServers', 'isymphonyActivate', 'isymphonyModules', 'qlmPing', 'qlmCreate', 'qlmUpdate', 'qlmRenew', 'qlmValidate',
      'webitelImport', 'webitelUsers', 'webitelLogout', 'webitelCapacity', 'updateLicense', 'dueReminders', 'exportCalendar', 'exportLicenses', 'exportHistory',
    ),
  };
}
