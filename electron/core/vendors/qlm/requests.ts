import { KeyfleetError } from '../../errors.ts';
import type { IsoDate } from '../types.ts';
import { formatQlmDate, isRealIsoDate } from './dates.ts';
import { serializeFeatures, type QlmFeature } from './features.ts';
import { buildProductProperties, type QlmProductProperty } from './properties.ts';
import { QLM_LICENSE_MODELS, type QlmLicenseModel } from './license-models.ts';

/**
 * Checks and encodes the arguments of the QLM write methods. Everything is validated before
 * a single byte is sent; a bad field is a BAD_INPUT naming it.
 */

export { QLM_LICENSE_MODELS, type QlmBaseLicenseModel, type QlmLicenseModel } from './license-models.ts';

export type QlmExpiry = { days: number } | { date: IsoDate };

export type QlmComputerType = 'none' | 'pc' | 'vm';
const COMPUTER_TYPE_CODE: Record<QlmComputerType, string> = { none: '0', pc: '1', vm: '2' };

export interface QlmCreateRequest {
  /** is_productid */
  productId: number;
  /** is_majorversion */
  majorVersion: number;
  /** is_minorversion */
  minorVersion: number;
  /** is_expduration (days) or is_expdate (formatted with the server's dateFormat). */
  expiry: QlmExpiry;
  /** is_quantity: number of licenses (seats) to create. */
  quantity?: number;
  /** is_usemultipleactivationskey: true (the default) = one key for all seats, false = one key per seat. */
  oneKeyForAllSeats?: boolean;
  /** is_numberofactivationsperkey: only with oneKeyForAllSeats false. */
  activationsPerKey?: number;
  /** is_additionalactivations */
  additionalActivations?: number;
  /** is_features, e.g. [{ set: 0, mask: 1 }, { set: 1, mask: 2 }] → 0:1;1:2 */
  features?: QlmFeature[];
  /** is_licensemodel */
  licenseModel?: QlmLicenseModel;
  /** is_floating: floating seats = quantity. */
  floating?: boolean;
  /** is_maintenance_plan=1, with is_maintduration when days is given (server default 365). */
  maintenancePlan?: { days?: number };
  /** is_affiliateid */
  affiliateId?: string;
  /** is_computertype: none 0, pc 1, vm 2 */
  computerType?: QlmComputerType;
  /** is_qlmversion: QLM engine version. */
  qlmVersion?: string;
  /** is_userdata1 (documented for UpdateLicenseHttp; a server that does not know it on create ignores it). */
  userData1?: string;
}

export interface QlmUpdate {
  features?: QlmFeature[];
  /** is_expdate or is_expduration */
  expiry?: QlmExpiry;
  licenseModel?: QlmLicenseModel;
  productId?: number;
  majorVersion?: number;
  minorVersion?: number;
  quantity?: number;
  /** is_revoke */
  revoke?: boolean;
  affiliateId?: string;
  userData1?: string;
  qlmVersion?: string;
  /** is_pp; `{ relative: n }` values make the update non-idempotent. */
  productProperties?: QlmProductProperty[];
}

export type QlmParams = Array<[string, string]>;

function bad(message: string): never {
  throw new KeyfleetError('BAD_INPUT', message);
}

function checkKnownFields(obj: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) bad(`${what}: unknown field "${key}" (known: ${allowed.join(', ')})`);
  }
}

function wholeNumber(value: unknown, field: string, min: number): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    bad(`${field} must be a whole number ≥ ${min}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return String(value);
}

function flag(value: unknown, field: string): string {
  if (typeof value !== 'boolean') bad(`${field} must be true or false, got ${JSON.stringify(value) ?? String(value)}`);
  return value ? 'true' : 'false';
}

function text(value: unknown, field: string, max = 255): string {
  if (typeof value !== 'string' || value.trim() === '') bad(`${field} must be a non-empty text`);
  if (value.length > max) bad(`${field} is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) bad(`${field} must not contain control characters`);
  return value;
}

