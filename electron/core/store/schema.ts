// Long by design: the store's one zod schema, every record beside the others, so the whole file format reads in one place.
import { z } from 'zod';

/**
 * The fleet store's shape. One zod schema is the source of truth: it types the code and
 * validates every file and IPC boundary, every load and every commit of the store.
 * Secrets have no field here on purpose: the store only knows "has a secret".
 */
export const SCHEMA_VERSION = 4;

const id = z.string().min(1).max(64);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected an ISO 8601 instant ending in Z');
const name = z.string().trim().min(1).max(200);
const tags = z.array(z.string().min(1).max(60)).max(50);

// Named in vendor-names.ts (no imports, for the CLI's help); the contract re-exports the labels for the page.
import { INSTANCE_KINDS, VENDORS, VENDOR_LABELS } from '../vendor-names.ts';
export { INSTANCE_KINDS, VENDORS, VENDOR_LABELS };
export const SOURCE_KINDS = ['loway-keyserver', 'qlm'] as const;
/**
 * Where a license came from. Created here: `ppk` (a PPK converted by Keyfleet), `qlm` (a key
 * Keyfleet created on a QLM License Server). Brought in: `imported` (a file: a Webitel certificate,
 * a key the user looked up on QLM), `qlm-server` (listed by a QLM License Server), `instance` (read
 * from an iSymphony or Webitel instance), `adopted` (a key a QueueMetrics instance already ran,
 * its facts from the key server or a file), `manual` (facts entered by hand).
 */
export const LICENSE_ORIGINS = ['ppk', 'qlm', 'imported', 'qlm-server', 'instance', 'adopted', 'manual'] as const;
/** How each origin is named to the user (table, detail view, exports, CLI). */
export const ORIGIN_LABELS = {
  ppk: 'Created here (PPK)',
  qlm: 'Created here (QLM)',
  imported: 'Imported from a file',
  'qlm-server': 'Imported from QLM',
  instance: 'Read from the instance',
  adopted: 'Adopted from the instance',
  manual: 'Entered by hand',
} as const satisfies Record<(typeof LICENSE_ORIGINS)[number], string>;
export const STORED_LICENSE_STATUSES = ['active', 'revoked', 'superseded'] as const;
/** refused: the key server answered S:KO for it (see Ppk.refusal); it is no longer offered from stock. */
export const PPK_STATES = ['in-stock', 'converted', 'installed', 'refused'] as const;

/** Days before expiry at which reminders fire (0: the expiry day itself); one rule for the store and the forms. */
export const ReminderStagesSchema = z.array(z.number().int().min(0).max(3650)).max(20);

export const ClientSchema = z.object({
  id,
  name,
  email: z.string().max(200).optional(),
  notes: z.string().max(10_000).optional(),
  tags,
  reminderStages: ReminderStagesSchema.optional(),
  /**
   * Company names and e-mail addresses a vendor server uses for this client (compared
   * case-insensitively), remembered once the user confirmed a match.
   */
  aliases: z.array(z.string().trim().min(1).max(200)).max(500).optional(),
  createdAt: isoInstant,
});

/** Where an instance's secret lives: its own keychain item, or a shared named credential. */
export const SecretRefSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('own') }),
  z.object({ type: z.literal('shared'), credentialId: id }),
]);

export const LastCheckSchema = z.object({
  at: isoInstant,
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  durationMs: z.number().optional(),
});

export const InstanceSchema = z.object({
  id,
  name,
  kind: z.enum(INSTANCE_KINDS),
  url: z.string().url().max(2000),
  clientId: id.optional(),
  user: z.string().max(200).optional(),
  secret: SecretRefSchema.optional(),
  /** iSymphony core server slug. */
  coreServer: z.string().max(200).optional(),
  /** Webitel: the operator's own domain id (only its users may be forced offline). */
  domainId: z.string().max(64).optional(),
  pinSha256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/).optional(),
  tags,
  group: z.string().max(100).optional(),
  notes: z.string().max(10_000).optional(),
  lastCheck: LastCheckSchema.optional(),
  /** The key Keyfleet installed last (to detect drift). */
  installedKey: z.string().max(4000).optional(),
  /** What was read from the instance last. */
  snapshot: z
    .object({
      at: isoInstant,
      key: z.string().max(4000).nullable(),
      summary: z.string().max(500).optional(),
    })
    .optional(),
  drift: z.enum(['none', 'differs', 'unknown']).optional(),
  createdAt: isoInstant,
});

