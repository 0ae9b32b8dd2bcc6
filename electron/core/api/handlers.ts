import type { Context } from '../context.ts';
import type { CallContext, Handlers } from './dispatch.ts';
import type { Vendor } from '../store/schema.ts';
import { instanceCheckView, instanceView, licenseView } from './views.ts';
import { keychainService } from '../vault/vault.ts';
import { addClient, listClients, removeClient, updateClient } from '../services/clients.ts';
import { addCredential, addInstance, removeCredential, removeInstance, updateInstance } from '../services/instances.ts';
import { addSource, removeSource, updateSource } from '../services/sources.ts';
import { testInstance, testSource } from '../services/connection-test.ts';
import { listLicenses } from '../services/licenses.ts';
import { listHistory } from '../services/history.ts';
import { JobRegistry } from '../services/jobs.ts';
import { checkInstance } from '../services/instance-check.ts';
import { acceptRunningKey } from '../vendors/queuemetrics/accept-key.ts';
import { adoptByHand, adoptConvertedPpks, adoptWithPpk } from '../vendors/queuemetrics/adopt.ts';
import { releasePpkHold } from '../services/key-receipts.ts';
import { refreshInstances } from '../services/refresh.ts';
import { reconcile } from '../services/reconcile.ts';
import { importInstancesCsv } from '../services/instances-csv.ts';
import { addPpks, findPpk, ppkStock, ppkView, ppkViews, removePpk, setStockThreshold } from '../vendors/queuemetrics/ppk-stock.ts';
import { suggestPpk } from '../vendors/queuemetrics/ppk-suggestion.ts';
import { activatePpk, convertPpk, installStoredKey } from '../vendors/queuemetrics/activation.ts';
import { activateBulk } from '../vendors/queuemetrics/bulk-activation.ts';
import { isymphonyHandlers } from '../vendors/isymphony/handlers.ts';
import { qlmCreate, qlmPing, qlmRenew, qlmUpdate, qlmValidate } from '../vendors/qlm/service.ts';
import { qlmUpdateInput } from '../vendors/qlm/update-input.ts';
import { confirmQlmMatch, importQlmLicenses } from '../vendors/qlm/import.ts';
import { webitelHandlers } from '../vendors/webitel/handlers.ts';
import { evaluateReminders } from '../services/reminders.ts';
import { dashboardSummary } from '../services/dashboard.ts';
import { updateSettings } from '../services/settings.ts';
import { updateLicenseSettings } from '../services/license-settings.ts';
import { exportCalendar, exportClients, exportHistory, exportInstances, exportLicenses } from '../services/exports.ts';
import { importClientsCsv } from '../services/clients-csv.ts';
import { STEP_LABELS, onboardingStatus, runOnboarding } from '../services/onboarding.ts';
import { onboardingView } from '../services/onboarding-view.ts';

