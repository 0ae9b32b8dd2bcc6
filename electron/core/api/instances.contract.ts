import { z } from 'zod';
import type { Instance } from '../store/schema.ts';
import { INSTANCE_KINDS } from '../store/schema.ts';
import type { LicenseView } from './licenses.contract.ts';
import { read, write } from './define.ts';
import { csvText, empty, fingerprint, jobId, name, optionalText, ref, secret, serverUrl, tagList } from './fields.ts';

/** Instances: adding and changing them, testing a connection, reading licenses now, bulk refresh. */

/** What the renderer sees of an instance: no secret, only whether one is set. */
export interface InstanceView extends Instance {
  hasSecret: boolean;
  client: string | null;
}

export interface CheckResult {
  instance: InstanceView;
  license: LicenseView | null;
  licenses: LicenseView[];
  drift: 'none' | 'differs' | 'unknown';
}

export interface RefreshSummary {
  checked: number;
  ok: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
  failures: Array<{ instance: string; error: { code: string; message: string } }>;
  /** Instances read running a key other than the one recorded for them. */
  drift: Array<{ instance: string; instanceId: string; state: 'differs' | 'unknown-key'; runningKeyOf: string | null }>;
}

export interface ConnectionTestResult {
  ok: true;
  summary: string;
  certSha256: string | null;
  coreServers?: Array<{ id: string; slug: string; name: string }>;
}

export const InstanceInputSchema = z.strictObject({
  name,
  kind: z.enum(INSTANCE_KINDS),
  url: serverUrl,
  client: ref.optional(),
  user: optionalText(200),
  secret: secret.optional(),
  credential: ref.optional(),
  coreServer: optionalText(200),
  domainId: optionalText(64),
  pinSha256: fingerprint.optional(),
  tags: tagList.optional(),
  group: optionalText(100),
  notes: optionalText(10_000),
});

export const InstancePatchSchema = InstanceInputSchema.omit({ kind: true })
  .partial()
  // null detaches the instance from its client.
  .extend({ client: ref.nullable().optional(), clearSecret: z.boolean().optional(), clearPin: z.boolean().optional() });

export const instancesContract = {
  listInstances: read<InstanceView[]>()(empty),
  addInstance: write<InstanceView>()(InstanceInputSchema),
  updateInstance: write<InstanceView>()(z.strictObject({ ref, patch: InstancePatchSchema })),
  removeInstance: write<{ removed: true }>()(z.strictObject({ ref })),
  testInstance: read<ConnectionTestResult>()(z.strictObject({ ref: ref.optional(), draft: InstanceInputSchema.partial().optional() })),
  checkInstance: write<CheckResult>()(z.strictObject({ ref })),
  refreshInstances: write<RefreshSummary>()(z.strictObject({ instanceIds: z.array(z.string().max(64)).max(100_000).optional(), jobId })),
  importInstancesCsv: write<{ imported: number; clientsCreated: number; credential: string | null; errors: Array<{ line: number; message: string }> }>()(
    z.strictObject({ csv: csvText, sharedSecret: secret.optional(), validOnly: z.boolean().optional(), fileName: optionalText(300) }),
  ),
} as const;
