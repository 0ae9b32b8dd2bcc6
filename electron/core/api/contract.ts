import { z } from 'zod';
import type { Client, Credential, Instance, KeySource, Settings } from '../store/schema.ts';
import { INSTANCE_KINDS, SOURCE_KINDS, VENDORS } from '../store/schema.ts';
import type { LicenseView } from '../services/licenses.ts';
import type { KeyfleetEvent } from '../store/journal.ts';
import type { ErrorInfo } from '../errors.ts';

/**
 * The one list of what the renderer may ask of the main process. Each method has a zod schema
 * for its input (main validates every call against it before any handler runs) and a result
 * type (the renderer is typed from it). Adding a method here without a handler fails the
 * type-check and a test. This file imports only zod and types, so the renderer can use it.
 */
const def =
  <R>() =>
  <I extends z.ZodType>(input: I) => ({ input, result: undefined as unknown as R });

const empty = z.strictObject({}).strict();
const ref = z.string().trim().min(1, 'is required').max(200);
const name = z.string().trim().min(1, 'is required').max(200);
const optionalText = (max: number) => z.string().max(max).optional();
const tagList = z.array(z.string().trim().min(1).max(60)).max(50);
const email = z.string().trim().email('is not an e-mail address').max(200);
const secret = z.string().min(1, 'is required').max(4096);
const fingerprint = z.string().regex(/^[0-9A-Fa-f:\s]{64,95}$/, 'is not a SHA-256 fingerprint');
const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a job id').optional();
const isoDateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const stages = z.array(z.number().int().min(0).max(3650)).max(20);
const features = z.array(z.strictObject({ set: z.number().int().min(0).max(1000), mask: z.number().int().min(0).max(2 ** 31 - 1) })).max(100);
const productProperty = z.strictObject({
  category: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(100),
  value: z.union([z.string().max(1000), z.number(), z.strictObject({ relative: z.number().int() })]),
  expires: z.string().max(30).optional(),
});
const expiry = z.union([z.strictObject({ days: z.number().int().min(1).max(100_000) }), z.strictObject({ date: isoDateInput })]);

export const ClientInputSchema = z.strictObject({
  name,
  email: email.optional().or(z.literal('')),
  notes: optionalText(10_000),
  tags: tagList.optional(),
});