function licenseModel(value: unknown, field: string): string {
  if (typeof value !== 'string' || !(QLM_LICENSE_MODELS as readonly string[]).includes(value)) {
    bad(`${field} must be one of ${QLM_LICENSE_MODELS.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function expiryParams(expiry: unknown, field: string, dateFormat: string): QlmParams {
  if (typeof expiry !== 'object' || expiry === null) bad(`${field} must be { days } or { date: "YYYY-MM-DD" }`);
  const hasDays = 'days' in expiry;
  const hasDate = 'date' in expiry;
  if (hasDays === hasDate) bad(`${field} must have exactly one of days or date`);
  if (hasDays) return [['is_expduration', wholeNumber((expiry as { days: unknown }).days, `${field}.days`, 1)]];
  const date = (expiry as { date: unknown }).date;
  if (!isRealIsoDate(date)) bad(`${field}.date must be a real date YYYY-MM-DD, got ${JSON.stringify(date) ?? String(date)}`);
  return [['is_expdate', formatQlmDate(date, dateFormat)]];
}

function featuresParam(features: unknown, field: string): string {
  if (!Array.isArray(features)) bad(`${field} must be a list of { set, mask }`);
  try {
    return serializeFeatures(features as QlmFeature[]);
  } catch (e) {
    throw e instanceof KeyfleetError ? new KeyfleetError('BAD_INPUT', e.message.replace(/^features/, field)) : e;
  }
}

/** A license key as given by the user: trimmed, no spaces or control characters inside. */
export function checkActivationKey(avkey: unknown, field = 'activation key'): string {
  if (typeof avkey !== 'string' || avkey.trim() === '') bad(`${field} must be a non-empty text`);
  const key = avkey.trim();
  if (key.length > 512) bad(`${field} is longer than 512 characters`);
  if (/[\s\u0000-\u001f\u007f]/.test(key)) bad(`${field} must not contain spaces or control characters`);
  return key;
}

const CREATE_FIELDS = [
  'productId', 'majorVersion', 'minorVersion', 'expiry', 'quantity', 'oneKeyForAllSeats', 'activationsPerKey',
  'additionalActivations', 'features', 'licenseModel', 'floating', 'maintenancePlan', 'affiliateId', 'computerType',
  'qlmVersion', 'userData1',
] as const satisfies ReadonlyArray<keyof QlmCreateRequest>;

/** The is_* arguments of GetActivationKeyWithExpiryDate (without vendor and credentials). */
export function createKeysParams(req: QlmCreateRequest, dateFormat: string): QlmParams {
  if (typeof req !== 'object' || req === null) bad('create request must be an object');
  checkKnownFields(req, CREATE_FIELDS, 'create request');
  const p: QlmParams = [
    ['is_productid', wholeNumber(req.productId, 'productId', 1)],
    ['is_majorversion', wholeNumber(req.majorVersion, 'majorVersion', 0)],
    ['is_minorversion', wholeNumber(req.minorVersion, 'minorVersion', 0)],
    ...expiryParams(req.expiry, 'expiry', dateFormat),
  ];
  if (req.quantity !== undefined) p.push(['is_quantity', wholeNumber(req.quantity, 'quantity', 1)]);
  const oneKey = req.oneKeyForAllSeats ?? true;
  p.push(['is_usemultipleactivationskey', flag(oneKey, 'oneKeyForAllSeats')]);
  if (req.activationsPerKey !== undefined) {
    if (oneKey) bad('activationsPerKey only applies when oneKeyForAllSeats is false (one key per seat); remove it or set oneKeyForAllSeats to false');
    p.push(['is_numberofactivationsperkey', wholeNumber(req.activationsPerKey, 'activationsPerKey', 1)]);
  }
  if (req.additionalActivations !== undefined) p.push(['is_additionalactivations', wholeNumber(req.additionalActivations, 'additionalActivations', 0)]);
  if (req.features !== undefined) p.push(['is_features', featuresParam(req.features, 'features')]);
  if (req.licenseModel !== undefined) p.push(['is_licensemodel', licenseModel(req.licenseModel, 'licenseModel')]);
  if (req.floating !== undefined) p.push(['is_floating', flag(req.floating, 'floating')]);
  if (req.maintenancePlan !== undefined) {
    const plan: unknown = req.maintenancePlan;
    if (typeof plan !== 'object' || plan === null) bad('maintenancePlan must be an object such as { days: 365 }');
    checkKnownFields(plan, ['days'], 'maintenancePlan');
    p.push(['is_maintenance_plan', '1']);
    const days = (plan as { days?: unknown }).days;
    if (days !== undefined) p.push(['is_maintduration', wholeNumber(days, 'maintenancePlan.days', 1)]);
  }
  if (req.affiliateId !== undefined) p.push(['is_affiliateid', text(req.affiliateId, 'affiliateId')]);
  if (req.computerType !== undefined) {
    const code = COMPUTER_TYPE_CODE[req.computerType];
    if (!Object.hasOwn(COMPUTER_TYPE_CODE, req.computerType) || code === undefined) {
      bad(`computerType must be none, pc or vm, got ${JSON.stringify(req.computerType) ?? String(req.computerType)}`);
    }
    p.push(['is_computertype', code]);
  }
  if (req.qlmVersion !== undefined) p.push(['is_qlmversion', text(req.qlmVersion, 'qlmVersion', 40)]);
  if (req.userData1 !== undefined) p.push(['is_userdata1', text(req.userData1, 'userData1')]);
  return p;
}

const UPDATE_FIELDS = [
  'features', 'expiry', 'licenseModel', 'productId', 'majorVersion', 'minorVersion', 'quantity', 'revoke', 'affiliateId',
  'userData1', 'qlmVersion', 'productProperties',
] as const satisfies ReadonlyArray<keyof QlmUpdate>;

/** The is_* arguments of UpdateLicenseHttp (without the key, vendor and credentials). */
export function updateLicenseParams(changes: QlmUpdate, dateFormat: string): QlmParams {
  if (typeof changes !== 'object' || changes === null) bad('license changes must be an object');
  checkKnownFields(changes, UPDATE_FIELDS, 'license changes');
  const p: QlmParams = [];
  if (changes.features !== undefined) p.push(['is_features', featuresParam(changes.features, 'features')]);
  if (changes.expiry !== undefined) p.push(...expiryParams(changes.expiry, 'expiry', dateFormat));
  if (changes.licenseModel !== undefined) p.push(['is_licensemodel', licenseModel(changes.licenseModel, 'licenseModel')]);
  if (changes.productId !== undefined) p.push(['is_productid', wholeNumber(changes.productId, 'productId', 1)]);
  if (changes.majorVersion !== undefined) p.push(['is_majorversion', wholeNumber(changes.majorVersion, 'majorVersion', 0)]);
  if (changes.minorVersion !== undefined) p.push(['is_minorversion', wholeNumber(changes.minorVersion, 'minorVersion', 0)]);
  if (changes.quantity !== undefined) p.push(['is_quantity', wholeNumber(changes.quantity, 'quantity', 1)]);
  if (changes.revoke !== undefined) p.push(['is_revoke', flag(changes.revoke, 'revoke')]);
  if (changes.affiliateId !== undefined) p.push(['is_affiliateid', text(changes.affiliateId, 'affiliateId')]);
  if (changes.userData1 !== undefined) p.push(['is_userdata1', text(changes.userData1, 'userData1')]);
  if (changes.qlmVersion !== undefined) p.push(['is_qlmversion', text(changes.qlmVersion, 'qlmVersion', 40)]);
  if (changes.productProperties !== undefined) p.push(['is_pp', buildProductProperties(changes.productProperties, 'productProperties')]);
  if (p.length === 0) bad('license changes are empty: give at least one field to update');
  return p;
}

/** The is_* arguments of RenewSubscriptionHttp (without the key, vendor and credentials). */
export function renewSubscriptionParams(expiry: QlmExpiry, productProperties: QlmProductProperty[] | undefined, dateFormat: string): QlmParams {
  const p = expiryParams(expiry, 'expiry', dateFormat);
  if (productProperties !== undefined) p.push(['is_pp', buildProductProperties(productProperties, 'productProperties')]);
  return p;
}
