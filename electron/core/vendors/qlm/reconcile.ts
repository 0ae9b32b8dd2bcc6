import type { Context } from '../../context.ts';
import type { KeySource, License } from '../../store/schema.ts';
import { withSubject } from '../../errors.ts';
import { qlmClient } from './key-source.ts';
import { listedProductLabel, validateRecordedKeys } from './import.ts';
import { DEFAULT_LIST_BATCH_SIZE, LIST_METHOD, isListingDisabled, listAllLicenses, type QlmListedLicense } from './listing.ts';
import { recordedQlmKeys } from './license-record.ts';

/**
 * The QLM part of reconciliation: what a License Server holds now (qlmHoldings) and how it
 * differs from what Keyfleet records (compareQlm). The cross-vendor `reconcile` builds on these.
 */

export interface ServerLicense {
  vendor: 'qlm';
  key: string;
  product: string;
  expiresAt: string | null;
  maintenanceExpiresAt?: string | null;
  seats?: number;
  revoked: boolean;
  company?: string | null;
  email?: string | null;
  sourceId: string;
  /** The product's id and version, when the server gave them (compared instead of the label). */
  productId?: number | null;
  majorVersion?: number | null;
  minorVersion?: number | null;
}

export type ReconcileField = 'expiresAt' | 'maintenanceExpiresAt' | 'seats' | 'revoked' | 'product' | 'key';

export interface ReconcileChange {
  licenseId: string;
  key: string;
  field: ReconcileField;
  recorded: string | number | boolean | null;
  server: string | number | boolean | null;
}

export interface QlmHoldingsOptions {
  filter?: string | undefined;
  batchSize?: number | undefined;
  format?: 'xml' | 'json' | undefined;
  signal?: AbortSignal | undefined;
}

function serverLicense(source: KeySource, l: QlmListedLicense): ServerLicense {
  const out: ServerLicense = {
    vendor: 'qlm',
    key: l.activationKey,
    product: listedProductLabel(l),
    expiresAt: l.expiresAt?.date ?? null,
    maintenanceExpiresAt: l.maintenanceExpiresAt?.date ?? null,
    revoked: l.revoked,
    company: l.company,
    email: l.email,
    sourceId: source.id,
    productId: l.productId,
    majorVersion: l.majorVersion,
    minorVersion: l.minorVersion,
  };
  if (l.seats !== null) out.seats = l.seats;
  return out;
}

/**
 * Every license the server lists (GetLicensesHttp). When listing is switched off on the server,
 * the keys Keyfleet records for it are read one by one (ValidateLicenseHttp); a key the server no
 * longer knows is then simply not held. Rows the listing has but that cannot be read are logged
 * and left out (so such a license shows as "in Keyfleet only", never as a silent match).
 */
export async function qlmHoldings(ctx: Context, source: KeySource, opts: QlmHoldingsOptions = {}): Promise<ServerLicense[]> {
  const call = opts.signal ? { signal: opts.signal } : {};
  try {
    const qlm = await qlmClient(ctx, source);
    const out: ServerLicense[] = [];
    try {
      for await (const page of listAllLicenses((req) => qlm.listLicenses(req, call), { filter: opts.filter, batchSize: opts.batchSize, format: opts.format })) {
        for (const r of page.rejected) ctx.log.warn(`QLM ${source.name}: ${r.message}`);
        for (const l of page.licenses) out.push(serverLicense(source, l));
      }
      return out;
    } catch (e) {
      if (!isListingDisabled(e)) throw e;
      ctx.log.warn(`QLM ${source.name}: ${LIST_METHOD} is disabled on the License Server (enableGetLicensesHttp); reading the recorded keys one by one`);
    }
    // A key the server no longer knows is simply not held.
    const reading = validateRecordedKeys(qlm, recordedQlmKeys(ctx.store.data.licenses, source.id), { batchSize: opts.batchSize ?? DEFAULT_LIST_BATCH_SIZE, skipped: ['NOT_FOUND'], signal: opts.signal });
    for await (const batch of reading) for (const l of batch.licenses) out.push(serverLicense(source, l));
    return out;
  } catch (e) {
    throw withSubject(e, `key source ${source.name}`);
  }
}

const norm = (k: string) => k.trim().toUpperCase();

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Same product: by id and version when both sides know them, else by the label. */
function sameProduct(local: License, server: ServerLicense): boolean {
  const id = num(local.details?.['productId']);
  const major = num(local.details?.['majorVersion']);
  const minor = num(local.details?.['minorVersion']);
  if (id !== null && major !== null && minor !== null && server.productId != null && server.majorVersion != null && server.minorVersion != null) {
    return id === server.productId && major === server.majorVersion && minor === server.minorVersion;
  }
  return local.product === server.product;
}

/**
 * Four lists: the same; changed on the server (per field, recorded against server); on the
 * server only; in Keyfleet only. Licenses are paired by key (QLM keys are not case-sensitive);
 * only QLM licenses of `local` are considered. A field the server did not give is not compared.
 */
export function compareQlm(local: License[], server: ServerLicense[]): { same: number; changed: ReconcileChange[]; serverOnly: ServerLicense[]; localOnly: License[] } {
  const held = new Map<string, ServerLicense>();
  for (const s of server) held.set(norm(s.key), s);
  const paired = new Set<string>();
  const changed: ReconcileChange[] = [];
  const localOnly: License[] = [];
  let same = 0;
  for (const l of local) {
    if (l.vendor !== 'qlm') continue;
    const s = held.get(norm(l.key));
    if (!s) {
      localOnly.push(l);
      continue;
    }
    paired.add(norm(l.key));
    const diffs: ReconcileChange[] = [];
    const add = (field: ReconcileField, recorded: string | number | boolean | null, now: string | number | boolean | null) => diffs.push({ licenseId: l.id, key: l.key, field, recorded, server: now });
    if ((l.expiresAt ?? null) !== s.expiresAt) add('expiresAt', l.expiresAt ?? null, s.expiresAt);
    if (s.maintenanceExpiresAt !== undefined && (l.maintenanceExpiresAt ?? null) !== s.maintenanceExpiresAt) add('maintenanceExpiresAt', l.maintenanceExpiresAt ?? null, s.maintenanceExpiresAt);
    if (s.seats !== undefined && (l.limits.seats ?? null) !== s.seats) add('seats', l.limits.seats ?? null, s.seats);
    if ((l.status === 'revoked') !== s.revoked) add('revoked', l.status === 'revoked', s.revoked);
    if (!sameProduct(l, s)) add('product', l.product, s.product);
    if (diffs.length === 0) same++;
    else changed.push(...diffs);
  }
  const serverOnly = server.filter((s) => !paired.has(norm(s.key)));
  return { same, changed, serverOnly, localOnly };
}
