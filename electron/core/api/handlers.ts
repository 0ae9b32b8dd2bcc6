import type { Context } from '../context.ts';
import type { CallContext, Handlers } from './dispatch.ts';
import type { Vendor } from '../store/schema.ts';
import { instanceCheckView, instanceView } from './views.ts';
import { keychainService } from '../vault/vault.ts';
import { addClient, listClients, removeClient, updateClient } from '../services/clients.ts';
import { addCredential, addInstance, removeCredential, removeInstance, updateInstance } from '../services/instances.ts';
import { addSource, removeSource, updateSource } from '../services/sources.ts';
import { testInstance, testSource } from '../services/connection-test.ts';
import { listLicenses } from '../services/licenses.ts';
import { listHistory } from '../services/history.ts';
import { JobRegistry } from '../services/jobs.ts';
import { checkInstance } from '../services/instance-check.ts';
import { refreshInstances } from '../services/refresh.ts';
import { reconcile } from '../services/reconcile.ts';
import { importInstancesCsv } from '../services/instances-csv.ts';
import { vendorHandlers } from '../vendors/handlers.ts';
import { evaluateReminders } from '../services/reminders.ts';
import { dashboardSummary } from '../services/dashboard.ts';
import { updateSettings } from '../services/settings.ts';
import { updateLicenseSettings } from '../services/license-settings.ts';
import { exportCalendar, exportClients, exportHistory, exportInstances, exportLicenses } from '../services/exports.ts';
import { importClientsCsv } from '../services/clients-csv.ts';
import { STEP_LABELS, onboardingStatus, runOnboarding } from '../services/onboarding.ts';
import { onboardingView } from '../services/onboarding-view.ts';

/** One handler per contract method, each a thin call into a service; each vendor's slice comes from its folder (vendors/handlers.ts). */
export function createHandlers(ctx: Context, app: { version: string }, jobs: JobRegistry = new JobRegistry()): Handlers {
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
    updateSource: (input) => updateSource(ctx, input.ref, input.patch),
    testSource: ({ ref }) => testSource(ctx, ref),
    removeCredential: async ({ ref }) => {
      await removeCredential(ctx, ref);
      return { removed: true as const };
    },
    removeSource: async ({ ref }) => {
      await removeSource(ctx, ref);
      return { removed: true as const };
    },

    listLicenses: (filter) => listLicenses(ctx, filter),
    listHistory: (filter) => listHistory(ctx, filter),
    getSettings: () => ctx.store.data.settings,
    updateSettings: (patch) => updateSettings(ctx, patch),

    testInstance: (input) => testInstance(ctx, input),
    checkInstance: async ({ ref }) => {
      const { instance, error } = await checkInstance(ctx, ref);
      if (error) throw error;
      return instanceCheckView(ctx, instance.id);
    },
    refreshInstances: ({ instanceIds, jobId }, call) =>
      jobs.run(jobId, async (job) => {
        const { drift, ...result } = await refreshInstances(ctx, {
          instanceIds,
          signal: job.signal,
          onProgress: (p) => call.emit('jobProgress', { jobId: job.id, ...p }),
        });
        return { ...result, drift: drift.map((d) => ({ instance: d.instance, instanceId: d.instanceId, state: d.state, runningKeyOf: d.runningKeyOf })) };
      }),
    reconcile: ({ vendor, jobId }, call) => reconcileJob(ctx, jobs, { vendor, jobId, accept: false }, call),
    reconcileAccept: ({ vendor, jobId }, call) => reconcileJob(ctx, jobs, { vendor, jobId, accept: true }, call),
    cancelJob: ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    getOnboarding: () => onboardingView(onboardingStatus(ctx)),
    runOnboarding: ({ jobId, ...input }, call) =>
      jobs.run(jobId, async (job) => {
        const r = await runOnboarding(ctx, {
          ...input,
          signal: job.signal,
          onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: p.done, total: p.total, ok: p.done - (p.failed ?? 0), failed: p.failed ?? 0, current: p.current ?? '', message: STEP_LABELS[p.step] }),
        });
        return { ...onboardingView(r), ran: r.ran, durationMs: r.durationMs };
      }),
    importInstancesCsv: ({ csv, sharedSecret, validOnly, fileName }) => importInstancesCsv(ctx, csv, { sharedSecret, validOnly: validOnly ?? false, ...(fileName ? { fileName } : {}) }),

    ...vendorHandlers(ctx, jobs),

    updateLicense: (input) => updateLicenseSettings(ctx, input),
    dueReminders: ({ dryRun }) =>
      evaluateReminders(ctx, { dryRun: dryRun ?? true })
        .filter((n) => n.kind === 'expiry')
        .map((n) => ({ licenseId: n.target, stage: n.stage!, daysLeft: n.daysLeft!, expiresAt: n.expiresAt!, title: n.title, body: n.body })),
    exportCalendar: () => exportCalendar(ctx),
    exportClients: ({ format }) => exportClients(ctx, format),
    exportInstances: ({ format }) => exportInstances(ctx, format),
    importClientsCsv: ({ csv, validOnly, fileName }) => importClientsCsv(ctx, csv, { validOnly: validOnly ?? false, ...(fileName ? { fileName } : {}) }),
    exportLicenses: ({ format, ids }) => exportLicenses(ctx, format, ids),
    exportHistory: ({ format, instance }) => exportHistory(ctx, format, instance),
  };
}

/** Reconciliation as a cancellable job reporting progress after each server read. */
async function reconcileJob(
  ctx: Context,
  jobs: JobRegistry,
  input: { vendor?: Vendor | undefined; jobId?: string | undefined; accept: boolean },
  call: CallContext,
) {
  return jobs.run(input.jobId, (job) =>
    reconcile(ctx, { vendor: input.vendor, accept: input.accept, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, ok: p.done - p.failed, ...p }) }),
  );
}