export const InstanceInputSchema = z.strictObject({
  name,
  kind: z.enum(INSTANCE_KINDS),
  url: z.string().trim().min(1, 'is required').max(2000),
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

export const SourceInputSchema = z.strictObject({
  name,
  kind: z.enum(SOURCE_KINDS),
  url: z.string().trim().min(1, 'is required').max(2000),
  email: email.optional(),
  vendor: optionalText(200),
  user: optionalText(200),
  secret: secret.optional(),
  productDefaults: z.strictObject({ productId: z.number().int(), major: z.number().int(), minor: z.number().int() }).optional(),
  dateFormat: optionalText(40),
  pinSha256: fingerprint.optional(),
});

// The stored shapes the renderer displays, re-exported so the page imports only this file.
export type { Client, Credential, Instance, KeySource, Settings, License, Ppk } from '../store/schema.ts';
export type { LicenseView, LicenseStatus } from '../services/licenses.ts';
export type { KeyfleetEvent } from '../store/journal.ts';
export type { NextStep } from '../next-steps.ts';
// Pure rules the page shows as the CLI does, so each has one copy.
export { bandLabel, webitelBand, type WebitelBand } from '../vendors/webitel/rules.ts';
export { isBareQueueMetricsAddress } from '../vendors/queuemetrics/url.ts';

/** What the renderer sees of an instance: no secret, only whether one is set. */
export interface InstanceView extends Instance {
  hasSecret: boolean;
  client: string | null;
}

export type SourceView = KeySource;

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

export interface DueReminderView {
  licenseId: string;
  stage: number;
  daysLeft: number;
  expiresAt: string;
  title: string;
  body: string;
}

export interface CapacityRow {
  product: string;
  capacity: number;
  licenses: number;
  counted: number;
  rule: 'sum' | 'largest';
  warnings: string[];
}

export interface WebitelHolder {
  id: string;
  name: string;
  domain: string;
  domainId: string | null;
  sessions: number;
  canLogout: boolean;
  reason: string | null;
}

export interface ExportResult {
  fileName: string;
  mimeType: string;
  content: string;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  platform: string;
  keychainService: string;
  timeZone: string;
}

export interface DashboardSummary {
  instances: number;
  clients: number;
  licenses: number;
  expiringWithin7: number;
  expiringWithin30: number;
  expiringWithin90: number;
  expired: number;
  drifted: number;
  unreachable: number;
  ppksInStock: number;
}

export const contract = {
  getAppInfo: def<AppInfo>()(empty),
  getDashboard: def<DashboardSummary>()(empty),

  listClients: def<Client[]>()(empty),
  addClient: def<Client>()(ClientInputSchema),
  updateClient: def<Client>()(
    z.strictObject({ ref, patch: ClientInputSchema.partial().extend({ reminderStages: z.array(z.number().int().min(0).max(3650)).max(20).nullable().optional() }) }),
  ),
  removeClient: def<{ removed: true }>()(z.strictObject({ ref })),

  listInstances: def<InstanceView[]>()(empty),
  addInstance: def<InstanceView>()(InstanceInputSchema),
  updateInstance: def<InstanceView>()(
    z.strictObject({
      ref,
      patch: InstanceInputSchema.omit({ kind: true })
        .partial()
        // null detaches the instance from its client.
        .extend({ client: ref.nullable().optional(), clearSecret: z.boolean().optional(), clearPin: z.boolean().optional() }),
    }),
  ),
  removeInstance: def<{ removed: true }>()(z.strictObject({ ref })),
  listCredentials: def<Credential[]>()(empty),
  addCredential: def<Credential>()(z.strictObject({ name, user: optionalText(200), secret })),
  removeCredential: def<{ removed: true }>()(z.strictObject({ ref })),

  listSources: def<SourceView[]>()(empty),
  addSource: def<SourceView>()(SourceInputSchema),
  updateSource: def<SourceView>()(
    z.strictObject({
      ref,
      // An empty e-mail or fingerprint clears it.
      patch: SourceInputSchema.omit({ kind: true }).partial().extend({ email: email.or(z.literal('')).optional(), pinSha256: fingerprint.or(z.literal('')).optional() }),
    }),
  ),
  removeSource: def<{ removed: true }>()(z.strictObject({ ref })),
  testSource: def<{ ok: true; summary: string; skewMs: number | null }>()(z.strictObject({ ref })),

  listLicenses: def<LicenseView[]>()(
    z.strictObject({
      expiringWithin: z.number().int().min(0).max(100_000).optional(),
      vendor: z.enum(VENDORS).optional(),
      clientId: z.string().max(64).optional(),
      instanceId: z.string().max(64).optional(),
      includeSuperseded: z.boolean().optional(),
    }),
  ),

  listHistory: def<{ events: KeyfleetEvent[]; warnings: string[] }>()(
    z.strictObject({ instance: ref.optional(), action: optionalText(100), limit: z.number().int().min(1).max(100_000).optional() }),
  ),

  getSettings: def<Settings>()(empty),
  updateSettings: def<Settings>()(
    z.strictObject({
      reminderStages: stages.optional(),
      lowStockThreshold: z.number().int().min(0).max(100_000).optional(),
      refreshConcurrency: z.number().int().min(1).max(256).optional(),
      perHostConcurrency: z.number().int().min(1).max(64).optional(),
      keepRunningInTray: z.boolean().optional(),
      startAtLogin: z.boolean().optional(),
      scheduledRefreshHours: z.number().int().min(0).max(168).optional(),
    }),
  ),

  // Instances: connection test before saving, reading the license now, bulk refresh.
  testInstance: def<ConnectionTestResult>()(
    z.strictObject({ ref: ref.optional(), draft: InstanceInputSchema.partial().optional() }),
  ),
  checkInstance: def<CheckResult>()(z.strictObject({ ref })),
  acceptRunningKey: def<CheckResult>()(z.strictObject({ ref })),
  refreshInstances: def<RefreshSummary>()(z.strictObject({ instanceIds: z.array(z.string().max(64)).max(100_000).optional(), jobId })),
  cancelJob: def<{ cancelled: boolean }>()(z.strictObject({ jobId: z.string().min(1).max(64) })),
  importInstancesCsv: def<{ imported: number; clientsCreated: number; credential: string | null; errors: Array<{ line: number; message: string }> }>()(
    z.strictObject({ csv: z.string().max(50 * 1024 * 1024), sharedSecret: secret.optional(), validOnly: z.boolean().optional(), fileName: optionalText(300) }),
  ),

  // QueueMetrics and the PPK stock.
  listPpks: def<PpkView[]>()(empty),
  ppkStock: def<StockGroup[]>()(empty),
  addPpks: def<{ added: number; skipped: number; rejected: Array<{ ppk: string; reason: string }> }>()(z.strictObject({ text: z.string().max(5 * 1024 * 1024) })),
  removePpk: def<{ removed: true }>()(z.strictObject({ ref })),
  releasePpkHold: def<PpkView>()(z.strictObject({ ref })),
  setStockThreshold: def<StockGroup[]>()(z.strictObject({ group: z.string().trim().min(1).max(60), threshold: z.number().int().min(0).max(100_000).nullable() })),
  suggestPpk: def<{ ppk: PpkView | null; reason: string }>()(z.strictObject({ instance: ref })),
  convertPpk: def<{ license: LicenseView; ppk: PpkView }>()(z.strictObject({ ppk: ref, enduser: name, email, source: ref.optional() })),
  activatePpk: def<ActivationResult>()(
    z.strictObject({ ppk: ref.optional(), instance: ref, enduser: name.optional(), email: email.optional(), source: ref.optional(), confirm: z.boolean().optional(), jobId }),
  ),
  activateBulk: def<{
    results: Array<{ instance: string; ppk: string | null; ok: boolean; licenseId?: string; expiresAt?: string | null; verified?: boolean; error?: { code: string; message: string } }>;
    ok: number;
    failed: number;
    cancelled: boolean;
    durationMs: number;
  }>()(z.strictObject({ items: z.array(z.strictObject({ instance: ref, ppk: ref.optional() })).min(1).max(10_000), confirm: z.boolean().optional(), jobId })),
  installStoredKey: def<ActivationResult>()(z.strictObject({ license: ref, instance: ref, confirm: z.boolean().optional(), jobId })),

  // iSymphony.
  isymphonyCoreServers: def<Array<{ id: string; slug: string; name: string }>>()(z.strictObject({ ref })),
  isymphonyActivate: def<{ license: LicenseView; outcome: 'activated' | 'bound' | 'bind-cancelled' }>()(
    z.strictObject({ instance: ref, serial: z.string().trim().min(1).max(500), licensedTo: name.optional(), email: email.optional(), cancelBind: z.boolean().optional() }),
  ),
  isymphonyModules: def<Array<{ id: string; moduleId: string; properties: Record<string, unknown> }>>()(z.strictObject({ instance: ref })),

  // QLM License Server.
  qlmPing: def<{ message: string; serverVersion: string | null; serverDate: string | null; skewMs: number | null }>()(z.strictObject({ source: ref })),
  qlmCreate: def<{ licenses: LicenseView[] }>()(
    z.strictObject({
      source: ref.optional(),
      productId: z.number().int().min(0).optional(),
      major: z.number().int().min(0).optional(),
      minor: z.number().int().min(0).optional(),
      expiry,
      quantity: z.number().int().min(1).max(100_000).optional(),
      oneKeyForAllSeats: z.boolean().optional(),
      activationsPerKey: z.number().int().min(1).max(100_000).optional(),
      additionalActivations: z.number().int().min(0).max(100_000).optional(),
      features: features.optional(),
      licenseModel: z.string().regex(/^(permanent|trial|subscription)(_cloud|_floating)?$/, 'must be permanent, trial or subscription (optionally _cloud or _floating)').optional(),
      floating: z.boolean().optional(),
      maintenance: z.strictObject({ days: z.number().int().min(1).max(100_000).optional() }).optional(),
      affiliateId: optionalText(100),
      computerType: z.enum(['none', 'pc', 'vm']).optional(),
      client: ref.optional(),
    }),
  ),
  qlmUpdate: def<{ license: LicenseView }>()(
    z.strictObject({
      key: z.string().trim().min(1).max(500),
      source: ref.optional(),
      expiry: expiry.optional(),
      features: features.optional(),
      productProperties: z.array(productProperty).max(100).optional(),
      revoke: z.boolean().optional(),
      quantity: z.number().int().min(1).max(100_000).optional(),
      licenseModel: z.string().regex(/^(permanent|trial|subscription)(_cloud|_floating)?$/).optional(),
      productId: z.number().int().min(0).optional(),
      major: z.number().int().min(0).optional(),
      minor: z.number().int().min(0).optional(),
      affiliateId: optionalText(100),
      userData1: optionalText(1000),
    }),
  ),
  qlmRenew: def<{ license: LicenseView }>()(z.strictObject({ key: z.string().trim().min(1).max(500), source: ref.optional(), expiry })),
  qlmValidate: def<{ license: LicenseView; statusWords: string[] }>()(z.strictObject({ key: z.string().trim().min(1).max(500), source: ref.optional() })),

  // Webitel.
  webitelImport: def<{ licenses: LicenseView[] }>()(z.strictObject({ instance: ref, certificate: z.string().min(1, 'is required').max(64 * 1024) })),
  webitelUsers: def<WebitelHolder[]>()(z.strictObject({ instance: ref, licenseId: z.string().trim().min(1).max(200), q: optionalText(200) })),
  webitelLogout: def<{ loggedOut: true }>()(z.strictObject({ instance: ref, licenseId: z.string().trim().min(1).max(200), userId: z.string().trim().min(1).max(64) })),
  webitelCapacity: def<CapacityRow[]>()(z.strictObject({ instance: ref })),

  // Licenses, reminders and exports.
  updateLicense: def<LicenseView>()(
    z.strictObject({ id: z.string().min(1).max(64), muted: z.boolean().optional(), snoozeDays: z.number().int().min(0).max(3650).optional(), reminderStages: stages.nullable().optional(), client: ref.nullable().optional() }),
  ),
  dueReminders: def<DueReminderView[]>()(z.strictObject({ dryRun: z.boolean().optional() })),
  exportCalendar: def<ExportResult>()(empty),
  exportClients: def<ExportResult>()(z.strictObject({ format: z.enum(['csv', 'json']) })),
  exportInstances: def<ExportResult>()(z.strictObject({ format: z.enum(['csv', 'json']) })),
  importClientsCsv: def<{ imported: number; errors: Array<{ line: number; message: string }> }>()(
    z.strictObject({ csv: z.string().max(50 * 1024 * 1024), validOnly: z.boolean().optional(), fileName: optionalText(300) }),
  ),
  exportLicenses: def<ExportResult>()(z.strictObject({ format: z.enum(['csv', 'json']), ids: z.array(z.string().max(64)).max(100_000).optional() })),
  exportHistory: def<ExportResult>()(z.strictObject({ format: z.enum(['csv', 'json']), instance: ref.optional() })),
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Result<M extends Method> = Contract[M]['result'];

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Pushed from main to the renderer. */
export interface PushEvents {
  jobProgress: { jobId: string; done: number; total: number; ok: number; failed: number; current?: string; message?: string };
  jobDone: { jobId: string; cancelled: boolean; result: unknown };
  storeChanged: { at: string };
  openLicense: { licenseId: string };
}
export type PushEventName = keyof PushEvents;
export const PUSH_EVENT_NAMES: readonly PushEventName[] = ['jobProgress', 'jobDone', 'storeChanged', 'openLicense'];

/** The object preload exposes as window.keyfleet. */
export type KeyfleetBridge = {
  [M in Method]: (input: Input<M>) => Promise<Envelope<Result<M>>>;
} & {
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
};

export const METHODS = Object.keys(contract) as Method[];
export const IPC_PREFIX = 'keyfleet:';
export const IPC_EVENT_CHANNEL = 'keyfleet:event';
