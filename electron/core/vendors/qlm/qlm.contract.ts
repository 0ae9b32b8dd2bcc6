import { z } from 'zod';
import { read, write } from '../../api/define.ts';
import { email, isoDateInput, jobId, optionalText, ref } from '../../api/fields.ts';
import type { LicenseView } from '../../api/licenses.contract.ts';
import { QLM_LICENSE_MODELS } from './license-models.ts';

/** QLM License Server: creating, changing, renewing and reading keys. */

const key = z.string().trim().min(1).max(500);
const expiry = z.union([z.strictObject({ days: z.number().int().min(1).max(100_000) }), z.strictObject({ date: isoDateInput })]);
const features = z.array(z.strictObject({ set: z.number().int().min(0).max(1000), mask: z.number().int().min(0).max(2 ** 31 - 1) })).max(100);
const productProperty = z.strictObject({
  category: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(100),
  value: z.union([z.string().max(1000), z.number(), z.strictObject({ relative: z.number().int() })]),
  expires: z.string().max(30).optional(),
});
// Refined rather than an enum so callers may pass any string and get this message back.
const licenseModel = z.string().refine((v) => (QLM_LICENSE_MODELS as readonly string[]).includes(v), 'must be permanent, trial or subscription (optionally _cloud or _floating)');
const version = z.number().int().min(0);

export const QlmCreateInputSchema = z.strictObject({
  source: ref.optional(),
  productId: version.optional(),
  major: version.optional(),
  minor: version.optional(),
  expiry,
  quantity: z.number().int().min(1).max(100_000).optional(),
  oneKeyForAllSeats: z.boolean().optional(),
  activationsPerKey: z.number().int().min(1).max(100_000).optional(),
  additionalActivations: z.number().int().min(0).max(100_000).optional(),
  features: features.optional(),
  licenseModel: licenseModel.optional(),
  floating: z.boolean().optional(),
  maintenance: z.strictObject({ days: z.number().int().min(1).max(100_000).optional() }).optional(),
  affiliateId: optionalText(100),
  computerType: z.enum(['none', 'pc', 'vm']).optional(),
  client: ref.optional(),
});

export const QlmUpdateInputSchema = z.strictObject({
  key,
  source: ref.optional(),
  expiry: expiry.optional(),
  features: features.optional(),
  productProperties: z.array(productProperty).max(100).optional(),
  revoke: z.boolean().optional(),
  quantity: z.number().int().min(1).max(100_000).optional(),
  licenseModel: licenseModel.optional(),
  productId: version.optional(),
  major: version.optional(),
  minor: version.optional(),
  affiliateId: optionalText(100),
  userData1: optionalText(1000),
});

export const QlmImportInputSchema = z.strictObject({
  source: ref.optional(),
  filter: z.string().trim().min(1).max(1000).optional(),
  batchSize: z.number().int().min(1).max(10_000).optional(),
  jobId,
});

export const QlmConfirmMatchInputSchema = z
  .strictObject({ client: ref, key: key.optional(), company: z.string().trim().min(1).max(200).optional(), email: email.optional() })
  .refine((v) => [v.key, v.company, v.email].filter((x) => x !== undefined).length === 1, 'give exactly one of key, company or email');

/** What an import brought in (the service's result, as the window shows it). */
export interface QlmImportView {
  imported: number;
  updated: number;
  unchanged: number;
  matched: number;
  unmatched: Array<{ key: string; company: string | null; email: string | null; suggestedClientId?: string; suggestedClient?: string }>;
  rejected: Array<{ row: number; key: string | null; message: string }>;
  fallback?: 'validate';
  warning?: string;
  batches: number;
  durationMs: number;
}

export const qlmContract = {
  qlmPing: read<{ message: string; serverVersion: string | null; serverDate: string | null; skewMs: number | null }>()(z.strictObject({ source: ref })),
  qlmCreate: write<{ licenses: LicenseView[] }>()(QlmCreateInputSchema),
  qlmUpdate: write<{ license: LicenseView }>()(QlmUpdateInputSchema),
  qlmRenew: write<{ license: LicenseView }>()(z.strictObject({ key, source: ref.optional(), expiry })),
  // Validating reads the key's state from the server and records it in the store.
  qlmValidate: write<{ license: LicenseView; statusWords: string[] }>()(z.strictObject({ key, source: ref.optional() })),
  // Importing lists every license the server holds (GetLicensesHttp) and stores them.
  qlmImport: write<QlmImportView>()(QlmImportInputSchema),
  qlmConfirmMatch: write<{ client: { id: string; name: string }; alias: string | null; assigned: number }>()(QlmConfirmMatchInputSchema),
} as const;
