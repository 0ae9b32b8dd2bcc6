import type { Context } from '../../context.ts';
import type { JobRegistry } from '../../services/jobs.ts';
import type { VendorHandlers } from '../handlers.ts';
import { instanceCheckView, licenseView } from '../../api/views.ts';
import { releasePpkHold } from '../../services/key-receipts.ts';
import { acceptRunningKey } from './accept-key.ts';
import { adoptByHand, adoptConvertedPpks, adoptWithPpk } from './adopt.ts';
import { addPpks, findPpk, ppkStock, ppkView, ppkViews, removePpk, setStockThreshold } from './ppk-stock.ts';
import { suggestPpk } from './ppk-suggestion.ts';
import { activatePpk, convertPpk, installStoredKey } from './activation.ts';
import { activateBulk } from './bulk-activation.ts';

/**
 * The QueueMetrics slice of the API: the PPK stock, converting, activating and installing keys,
 * adopting running keys. The long calls run as jobs of the app's one registry, so `cancelJob`
 * stops them and their progress reaches the window as `jobProgress`.
 */
export function queueMetricsHandlers(ctx: Context, jobs: JobRegistry): VendorHandlers<'queuemetrics'> {
  return {
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
    activatePpk: (input, call) =>
      jobs.run(input.jobId, async (job) => {
        const out = await activatePpk(ctx, { ...input, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: 0, total: 1, ok: 0, failed: 0, current: p.step, message: p.message }) });
        return { license: licenseView(ctx, out.license.id), installed: out.installed, verified: out.verified, ppk: ppkView(ctx, out.ppk), warnings: out.warnings };
      }),
    activateBulk: ({ items, confirm, jobId }, call) =>
      jobs.run(jobId, (job) => activateBulk(ctx, { items, confirm, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, ...p }) })),
    installStoredKey: (input, call) =>
      jobs.run(input.jobId, async (job) => {
        const out = await installStoredKey(ctx, { ...input, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: 0, total: 1, ok: 0, failed: 0, current: p.step, message: p.message }) });
        return { license: licenseView(ctx, out.license.id), installed: out.installed, verified: out.verified, ppk: out.ppk ? ppkView(ctx, out.ppk) : null, warnings: out.warnings };
      }),
    acceptRunningKey: async ({ ref }) => {
      const { instance } = await acceptRunningKey(ctx, ref);
      return instanceCheckView(ctx, instance.id);
    },
    adoptInstanceKey: async (input) => {
      const { license } = 'ppk' in input ? await adoptWithPpk(ctx, input) : await adoptByHand(ctx, input);
      return { license: licenseView(ctx, license.id) };
    },
    adoptConvertedPpks: ({ instanceIds, email, source, jobId }, call) =>
      jobs.run(jobId, (job) => adoptConvertedPpks(ctx, { instanceIds, email, source, signal: job.signal, onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: p.done, total: p.total, ok: p.adopted, failed: 0 }) })),
  };
}
