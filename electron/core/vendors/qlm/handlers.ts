import type { Context } from '../../context.ts';
import type { JobRegistry } from '../../services/jobs.ts';
import type { VendorHandlers } from '../handlers.ts';
import { licenseView } from '../../api/views.ts';
import { qlmCreate, qlmPing, qlmRenew, qlmUpdate, qlmValidate } from './service.ts';
import { qlmUpdateInput } from './update-input.ts';
import { confirmQlmMatch, importQlmLicenses } from './import.ts';

/** The QLM slice of the API: each method a thin call into this folder; the import runs as a job of the app's one registry. */
export function qlmHandlers(ctx: Context, jobs: JobRegistry): VendorHandlers<'qlm'> {
  return {
    qlmPing: ({ source }) => qlmPing(ctx, source),
    qlmCreate: async (input) => ({ licenses: (await qlmCreate(ctx, input)).map((l) => licenseView(ctx, l.id)) }),
    qlmUpdate: async (input) => ({ license: licenseView(ctx, (await qlmUpdate(ctx, qlmUpdateInput(input))).id) }),
    qlmRenew: async (input) => ({ license: licenseView(ctx, (await qlmRenew(ctx, input)).id) }),
    qlmValidate: async ({ key, source }) => {
      const { license, statusWords } = await qlmValidate(ctx, key, source);
      return { license: licenseView(ctx, license.id), statusWords };
    },
    qlmImport: ({ source, filter, batchSize, jobId }, call) =>
      jobs.run(jobId, (job) =>
        importQlmLicenses(ctx, {
          source,
          filter,
          batchSize,
          signal: job.signal,
          onProgress: (p) => call.emit('jobProgress', { jobId: job.id, done: p.done, total: p.total ?? 0, ok: p.done, failed: 0 }),
        }),
      ),
    qlmConfirmMatch: (input) => {
      const { client, alias, assigned } = confirmQlmMatch(ctx, input);
      return { client: { id: client.id, name: client.name }, alias, assigned };
    },
  };
}
