import { z } from 'zod';
import { read, write } from '../../api/define.ts';
import { email, empty, isoDateInput, jobId, name, ref } from '../../api/fields.ts';
import type { LicenseView } from '../../api/licenses.contract.ts';
import type { CheckResult } from '../../api/instances.contract.ts';

/** QueueMetrics: the PPK stock, converting and installing keys, and accepting a running key after drift. */

export interface PpkView {
  id: string;
  ppk: string;
  product: string;
  productName: string;
  agents: number;
  servers: number;
  days: number;
  durationLabel: string;
  /** refused: the key server refused to convert it (S:KO); `refusal` has its words. */
  state: 'in-stock' | 'converted' | 'installed' | 'refused';
  /** Converted before Keyfleet (added with "converted"): never offered from stock, only adopted. */
  convertedElsewhere: boolean;
  /** In stock, but a conversion for this end-user was interrupted: only they can have it. */
  heldFor: string | null;
  refusal: { message: string; at: string } | null;
  addedAt: string;
  licenseId: string | null;
  instanceId: string | null;
  instance: string | null;
  conversion: { key: string; issuedAt: string; expiresAt: string; enduser: string; email: string; at: string; skewMs: number } | null;
}

export interface StockGroup {
  key: string;
  label: string;
  product: string;
  agents: number;
  servers: number;
  days: number;
  inStock: number;
  converted: number;
  /** Converted before Keyfleet and not yet adopted on an instance: not stock, never spent. */
  convertedElsewhere: number;
  installed: number;
  refused: number;
  threshold: number;
  low: boolean;
}

export interface ActivationResult {
  license: LicenseView;
  installed: boolean;
  verified: boolean;
  ppk: PpkView | null;
  warnings: string[];
}

export interface AdoptConvertedResult {
  adopted: number;
  adoptions: Array<{ instance: string; ppk: string; licenseId: string; expiresAt: string | null }>;
  unmatchedPpks: Array<{ ppk: string; key: string | null; expiresAt: string | null; reason: string }>;
  unknownInstances: Array<{ instance: string; key: string | null }>;
  asked: number;
  durationMs: number;
}

export const queueMetricsContract = {
  listPpks: read<PpkView[]>()(empty),
  ppkStock: read<StockGroup[]>()(empty),
  /** converted: PPKs converted before Keyfleet (kept apart from the stock, only used to adopt a running key). */
  addPpks: write<{ added: number; skipped: number; marked: number; rejected: Array<{ ppk: string; reason: string }> }>()(
    z.strictObject({ text: z.string().max(5 * 1024 * 1024), converted: z.boolean().optional() }),
  ),
  removePpk: write<{ removed: true }>()(z.strictObject({ ref })),
  releasePpkHold: write<PpkView>()(z.strictObject({ ref })),
  setStockThreshold: write<StockGroup[]>()(z.strictObject({ group: z.string().trim().min(1).max(60), threshold: z.number().int().min(0).max(100_000).nullable() })),
  suggestPpk: read<{ ppk: PpkView | null; reason: string }>()(z.strictObject({ instance: ref })),
  convertPpk: write<{ license: LicenseView; ppk: PpkView }>()(z.strictObject({ ppk: ref, enduser: name, email, source: ref.optional() })),
  activatePpk: write<ActivationResult>()(
    z.strictObject({ ppk: ref.optional(), instance: ref, enduser: name.optional(), email: email.optional(), source: ref.optional(), confirm: z.boolean().optional(), jobId }),
  ),
  activateBulk: write<{
    results: Array<{ instance: string; ppk: string | null; ok: boolean; licenseId?: string; expiresAt?: string | null; verified?: boolean; error?: { code: string; message: string } }>;
    ok: number;
    failed: number;
    cancelled: boolean;
    durationMs: number;
  }>()(z.strictObject({ items: z.array(z.strictObject({ instance: ref, ppk: ref.optional() })).min(1).max(10_000), confirm: z.boolean().optional(), jobId })),
  installStoredKey: write<ActivationResult>()(z.strictObject({ license: ref, instance: ref, confirm: z.boolean().optional(), jobId })),
  acceptRunningKey: write<CheckResult>()(z.strictObject({ ref })),
  /** The key an instance already runs becomes a license: from a PPK marked converted, or from facts read on its License page. */
  adoptInstanceKey: write<{ license: LicenseView }>()(
    z.union([
      z.strictObject({ instance: ref, ppk: ref, enduser: name.optional(), email: email.optional(), source: ref.optional() }),
      z.strictObject({ instance: ref, expiresAt: isoDateInput, agents: z.number().int().min(1).max(100_000), servers: z.number().int().min(1).max(100_000) }),
    ]),
  ),
  adoptConvertedPpks: write<AdoptConvertedResult>()(z.strictObject({ instanceIds: z.array(ref).max(100_000).optional(), email: email.optional(), source: ref.optional(), jobId })),
} as const;
