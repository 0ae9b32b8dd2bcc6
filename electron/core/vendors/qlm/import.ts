// Long by design: one import (the listing or the per-key fallback, client matching, batches folded all or nothing) whose steps share the batch and its outcome.
import type { Context } from '../../context.ts';
import type { Client, KeySource, License, StoreData } from '../../store/schema.ts';
import { KeyfleetError, withSubject } from '../../errors.ts';
import { findByRef, replaceById } from '../../services/lookup.ts';
import { findSource } from '../../services/sources.ts';
import type { QlmClient, QlmLicenseInfo } from './client.ts';
import { qlmClient } from './key-source.ts';
import { DEFAULT_LIST_BATCH_SIZE, LIST_METHOD, isListingDisabled, listAllLicenses, type QlmListedLicense, type QlmRejectedRow } from './listing.ts';
import { productLabel } from './service.ts';
import { newServerLicense, recordedQlmKeys } from './license-record.ts';

/**
 * Bringing in what a QLM License Server holds: every license it lists (GetLicensesHttp), or,
 * when listing is switched off on the server, every key Keyfleet already records for it read
 * one by one (ValidateLicenseHttp). Written in batches, each batch one store commit and one
 * journal event, so a crash leaves whole batches and a rerun finishes the job.
 */

export interface QlmUnmatched {
  key: string;
  company: string | null;
  email: string | null;
  /** A client whose name contains the company or the other way round: suggested, never applied. */
  suggestedClientId?: string;
  suggestedClient?: string;
}

export interface QlmImportResult {
  imported: number;
  updated: number;
  /** Listed again with nothing new. */
  unchanged: number;
  matched: number;
  unmatched: QlmUnmatched[];
  /** Rows that could not be read (no key, a malformed date…): not imported. */
  rejected: QlmRejectedRow[];
  /** Set when listing is off on the server and the recorded keys were read one by one. */
  fallback?: 'validate';
  /** Why the fallback was needed, and what to turn on. */
  warning?: string;
  batches: number;
  durationMs: number;
}

export interface QlmImportOptions {
  source?: string | undefined;
  filter?: string | undefined;
  batchSize?: number | undefined;
  format?: 'xml' | 'json' | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: { done: number; total: number | null }) => void) | undefined;
}

/** The product as Keyfleet names it, from whatever the server gave. */
export function listedProductLabel(l: Pick<QlmListedLicense, 'productId' | 'productName' | 'majorVersion' | 'minorVersion'>): string {
  if (l.productId !== null && l.majorVersion !== null && l.minorVersion !== null) return productLabel(l.productId, l.majorVersion, l.minorVersion, l.productName);
  return l.productName ?? (l.productId !== null ? `QLM product ${l.productId}` : 'QLM product');
}

