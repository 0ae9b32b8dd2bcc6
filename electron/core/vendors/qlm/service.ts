import type { Context } from '../../context.ts';
import type { KeySource, License, PendingOperation } from '../../store/schema.ts';
import { KeyfleetError, withSubject } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { findByRef, replaceById } from '../../services/lookup.ts';
import { findSource } from '../../services/sources.ts';
import { qlmClient } from './key-source.ts';
import { applyReceipt, recordReceipt, type QlmReceipt } from '../../services/key-receipts.ts';
import { addDaysToIsoDate, todayIn } from '../../domain/reminders.ts';
import type { QlmCreateRequest, QlmExpiry, QlmFeature, QlmLicenseInfo, QlmUpdate } from './client.ts';
import { serializeFeatures } from './client.ts';

export async function qlmPing(ctx: Context, sourceRef: string) {
  const source = findSource(ctx, sourceRef, 'qlm');
  try {
    const ping = await (await qlmClient(ctx, source)).ping();
    if (ping.skewMs !== null) ctx.store.update((d) => ({ ...d, sources: replaceById(d.sources, { ...source, lastSkewMs: ping.skewMs! }) }));
    return ping;
  } catch (e) {
    throw withSubject(e, `key source ${source.name}`);
  }
}

export interface QlmCreateInput {
  source?: string | undefined;
  productId?: number | undefined;
  major?: number | undefined;
  minor?: number | undefined;
  expiry: QlmExpiry;
  quantity?: number | undefined;
  oneKeyForAllSeats?: boolean | undefined;
  activationsPerKey?: number | undefined;
  additionalActivations?: number | undefined;
  features?: QlmFeature[] | undefined;
  licenseModel?: string | undefined;
  floating?: boolean | undefined;
  maintenance?: { days?: number | undefined } | undefined;
  affiliateId?: string | undefined;
  computerType?: 'none' | 'pc' | 'vm' | undefined;
  client?: string | undefined;
}

export function productLabel(productId: number, major: number, minor: number, name?: string | null): string {
  return name ? `${name} ${major}.${minor}` : `QLM product ${productId} v${major}.${minor}`;
}

function buildCreateRequest(source: KeySource, input: QlmCreateInput): QlmCreateRequest {
  const productId = input.productId ?? source.productDefaults?.productId;
  const majorVersion = input.major ?? source.productDefaults?.major;
  const minorVersion = input.minor ?? source.productDefaults?.minor;
  if (productId === undefined) throw new KeyfleetError('BAD_INPUT', `product: give --product, or set a default product on key source ${source.name}`);
  if (majorVersion === undefined || minorVersion === undefined) throw new KeyfleetError('BAD_INPUT', 'major/minor: give the product version (--major, --minor)');
  const req: QlmCreateRequest = { productId, majorVersion, minorVersion, expiry: input.expiry };
  if (input.quantity !== undefined) req.quantity = input.quantity;
  if (input.oneKeyForAllSeats !== undefined) req.oneKeyForAllSeats = input.oneKeyForAllSeats;
  if (input.activationsPerKey !== undefined) req.activationsPerKey = input.activationsPerKey;
  if (input.additionalActivations !== undefined) req.additionalActivations = input.additionalActivations;
  if (input.features) req.features = input.features;
  if (input.licenseModel) req.licenseModel = input.licenseModel as QlmCreateRequest['licenseModel'];
  if (input.floating !== undefined) req.floating = input.floating;
  if (input.maintenance) req.maintenancePlan = input.maintenance.days !== undefined ? { days: input.maintenance.days } : {};
  if (input.affiliateId) req.affiliateId = input.affiliateId;
  if (input.computerType) req.computerType = input.computerType;
  return req;
}

/**
 * Create keys on the License Server. Not idempotent: the request is recorded (store + journal)
 * before it is sent, the keys are recorded the moment they arrive, and a lost answer is
 * reported as exactly that, with the pending record, and never re-sent automatically.
 */
