import type { Instance, InstanceKind, License } from '../store/schema.ts';
import type { ConnectionTestResult } from '../api/contract.ts';
import type { LicenseIndex } from '../services/license-index.ts';
import type { CallOptions, VendorEndpoint } from './types.ts';
import type { Findings, RecordView } from './reconciler.ts';
import type { InstanceReading } from './registry.ts';

export type { InstanceReading, ReadingOf } from './registry.ts';

/**
 * Where a reading is folded: a copy of the instance to update (snapshot, drift) and the store's
 * licenses with their lookup tables, both about to become the next snapshot.
 */
export interface ReadingFold {
  instance: Instance;
  licenses: License[];
  index: LicenseIndex;
  /** When the reading was taken. */
  at: string;
}

/** What the user chose that a connection test reports on (iSymphony: the core server). */
export interface ConnectionHints {
  coreServer?: string | undefined;
}

/**
 * Everything core does with one kind of instance. Cross-vendor use cases (check, refresh,
 * connection test) look the driver up by `instance.kind` in `instanceDrivers` (registry.ts)
 * instead of switching on the kind; a new kind is one folder with a driver and one line there.
 */
export interface InstanceDriver<Reading extends { kind: InstanceKind } = InstanceReading, Client = unknown> {
  readonly kind: Reading['kind'];
  /** The vendor's name as people read it ("QueueMetrics"). */
  readonly label: string;
  createClient(endpoint: VendorEndpoint): Client;
  /** Read what the instance runs now (network; no store access). */
  read(client: Client, instance: Instance, opts: CallOptions): Promise<Reading>;
  /** Fold a reading into the instance and the licenses (pure; mutates only the fold's copies). */
  fold(target: ReadingFold, reading: Reading): void;
  /** Try the settings without changing anything on the instance or in the store. */
  testConnection(client: Client, hints: ConnectionHints): Promise<ConnectionTestResult>;
  /**
   * Onboarding: whether a pasted URL shows this kind of software behind it. Drivers are asked in
   * the registry's order and the first that recognizes the URL names its kind.
   */
  recognizesUrl(url: URL): boolean;
  /** Short words a pasted line may name the kind by besides the kind itself ("qm"). */
  readonly kindWords?: readonly string[];
  /** One line for the event journal (never a whole key). */
  describe(reading: Reading): string;
  /** Reconciliation: what the reading shows against what Keyfleet records for this instance. */
  compare(records: RecordView, instance: Instance, reading: Reading): Findings;
  /**
   * For kinds that report each license in full (the instance is the authority on them): the
   * fields a check takes from the instance and reconciliation compares. A check that changes
   * one of them on a recorded license journals it as changed outside Keyfleet.
   */
  readonly reportedFields?: readonly string[];
  /**
   * For kinds whose whole reading the instance record keeps (QueueMetrics: the running key in its
   * snapshot): that reading, so a comparison right after a check need not ask the instance again.
   */
  readingOfLastCheck?(instance: Instance): Reading | null;
}