export const CredentialSchema = z.object({
  id,
  name,
  user: z.string().max(200).optional(),
  createdAt: isoInstant,
});

export const KeySourceSchema = z.object({
  id,
  name,
  kind: z.enum(SOURCE_KINDS),
  url: z.string().url().max(2000),
  email: z.string().max(200).optional(),
  /** QLM: is_vendor, is_user (is_pwd lives in the keychain). */
  vendor: z.string().max(200).optional(),
  user: z.string().max(200).optional(),
  hasSecret: z.boolean().optional(),
  productDefaults: z
    .object({ productId: z.number().int(), major: z.number().int(), minor: z.number().int() })
    .optional(),
  dateFormat: z.string().max(40).optional(),
  pinSha256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/).optional(),
  lastSkewMs: z.number().optional(),
  createdAt: isoInstant,
});

export const PpkSchema = z.object({
  id,
  ppk: z.string().min(1).max(300),
  product: z.string().max(20),
  agents: z.number().int().positive(),
  servers: z.number().int().positive(),
  days: z.number().int().positive(),
  state: z.enum(PPK_STATES),
  /**
   * Converted before Keyfleet knew it (state `converted`, no `conversion` yet): never offered
   * for conversion from stock; its key is asked of the key server again only to adopt it.
   */
  convertedElsewhere: z.boolean().optional(),
  addedAt: isoInstant,
  conversion: z
    .object({
      key: z.string().max(4000),
      issuedAt: isoInstant,
      expiresAt: isoDate,
      serverTime: isoInstant,
      skewMs: z.number(),
      enduser: z.string().max(200),
      email: z.string().max(200),
      sourceId: id.optional(),
      at: isoInstant,
    })
    .optional(),
  licenseId: id.optional(),
  instanceId: id.optional(),
  /** The key server's own words when it refused to convert this PPK (state refused). */
  refusal: z
    .object({
      message: z.string().max(500),
      at: isoInstant,
      sourceId: id.optional(),
    })
    .optional(),
});

