import type { z } from 'zod';
import type { ErrorInfo } from '../errors.ts';
import type { ContractSlice, MethodKind } from './define.ts';
import type { Vendor } from '../store/schema.ts';
import { appContract } from './app.contract.ts';
import { clientsContract } from './clients.contract.ts';
import { instancesContract } from './instances.contract.ts';
import { credentialsContract } from './credentials.contract.ts';
import { sourcesContract } from './sources.contract.ts';
import { licensesContract } from './licenses.contract.ts';
import { remindersContract } from './reminders.contract.ts';
import { exportsContract } from './exports.contract.ts';
import { historyContract } from './history.contract.ts';
import { onboardingContract } from './onboarding.contract.ts';
import { reconcileContract } from './reconcile.contract.ts';
import { queueMetricsContract } from '../vendors/queuemetrics/queuemetrics.contract.ts';
import { isymphonyContract } from '../vendors/isymphony/isymphony.contract.ts';
import { qlmContract } from '../vendors/qlm/qlm.contract.ts';
import { webitelContract } from '../vendors/webitel/webitel.contract.ts';

/** The areas every installation has, one slice each (api/*.contract.ts). */
const areaSlices = {
  app: appContract,
  clients: clientsContract,
  instances: instancesContract,
  credentials: credentialsContract,
  sources: sourcesContract,
  licenses: licensesContract,
  history: historyContract,
  reconcile: reconcileContract,
  reminders: remindersContract,
  exports: exportsContract,
  onboarding: onboardingContract,
} as const;

/** One slice per vendor (vendors/<vendor>/<vendor>.contract.ts): a vendor named in vendor-names.ts without one fails the type-check. */
export const vendorSlices = {
  queuemetrics: queueMetricsContract,
  isymphony: isymphonyContract,
  qlm: qlmContract,
  webitel: webitelContract,
} as const satisfies Record<Vendor, ContractSlice>;

/**
 * The one list of what the renderer may ask of the main process, composed from one slice per
 * area and per vendor. Each method has a zod schema for its input (main validates every call
 * against it before any handler runs), a result type (the renderer is typed from it) and whether
 * it only reads. Adding a method without a handler fails the type-check and a test. The slices
 * import only zod, types and constants, never a service, so the renderer can use this file.
 */
export const contractSlices = { ...areaSlices, ...vendorSlices } as const;

type Slice = (typeof contractSlices)[keyof typeof contractSlices];
type AllOf<U> = (U extends unknown ? (slice: U) => void : never) extends (slice: infer I) => void ? I : never;
/** Every slice's methods in one object, each keeping its exact input, result and kind types. */
type Composed = { readonly [M in keyof AllOf<Slice>]: AllOf<Slice>[M] };

export const contract: Composed = Object.assign({}, ...Object.values(contractSlices));

// The enums the forms offer, defined once.
export { INSTANCE_KINDS, SOURCE_KINDS, VENDORS } from '../store/schema.ts';
export { QLM_LICENSE_MODELS, type QlmLicenseModel } from '../vendors/qlm/license-models.ts';

// Schemas the CLI validates with, as the main process does.
export { ClientInputSchema } from './clients.contract.ts';
export { InstanceInputSchema, InstancePatchSchema } from './instances.contract.ts';
export { SourceInputSchema } from './sources.contract.ts';
export { CredentialInputSchema } from './credentials.contract.ts';
export { QlmCreateInputSchema, QlmUpdateInputSchema } from '../vendors/qlm/qlm.contract.ts';

// The stored shapes and views the renderer displays, re-exported so the page imports only this file.
export type { Client, Credential, Instance, KeySource, Settings, License, Ppk } from '../store/schema.ts';
export type { KeyfleetEvent } from '../store/journal.ts';
export type { NextStep } from '../next-steps.ts';
export type { MethodKind } from './define.ts';
// Pure rules the page shows as the CLI does, so each has one copy.
export { bandLabel, webitelBand, type WebitelBand } from '../vendors/webitel/rules.ts';
export { isBareQueueMetricsAddress } from '../vendors/queuemetrics/url.ts';
export { ORIGIN_LABELS, VENDOR_LABELS } from '../store/schema.ts';
export { VENDOR_COLORS } from '../vendor-names.ts';
export type { AppInfo, DashboardSummary } from './app.contract.ts';
export type { InstanceView, CheckResult, RefreshSummary, ConnectionTestResult } from './instances.contract.ts';
export type { SourceView } from './sources.contract.ts';
export type { OnboardingView, OnboardingRunView, OnboardingUnknownView } from './onboarding.contract.ts';
export type { LicenseView, LicenseStatus } from './licenses.contract.ts';
export type { DueReminderView } from './reminders.contract.ts';
export type { ExportResult } from './exports.contract.ts';
export type { ReconcileView } from './reconcile.contract.ts';
export type { PpkView, StockGroup, ActivationResult } from '../vendors/queuemetrics/queuemetrics.contract.ts';
export type { CoreServer } from '../vendors/isymphony/isymphony.contract.ts';
export type { CapacityRow, WebitelHolder } from '../vendors/webitel/webitel.contract.ts';

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Result<M extends Method> = Contract[M]['result'];
export type Kind<M extends Method> = Contract[M]['kind'];

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

const methodsOfKind = (kind: MethodKind) => METHODS.filter((m) => contract[m].kind === kind);
/** Methods that change nothing: after any other call the window refetches what it shows. */
export const READ_METHODS: readonly Method[] = methodsOfKind('read');
/** Methods that change the store, a keychain item or a vendor server. */
export const WRITE_METHODS: readonly Method[] = methodsOfKind('write');
export function isReadMethod(method: Method): boolean {
  return contract[method].kind === 'read';
}

export const IPC_PREFIX = 'keyfleet:';
export const IPC_EVENT_CHANNEL = 'keyfleet:event';