export async function qlmCreate(ctx: Context, input: QlmCreateInput): Promise<License[]> {
  const source = findSource(ctx, input.source, 'qlm');
  const client = input.client ? findByRef(ctx.store.data.clients, input.client, 'client') : undefined;
  const req = buildCreateRequest(source, input);
  const qlm = await qlmClient(ctx, source);
  const summary = `${productLabel(req.productId, req.majorVersion, req.minorVersion)}, ${'days' in req.expiry ? `${req.expiry.days} days` : `until ${req.expiry.date}`}, quantity ${req.quantity ?? 1}${req.features ? `, features ${serializeFeatures(req.features)}` : ''}`;
  const pending: PendingOperation = { id: newId('op'), kind: 'qlm.create', summary: `${source.name}: ${summary}`, startedAt: ctx.now().toISOString(), state: 'sent' };
  ctx.store.update((d) => ({ ...d, pending: [...d.pending, pending] }));
  ctx.journal.append({ action: 'qlm.create', target: source.name, sourceId: source.id, outcome: 'started', summary, data: { pendingId: pending.id } });
  let keys: string[];
  try {
    keys = (await qlm.createKeys(req)).keys;
  } catch (e) {
    const err = withSubject(e, `key source ${source.name}`);
    const lost = err.code === 'LOST_ANSWER';
    ctx.store.update((d) => ({
      ...d,
      pending: lost ? d.pending.map((p) => (p.id === pending.id ? { ...p, state: 'answer-lost' as const } : p)) : d.pending.filter((p) => p.id !== pending.id),
    }));
    ctx.journal.append({ action: 'qlm.create', target: source.name, sourceId: source.id, outcome: 'failed', error: { code: err.code, message: err.message }, data: { pendingId: pending.id } });
    if (lost) {
      throw new KeyfleetError('LOST_ANSWER', `${err.message}. Nothing was re-sent; the request is recorded as pending operation ${pending.id} (${pending.summary})`, {
        ...err.details,
        pendingId: pending.id,
      });
    }
    throw err;
  }
  const expiresAt = 'date' in req.expiry ? req.expiry.date : addDaysToIsoDate(todayIn(ctx.now(), ctx.timeZone), req.expiry.days);
  const receipt: QlmReceipt = {
    kind: 'qlm',
    keys,
    sourceId: source.id,
    product: productLabel(req.productId, req.majorVersion, req.minorVersion),
    expiresAt,
    clientId: client?.id,
    details: {
      productId: req.productId,
      majorVersion: req.majorVersion,
      minorVersion: req.minorVersion,
      quantity: req.quantity ?? 1,
      licenseModel: req.licenseModel ?? null,
      features: req.features ? serializeFeatures(req.features) : null,
      pendingId: pending.id,
    },
  };
  const event = recordReceipt(ctx, receipt, source.name);
  const next = ctx.store.update((d) => {
    const applied = applyReceipt(d, event.id, receipt, event.at);
    return { ...applied, pending: applied.pending.filter((p) => p.id !== pending.id) };
  });
  ctx.journal.append({ action: 'qlm.create', target: source.name, sourceId: source.id, outcome: 'ok', summary: `${keys.length} key(s): ${summary}`, data: { pendingId: pending.id } });
  const created = new Set(keys);
  return next.licenses.filter((l) => l.vendor === 'qlm' && created.has(l.key));
}

function findQlmLicense(ctx: Context, key: string): License | undefined {
  return ctx.store.data.licenses.find((l) => l.vendor === 'qlm' && l.key === key.trim());
}

function sourceForKey(ctx: Context, key: string, sourceRef: string | undefined): KeySource {
  if (sourceRef) return findSource(ctx, sourceRef, 'qlm');
  const stored = findQlmLicense(ctx, key);
  if (stored?.sourceId) {
    const s = ctx.store.data.sources.find((x) => x.id === stored.sourceId);
    if (s) return s;
  }
  return findSource(ctx, undefined, 'qlm');
}

/** Store what ValidateLicenseHttp says about a key (creating the license if Keyfleet did not know it). */
function foldInfo(ctx: Context, source: KeySource, key: string, info: QlmLicenseInfo): License {
  const now = ctx.now().toISOString();
  const existing = findQlmLicense(ctx, key);
  const revoked = info.statusWords.includes('Revoked');
  const base: License = existing ?? {
    id: newId('lic'),
    vendor: 'qlm',
    key,
    sourceId: source.id,
    product: '',
    limits: {},
    expiresAt: null,
    origin: 'qlm-server',
    status: 'active',
    replaces: [],
    createdAt: now,
    updatedAt: now,
  };
  const next: License = {
    ...base,
    product: productLabel(info.productId ?? 0, info.majorVersion ?? 0, info.minorVersion ?? 0, info.productName),
    expiresAt: info.expiresAt?.date ?? null,
    maintenanceExpiresAt: info.maintenanceRenewalDate?.date ?? null,
    limits: { ...base.limits, ...(info.numActivationsAllowed !== null ? { seats: info.numActivationsAllowed } : {}) },
    status: revoked ? 'revoked' : base.status === 'revoked' ? 'active' : base.status,
    details: {
      ...base.details,
      licenseModel: info.licenseModel,
      statusWords: info.statusWords,
      // A key created without features reads back as an empty list, which is not an error.
      features: info.features.length > 0 ? serializeFeatures(info.features) : null,
      availableLicenses: info.availableLicenses,
      floatingSeats: info.floatingSeats,
      userCompany: info.userCompany,
      validatedAt: now,
    },
    updatedAt: now,
  };
  ctx.store.update((d) => ({ ...d, licenses: existing ? replaceById(d.licenses, next) : [...d.licenses, next] }));
  return next;
}