/** What ValidateLicenseHttp says about a key, in the listing's terms. */
export function listedFromInfo(key: string, info: QlmLicenseInfo, row: number): QlmListedLicense {
  return {
    row,
    activationKey: key,
    productId: info.productId,
    productName: info.productName,
    majorVersion: info.majorVersion,
    minorVersion: info.minorVersion,
    licenseModel: info.licenseModel,
    expiresAt: info.expiresAt,
    maintenanceExpiresAt: info.maintenanceRenewalDate,
    seats: info.numActivationsAllowed,
    revoked: info.statusWords.includes('Revoked'),
    company: info.userCompany,
    email: info.userEmail,
    fullName: null,
    features: info.features.length > 0 ? info.features.map((f) => `${f.set}:${f.mask}`).join(';') : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Client matching

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

export interface ClientIndex {
  byCompany: Map<string, string | null>;
  byEmail: Map<string, string | null>;
  clients: readonly Client[];
}

/** Names and e-mails (with remembered aliases) to client ids; a name two clients share matches neither. */
export function clientIndex(clients: readonly Client[]): ClientIndex {
  const byCompany = new Map<string, string | null>();
  const byEmail = new Map<string, string | null>();
  const put = (map: Map<string, string | null>, k: string, id: string) => {
    if (!k) return;
    const had = map.get(k);
    map.set(k, had === undefined || had === id ? id : null);
  };
  for (const c of clients) {
    put(byCompany, norm(c.name), c.id);
    if (c.email) put(byEmail, norm(c.email), c.id);
    for (const a of c.aliases ?? []) put(a.includes('@') ? byEmail : byCompany, norm(a), c.id);
  }
  return { byCompany, byEmail, clients };
}

export function matchClient(index: ClientIndex, company: string | null, email: string | null): string | null {
  return (company ? index.byCompany.get(norm(company)) : null) ?? (email ? index.byEmail.get(norm(email)) : null) ?? null;
}

/** A client whose name contains the company or is contained in it (3+ letters), the closest in length. */
export function suggestClient(index: ClientIndex, company: string | null): Client | undefined {
  const c = norm(company);
  if (c.length < 3) return undefined;
  const candidates = index.clients.filter((cl) => {
    const n = norm(cl.name);
    return n.length >= 3 && (n.includes(c) || c.includes(n));
  });
  return candidates.sort((a, b) => Math.abs(a.name.length - c.length) - Math.abs(b.name.length - c.length))[0];
}

// ---------------------------------------------------------------------------------------------
// Folding a batch into the store

interface BatchOutcome {
  imported: number;
  updated: number;
  unchanged: number;
  matched: number;
  unmatched: QlmUnmatched[];
}

function sameRecord(a: License, b: License): boolean {
  const { updatedAt: _a, ...ra } = a;
  const { updatedAt: _b, ...rb } = b;
  return JSON.stringify(ra) === JSON.stringify(rb);
}

/** The next snapshot with one batch of listed licenses stored: pure, so the commit is all or nothing. */
export function foldListedBatch(data: StoreData, source: KeySource, batch: readonly QlmListedLicense[], index: ClientIndex, now: string): { data: StoreData; outcome: BatchOutcome } {
  const outcome: BatchOutcome = { imported: 0, updated: 0, unchanged: 0, matched: 0, unmatched: [] };
  const position = new Map<string, number>();
  data.licenses.forEach((l, i) => {
    if (l.vendor === 'qlm') position.set(l.key, i);
  });
  const licenses = data.licenses.slice();
  let changed = false;
  for (const listed of batch) {
    const at = position.get(listed.activationKey);
    const existing = at === undefined ? undefined : licenses[at];
    const base: License = existing ?? newServerLicense(listed.activationKey, source.id, now);
    const clientId = base.clientId ?? matchClient(index, listed.company, listed.email) ?? undefined;
    const limits = { ...base.limits };
    if (listed.seats !== null) limits.seats = listed.seats;
    const next: License = {
      ...base,
      sourceId: base.sourceId ?? source.id,
      product: listedProductLabel(listed),
      expiresAt: listed.expiresAt?.date ?? null,
      maintenanceExpiresAt: listed.maintenanceExpiresAt?.date ?? null,
      limits,
      status: listed.revoked ? 'revoked' : base.status === 'revoked' ? 'active' : base.status,
      details: {
        ...base.details,
        productId: listed.productId,
        majorVersion: listed.majorVersion,
        minorVersion: listed.minorVersion,
        licenseModel: listed.licenseModel,
        features: listed.features,
        userCompany: listed.company,
        userEmail: listed.email,
        userFullName: listed.fullName,
      },
      updatedAt: now,
    };
    if (clientId) next.clientId = clientId;
    if (clientId) outcome.matched++;
    else {
      const suggestion = suggestClient(index, listed.company);
      outcome.unmatched.push({
        key: listed.activationKey,
        company: listed.company,
        email: listed.email,
        ...(suggestion ? { suggestedClientId: suggestion.id, suggestedClient: suggestion.name } : {}),
      });
    }
    if (!existing) {
      position.set(next.key, licenses.length);
      licenses.push(next);
      outcome.imported++;
      changed = true;
    } else if (sameRecord(existing, next)) {
      outcome.unchanged++;
    } else {
      licenses[at!] = next;
      outcome.updated++;
      changed = true;
    }
  }
  return { data: changed ? { ...data, licenses } : data, outcome };
}

// ---------------------------------------------------------------------------------------------
// The import

const FALLBACK_CONCURRENCY = 4;

/**
 * Recorded keys read one by one (ValidateLicenseHttp), a few at a time, yielded in batches in key
 * order. A key failing with a `skipped` code (the server no longer knows it…) is reported as
 * rejected; any other failure (a refusal of the whole method) stops the reading.
 */
export async function* validateRecordedKeys(
  qlm: QlmClient,
  keys: readonly string[],
  opts: { batchSize: number; skipped: readonly string[]; signal?: AbortSignal | undefined },
): AsyncGenerator<{ licenses: QlmListedLicense[]; rejected: QlmRejectedRow[] }> {
  const call = opts.signal ? { signal: opts.signal } : {};
  for (let start = 0; start < keys.length; start += opts.batchSize) {
    const slice = keys.slice(start, start + opts.batchSize);
    const licenses: QlmListedLicense[] = [];
    const rejected: QlmRejectedRow[] = [];
    let next = 0;
    const worker = async () => {
      while (next < slice.length) {
        const i = next++;
        const key = slice[i]!;
        try {
          licenses.push(listedFromInfo(key, await qlm.validateLicense(key, call), start + i + 1));
        } catch (e) {
          if (!(e instanceof KeyfleetError) || !opts.skipped.includes(e.code)) throw e;
          rejected.push({ row: start + i + 1, key, message: `${key}: ${e.message}` });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FALLBACK_CONCURRENCY, slice.length) }, worker));
    licenses.sort((a, b) => a.row - b.row);
    yield { licenses, rejected };
  }
}

export async function importQlmLicenses(ctx: Context, opts: QlmImportOptions = {}): Promise<QlmImportResult> {
  const started = Date.now();
  const source = findSource(ctx, opts.source, 'qlm');
  const batchSize = opts.batchSize ?? DEFAULT_LIST_BATCH_SIZE;
  const index = clientIndex(ctx.store.data.clients);
  const result: QlmImportResult = { imported: 0, updated: 0, unchanged: 0, matched: 0, unmatched: [], rejected: [], batches: 0, durationMs: 0 };
  const target = source.name;
  let total: number | null = null;

  const store = (batch: { licenses: QlmListedLicense[]; rejected: QlmRejectedRow[] }) => {
    // The empty page that ends a listing whose size is a multiple of the batch size.
    if (batch.licenses.length === 0 && batch.rejected.length === 0) return;
    let outcome: BatchOutcome | undefined;
    ctx.store.update((d) => {
      const folded = foldListedBatch(d, source, batch.licenses, index, ctx.now().toISOString());
      outcome = folded.outcome;
      return folded.data;
    });
    const o = outcome!;
    result.batches++;
    result.imported += o.imported;
    result.updated += o.updated;
    result.unchanged += o.unchanged;
    result.matched += o.matched;
    result.unmatched.push(...o.unmatched);
    result.rejected.push(...batch.rejected);
    ctx.journal.append({
      action: 'qlm.import',
      target,
      sourceId: source.id,
      outcome: 'info',
      summary: `batch ${result.batches}: ${o.imported} new, ${o.updated} updated, ${o.unchanged} unchanged${batch.rejected.length ? `, ${batch.rejected.length} unreadable` : ''}`,
      data: { batch: result.batches, licenses: batch.licenses.length, ...(result.fallback ? { fallback: result.fallback } : {}) },
    });
    opts.onProgress?.({ done: result.imported + result.updated + result.unchanged + result.rejected.length, total });
  };

  const fail = (e: unknown): never => {
    const err = withSubject(e, `key source ${source.name}`);
    ctx.journal.append({ action: 'qlm.import', target, sourceId: source.id, outcome: 'failed', summary: `after ${result.batches} batch(es)`, error: { code: err.code, message: err.message } });
    throw err;
  };

  // One client (one keychain read) for the listing and, when listing is off, the key-by-key reading.
  const qlm = await qlmClient(ctx, source).catch(fail);
  try {
    const pages = listAllLicenses((req) => qlm.listLicenses(req, opts.signal ? { signal: opts.signal } : {}), { filter: opts.filter, batchSize, format: opts.format });
    for await (const page of pages) store(page);
  } catch (e) {
    if (!isListingDisabled(e) || result.batches > 0) fail(e);
    const keys = recordedQlmKeys(ctx.store.data.licenses, source.id);
    const how = `turn on the server property enableGetLicensesHttp in the QLM Management Console (Server Properties), then run keyfleet qlm import --source ${source.name} again`;
    if (keys.length === 0) {
      fail(new KeyfleetError('DENIED', `${(e as Error).message}. Keyfleet records no key from this server to read one by one instead: ${how}`, (e as KeyfleetError).details));
    }
    if (opts.filter !== undefined) {
      fail(new KeyfleetError('DENIED', `${(e as Error).message}. A filter needs the listing: ${how}`, (e as KeyfleetError).details));
    }
    result.fallback = 'validate';
    result.warning = `${LIST_METHOD} is disabled on the License Server, so only the ${keys.length} key(s) Keyfleet already records were read (ValidateLicenseHttp); to bring in every license, ${how}`;
    total = keys.length;
    try {
      for await (const batch of validateRecordedKeys(qlm, keys, { batchSize, skipped: ['NOT_FOUND', 'BAD_RESPONSE'], signal: opts.signal })) store(batch);
    } catch (e2) {
      fail(e2);
    }
  }

  const read = result.imported + result.updated + result.unchanged;
  if (read === 0 && result.rejected.length > 0) {
    fail(new KeyfleetError('BAD_RESPONSE', `none of the ${result.rejected.length} license(s) the server listed could be read; nothing was imported. First problem: ${result.rejected[0]!.message}`));
  }
  result.durationMs = Date.now() - started;
  ctx.journal.append({
    action: 'qlm.import',
    target,
    sourceId: source.id,
    outcome: 'ok',
    summary: `${result.imported} new, ${result.updated} updated, ${result.unchanged} unchanged, ${result.matched} matched to a client, ${result.unmatched.length} unmatched${result.rejected.length ? `, ${result.rejected.length} unreadable` : ''}${result.fallback ? ' (read key by key: listing is off on the server)' : ''}`,
    data: { batches: result.batches, durationMs: result.durationMs },
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Confirming a match

export interface QlmMatchInput {
  client: string;
  key?: string | undefined;
  company?: string | undefined;
  email?: string | undefined;
}

export interface QlmMatchResult {
  client: Client;
  /** What was remembered in the client's aliases (null: the license had no company or e-mail). */
  alias: string | null;
  /** QLM licenses without a client that now have this one. */
  assigned: number;
}

/**
 * The user confirms that a company or e-mail the License Server uses is this client: it is
 * remembered in the client's aliases (so the next import matches it) and every QLM license
 * without a client that carries it is assigned now.
 */
export function confirmQlmMatch(ctx: Context, input: QlmMatchInput): QlmMatchResult {
  const given = [input.key, input.company, input.email].filter((v) => v !== undefined && v.trim() !== '');
  if (given.length !== 1) throw new KeyfleetError('BAD_INPUT', 'give exactly one of a license key, a company or an e-mail to match to the client');
  const client = findByRef(ctx.store.data.clients, input.client, 'client');
  const licenses = ctx.store.data.licenses;
  let keyLicense: License | undefined;
  let alias: string | null;
  let field: 'userCompany' | 'userEmail';
  if (input.key !== undefined) {
    keyLicense = licenses.find((l) => l.vendor === 'qlm' && l.key === input.key!.trim());
    if (!keyLicense) throw new KeyfleetError('NOT_FOUND', `no QLM license with key ${input.key.trim()}; run keyfleet qlm import first`);
    const company = keyLicense.details?.['userCompany'];
    const email = keyLicense.details?.['userEmail'];
    field = typeof company === 'string' && company.trim() ? 'userCompany' : 'userEmail';
    const value = keyLicense.details?.[field];
    alias = typeof value === 'string' && value.trim() ? value.trim() : typeof email === 'string' && email.trim() ? email.trim() : null;
  } else if (input.company !== undefined) {
    field = 'userCompany';
    alias = input.company.trim();
  } else {
    field = 'userEmail';
    alias = input.email!.trim();
    if (!alias.includes('@')) throw new KeyfleetError('BAD_INPUT', `"${alias}" is not an e-mail address`);
  }
  if (alias !== null && alias.length > 200) throw new KeyfleetError('BAD_INPUT', 'the company or e-mail is longer than 200 characters');

  if (alias !== null) {
    const owner = matchClient(clientIndex(ctx.store.data.clients), field === 'userCompany' ? alias : null, field === 'userEmail' ? alias : null);
    if (owner && owner !== client.id) {
      const other = ctx.store.data.clients.find((c) => c.id === owner)!;
      throw new KeyfleetError('CONFLICT', `"${alias}" already belongs to client ${other.name}; remove it from that client first`);
    }
  }
  const known = new Set([norm(client.name), norm(client.email), ...(client.aliases ?? []).map(norm)]);
  const remember = alias !== null && !known.has(norm(alias));
  const nextClient: Client = remember ? { ...client, aliases: [...(client.aliases ?? []), alias!] } : client;

  const now = ctx.now().toISOString();
  let assigned = 0;
  const nextLicenses = licenses.map((l) => {
    if (l.vendor !== 'qlm' || l.clientId) return l;
    const value = l.details?.[field];
    const hit = l === keyLicense || (alias !== null && typeof value === 'string' && norm(value) === norm(alias));
    if (!hit) return l;
    assigned++;
    return { ...l, clientId: client.id, updatedAt: now };
  });
  if (!remember && assigned === 0) return { client, alias, assigned };
  ctx.store.update((d) => ({ ...d, clients: remember ? replaceById(d.clients, nextClient) : d.clients, licenses: assigned > 0 ? nextLicenses : d.licenses }));
  ctx.journal.append({
    action: 'qlm.match',
    target: client.name,
    outcome: 'ok',
    summary: `${alias ?? input.key} is ${client.name}${remember ? ' (remembered)' : ''}: ${assigned} license(s) assigned`,
  });
  return { client: nextClient, alias, assigned };
}