/** One handler per contract method, each a thin call into a service; a vendor's slice comes from its folder. */
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
    acceptRunningKey: async ({ ref }) => {
      const { instance } = await acceptRunningKey(ctx, ref);
      return instanceCheckView(ctx, instance.id);
    },
    adoptInstanceKey: async (input) => {
      const { license } = 'ppk' in input ? await adoptWithPpk(ctx, input) : await adoptByHand(ctx, input);
      return { license: licenseView(ctx, license.id) };
    },
    adoptConvertedPpks: async ({ instanceIds, email, source, jobId }, call) => {
      const job = jobs.start(jobId);
      try {
        return await adoptConvertedPpks(ctx, { instanceIds, email, source, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: p.done, total: p.total, ok: p.adopted, failed: 0 }) });
      } finally {
        job.done();
      }
    },
    refreshInstances: async ({ instanceIds, jobId }, call) => {
      const job = jobs.start(jobId);
      try {
        const { drift, ...result } = await refreshInstances(ctx, {
          instanceIds,
          signal: job.signal,
          onProgress: (p) => call.emit('jobProgress', { jobId: job.id, ...p }),
        });
        return { ...result, drift: drift.map((d) => ({ instance: d.instance, instanceId: d.instanceId, state: d.state, runningKeyOf: d.runningKeyOf })) };
      } finally {
        job.done();
      }
    },
    reconcile: ({ vendor, jobId }, call) => reconcileJob(ctx, jobs, { vendor, jobId, accept: false }, call),
    reconcileAccept: ({ vendor, jobId }, call) => reconcileJob(ctx, jobs, { vendor, jobId, accept: true }, call),
    cancelJob: ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    getOnboarding: () => onboardingView(onboardingStatus(ctx)),
    runOnboarding: async ({ jobId, ...input }, call) => {
      const job = jobs.start(jobId);
      try {
        const r = await runOnboarding(ctx, {
          ...input,
          signal: job.signal,
          onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: p.done, total: p.total, ok: p.done - (p.failed ?? 0), failed: p.failed ?? 0, current: p.current ?? '', message: STEP_LABELS[p.step] }),
        });
        return { ...onboardingView(r), ran: r.ran, durationMs: r.durationMs };
      } finally {
        job.done();
      }
    },
    importInstancesCsv: ({ csv, sharedSecret, validOnly, fileName }) => importInstancesCsv(ctx, csv, { sharedSecret, validOnly: validOnly ?? false, ...(fileName ? { fileName } : {}) }),

    listPpks: () => ppkViews(ctx),
    ppkStock: () => ppkStock(ctx),
    addPpks: ({ text, converted }) => addPpks(ctx, text, { converted: converted ?? false }),
    removePpk: ({ ref }) => {
      removePpk(ctx, ref);
      return { removed: true as const };
    },
    setStockThreshold: ({ group, threshold }) => {
      setStockThreshold(ctx, group, threshold);
      return ppkStock(ctx);
    },
    releasePpkHold: ({ ref }) => {
      const ppk = findPpk(ctx, ref);
      releasePpkHold(ctx, ppk);
      return ppkView(ctx, ppk);
    },
    suggestPpk: ({ instance }) => suggestPpk(ctx, instance),
    convertPpk: async (input) => {
      const { ppk, license } = await convertPpk(ctx, input);
      return { ppk: ppkView(ctx, ppk), license: licenseView(ctx, license.id) };
    },
    activatePpk: async (input, call) => {
      const job = jobs.start(input.jobId);
      try {
        const out = await activatePpk(ctx, { ...input, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: 0, total: 1, ok: 0, failed: 0, current: p.step, message: p.message }) });
        return { license: licenseView(ctx, out.license.id), installed: out.installed, verified: out.verified, ppk: ppkView(ctx, out.ppk), warnings: out.warnings };
      } finally {
        job.done();
      }
    },
    activateBulk: async ({ items, confirm, jobId }, call) => {
      const job = jobs.start(jobId);
      try {
        return await activateBulk(ctx, { items, confirm, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, ...p }) });
      } finally {
        job.done();
      }
    },
    installStoredKey: async (input, call) => {
      const job = jobs.start(input.jobId);
      try {
        const out = await installStoredKey(ctx, { ...input, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: 0, total: 1, ok: 0, failed: 0, current: p.step, message: p.message }) });
        return { license: licenseView(ctx, out.license.id), installed: out.installed, verified: out.verified, ppk: out.ppk ? ppkView(ctx, out.ppk) : null, warnings: out.warnings };
      } finally {
        job.done();
      }
    },

    ...isymphonyHandlers(ctx),

    qlmPing: ({ source }) => qlmPing(ctx, source),
    qlmCreate: async (input) => ({ licenses: (await qlmCreate(ctx, input)).map((l) => licenseView(ctx, l.id)) }),
    qlmUpdate: async (input) => ({ license: licenseView(ctx, (await qlmUpdate(ctx, qlmUpdateInput(input))).id) }),
    qlmRenew: async (input) => ({ license: licenseView(ctx, (await qlmRenew(ctx, input)).id) }),
    qlmValidate: async ({ key, source }) => {
      const { license, statusWords } = await qlmValidate(ctx, key, source);
      return { license: licenseView(ctx, license.id), statusWords };
    },

    qlmImport: async ({ source, filter, batchSize, jobId }, call) => {
      const job = jobs.start(jobId);
      try {
        return await importQlmLicenses(ctx, {
          source,
          filter,
          batchSize,
          signal: job.signal,
          onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: p.done, total: p.total ?? 0, ok: p.done, failed: 0 }),
        });
      } finally {
        job.done();
      }
    },
    qlmConfirmMatch: (input) => {
      const { client, alias, assigned } = confirmQlmMatch(ctx, input);
      return { client: { id: client.id, name: client.name }, alias, assigned };
    },

    ...webitelHandlers(ctx),

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
  const job = jobs.start(input.jobId);
  try {
    return await reconcile(ctx, { vendor: input.vendor, accept: input.accept, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, ok: p.done - p.failed, ...p }) });
  } finally {
    job.done();
  }
}