export async function qlmValidate(ctx: Context, key: string, sourceRef?: string): Promise<{ license: License; statusWords: string[] }> {
  const source = sourceForKey(ctx, key, sourceRef);
  let info: QlmLicenseInfo;
  try {
    info = await (await qlmClient(ctx, source)).validateLicense(key.trim());
  } catch (e) {
    throw withSubject(e, `key source ${source.name}`);
  }
  const license = foldInfo(ctx, source, key.trim(), info);
  ctx.journal.append({ action: 'qlm.validate', target: source.name, sourceId: source.id, licenseId: license.id, outcome: 'ok', summary: `status ${info.statusWords.join(', ') || info.status}` });
  return { license, statusWords: info.statusWords };
}

export interface QlmUpdateInput extends QlmUpdate {
  key: string;
  source?: string | undefined;
}

/**
 * Change a license in place, then read it back (ValidateLicenseHttp) so the stored copy shows
 * what the server now holds. Revoking alone uses RevokeLicenseHttp, falling back to
 * UpdateLicenseHttp when that method is disabled on the server.
 */
export async function qlmUpdate(ctx: Context, input: QlmUpdateInput): Promise<License> {
  const key = input.key.trim();
  const source = sourceForKey(ctx, key, input.source);
  const qlm = await qlmClient(ctx, source);
  const { key: _k, source: _s, ...changes } = input;
  const fields = Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined);
  if (fields.length === 0) throw new KeyfleetError('BAD_INPUT', 'nothing to change: give an expiry, features, properties, revoke/unrevoke or another field');
  const summary = fields.join(', ');
  try {
    if (fields.length === 1 && changes.revoke !== undefined) {
      try {
        await qlm.revokeLicense(key, changes.revoke);
      } catch (e) {
        if (!(e instanceof KeyfleetError && e.code === 'DENIED')) throw e;
        await qlm.updateLicense(key, { revoke: changes.revoke });
      }
    } else {
      await qlm.updateLicense(key, changes);
    }
  } catch (e) {
    const err = withSubject(e, `key source ${source.name}`);
    ctx.journal.append({ action: 'qlm.update', target: source.name, sourceId: source.id, outcome: 'failed', summary, error: { code: err.code, message: err.message } });
    throw err;
  }
  ctx.journal.append({ action: 'qlm.update', target: source.name, sourceId: source.id, licenseId: findQlmLicense(ctx, key)?.id, outcome: 'ok', summary: `changed ${summary}` });
  return readBackAfterWrite(ctx, source, key, changes);
}

async function readBackAfterWrite(ctx: Context, source: KeySource, key: string, changes: QlmUpdate): Promise<License> {
  try {
    const info = await (await qlmClient(ctx, source)).validateLicense(key);
    return foldInfo(ctx, source, key, info);
  } catch (e) {
    // Reading back is a courtesy; when the server does not allow it, record what we changed.
    ctx.log.warn(`QLM ${source.name}: could not read ${key.slice(0, 6)}… back: ${(e as Error).message}`);
    const existing = findQlmLicense(ctx, key);
    if (!existing) throw withSubject(e, `key source ${source.name}: the change was made but the license could not be read back`);
    const now = ctx.now().toISOString();
    const next: License = { ...existing, updatedAt: now };
    if (changes.expiry && 'date' in changes.expiry) next.expiresAt = changes.expiry.date;
    if (changes.revoke !== undefined) next.status = changes.revoke ? 'revoked' : 'active';
    ctx.store.update((d) => ({ ...d, licenses: replaceById(d.licenses, next) }));
    return next;
  }
}

export async function qlmRenew(ctx: Context, input: { key: string; source?: string | undefined; expiry: QlmExpiry }): Promise<License> {
  const key = input.key.trim();
  const source = sourceForKey(ctx, key, input.source);
  try {
    await (await qlmClient(ctx, source)).renewSubscription(key, input.expiry);
  } catch (e) {
    const err = withSubject(e, `key source ${source.name}`);
    ctx.journal.append({ action: 'qlm.renew', target: source.name, sourceId: source.id, outcome: 'failed', error: { code: err.code, message: err.message } });
    throw err;
  }
  ctx.journal.append({ action: 'qlm.renew', target: source.name, sourceId: source.id, licenseId: findQlmLicense(ctx, key)?.id, outcome: 'ok', summary: 'days' in input.expiry ? `+${input.expiry.days} days` : `until ${input.expiry.date}` });
  return readBackAfterWrite(ctx, source, key, { expiry: input.expiry });
}
