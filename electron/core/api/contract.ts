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

const empty = z.object({}).strict();
const ref = z.string().trim().min(1, 'is required').max(200);
const name = z.string().trim().min(1, 'is required').max(200);
const optionalText = (max: number) => z.string().max(max).optional();
const tagList = z.array(z.string().trim().min(1).max(60)).max(50);
const email = z.string().trim().email('is not an e-mail address').max(200);
const secret = z.string().min(1, 'is required').max(4096);
const fingerprint = z.string().regex(/^[0-9A-Fa-f:\s]{64,95}$/, 'is not a SHA-256 fingerprint');

export const ClientInputSchema = z.object({
  name,
  email: email.optional().or(z.literal('')),
  notes: optionalText(10_000),
  tags: tagList.optional(),
});

export const InstanceInputSchema = z.object({
  name,
  kind: z.enum(INSTANCE_KINDS),
  url: z.string().trim().min(1, 'is required').max(2000),
  client: ref.optional(),
  user: optionalText(200),
  secret: secret.optional(),
  credential: ref.optional(),
  coreServer: optionalText(200),
  pinSha256: fingerprint.optional(),
  tags: tagList.optional(),
  group: optionalText(100),
  notes: optionalText(10_000),
});

export const SourceInputSchema = z.object({
  name,
  kind: z.enum(SOURCE_KINDS),
  url: z.string().trim().min(1, 'is required').max(2000),
  email: email.optional(),
  vendor: optionalText(200),
  user: optionalText(200),
  secret: secret.optional(),
  productDefaults: z.object({ productId: z.number().int(), major: z.number().int(), minor: z.number().int() }).optional(),
  dateFormat: optionalText(40),
  pinSha256: fingerprint.optional(),
});

/** What the renderer sees of an instance: no secret, only whether one is set. */
export interface InstanceView extends Instance {
  hasSecret: boolean;
  client: string | null;
}

export type SourceView = KeySource;

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
    z.object({ ref, patch: ClientInputSchema.partial().extend({ reminderStages: z.array(z.number().int().min(0).max(3650)).max(20).nullable().optional() }) }),
  ),
  removeClient: def<{ removed: true }>()(z.object({ ref })),

  listInstances: def<InstanceView[]>()(empty),
  addInstance: def<InstanceView>()(InstanceInputSchema),
  updateInstance: def<InstanceView>()(
    z.object({
      ref,
      patch: InstanceInputSchema.omit({ kind: true }).partial().extend({ clearSecret: z.boolean().optional(), clearPin: z.boolean().optional() }),
    }),
  ),
  removeInstance: def<{ removed: true }>()(z.object({ ref })),
  listCredentials: def<Credential[]>()(empty),
  addCredential: def<Credential>()(z.object({ name, user: optionalText(200), secret })),

  listSources: def<SourceView[]>()(empty),
  addSource: def<SourceView>()(SourceInputSchema),
  removeSource: def<{ removed: true }>()(z.object({ ref })),

  listLicenses: def<LicenseView[]>()(
    z.object({
      expiringWithin: z.number().int().min(0).max(100_000).optional(),
      vendor: z.enum(VENDORS).optional(),
      clientId: z.string().max(64).optional(),
      instanceId: z.string().max(64).optional(),
      includeSuperseded: z.boolean().optional(),
    }),
  ),

  listHistory: def<{ events: KeyfleetEvent[]; warnings: string[] }>()(
    z.object({ instance: ref.optional(), action: optionalText(100), limit: z.number().int().min(1).max(100_000).optional() }),
  ),

  getSettings: def<Settings>()(empty),
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