export const LicenseSchema = z.object({
  id,
  vendor: z.enum(VENDORS),
  key: z.string().max(8000),
  clientId: id.optional(),
  instanceId: id.optional(),
  sourceId: id.optional(),
  product: z.string().max(200),
  limits: z
    .object({
      agents: z.number().int().optional(),
      servers: z.number().int().optional(),
      seats: z.number().int().optional(),
      /** -1 or absent = unlimited where the vendor says so. */
      connections: z.number().int().nullable().optional(),
      users: z.number().int().nullable().optional(),
      competitive: z.boolean().optional(),
      used: z.number().int().optional(),
    })
    .default({}),
  validFrom: isoDate.optional(),
  /** null = perpetual. */
  expiresAt: isoDate.nullable(),
  maintenanceExpiresAt: isoDate.nullable().optional(),
  origin: z.enum(LICENSE_ORIGINS),
  status: z.enum(STORED_LICENSE_STATUSES),
  /** Ids of licenses this one replaced. */
  replaces: z.array(id).max(1000).default([]),
  muted: z.boolean().optional(),
  snoozedUntil: isoDate.optional(),
  reminderStages: ReminderStagesSchema.optional(),
  /** Vendor-specific facts shown on the license card (no secrets). */
  details: z.record(z.string(), z.unknown()).optional(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

export const FiredReminderSchema = z.object({
  licenseId: id,
  stage: z.number().int(),
  expiresAt: isoDate,
  firedAt: isoInstant,
});

export const SettingsSchema = z.object({
  reminderStages: ReminderStagesSchema,
  lowStockThreshold: z.number().int().min(0).max(100_000),
  /** Per stock group (product-agents/servers/days) thresholds overriding lowStockThreshold. */
  stockThresholds: z.record(z.string().max(60), z.number().int().min(0).max(100_000)),
  refreshConcurrency: z.number().int().min(1).max(256),
  perHostConcurrency: z.number().int().min(1).max(64),
  keepRunningInTray: z.boolean(),
  trayNoticeShown: z.boolean(),
  startAtLogin: z.boolean(),
  scheduledRefreshHours: z.number().int().min(0).max(24 * 7),
});

/** A request to a non-idempotent vendor call, recorded before sending (see vendors/qlm/service.ts). */
export const PendingOperationSchema = z.object({
  id,
  kind: z.string().max(60),
  summary: z.string().max(2000),
  startedAt: isoInstant,
  state: z.enum(['sent', 'answer-lost']),
});

/** Where a "Bring your fleet" run stands, so it can be left and resumed (see services/onboarding.ts). */
export const OnboardingStateSchema = z.object({
  startedAt: isoInstant,
  updatedAt: isoInstant,
  finishedAt: isoInstant.optional(),
  /** What the instances came from, to tell a resumed run from a new one. */
  input: z.object({ kind: z.enum(['urls', 'csv']), digest: z.string().max(100), lines: z.number().int().min(0) }),
  /** The instances this run added (a core-server split adds its own). */
  instanceIds: z.array(id).max(100_000),
  /** Steps finished, by name, with their counts (re-running skips them). */
  steps: z.record(z.string().max(40), z.object({ at: isoInstant, summary: z.string().max(500) })),
  /** Connections that failed in the test step: instance id -> the error. */
  failed: z.array(z.object({ instanceId: id, code: z.string().max(40), message: z.string().max(1000) })).max(100_000),
});

export const StoreDataSchema = z.object({
  schemaVersion: z.number().int(),
  clients: z.array(ClientSchema),
  instances: z.array(InstanceSchema),
  credentials: z.array(CredentialSchema),
  sources: z.array(KeySourceSchema),
  ppks: z.array(PpkSchema),
  licenses: z.array(LicenseSchema),
  fired: z.array(FiredReminderSchema),
  lowStockFired: z.array(z.object({ key: z.string(), level: z.number().int(), firedAt: isoInstant })),
  pending: z.array(PendingOperationSchema),
  settings: SettingsSchema,
  onboarding: OnboardingStateSchema.optional(),
});

export type Client = z.infer<typeof ClientSchema>;
export type Instance = z.infer<typeof InstanceSchema>;
export type InstanceKind = Instance['kind'];
export type Credential = z.infer<typeof CredentialSchema>;
export type KeySource = z.infer<typeof KeySourceSchema>;
export type Ppk = z.infer<typeof PpkSchema>;
export type License = z.infer<typeof LicenseSchema>;
export type Vendor = License['vendor'];
export type FiredReminder = z.infer<typeof FiredReminderSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type PendingOperation = z.infer<typeof PendingOperationSchema>;
export type StoreData = z.infer<typeof StoreDataSchema>;
export type OnboardingState = z.infer<typeof OnboardingStateSchema>;

export const DEFAULT_SETTINGS: Settings = {
  reminderStages: [30, 14, 7, 1, 0],
  lowStockThreshold: 2,
  stockThresholds: {},
  refreshConcurrency: 32,
  perHostConcurrency: 2,
  keepRunningInTray: false,
  trayNoticeShown: false,
  startAtLogin: false,
  scheduledRefreshHours: 0,
};

export function emptyStore(): StoreData {
  return {
    schemaVersion: SCHEMA_VERSION,
    clients: [],
    instances: [],
    credentials: [],
    sources: [],
    ppks: [],
    licenses: [],
    fired: [],
    lowStockFired: [],
    pending: [],
    settings: { ...DEFAULT_SETTINGS },
  };
}

