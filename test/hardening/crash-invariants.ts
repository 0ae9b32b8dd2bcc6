import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { loadStoreFile, STORE_FILE } from '../../electron/core/store/store.ts';
import { Journal, KEYS_JOURNAL_FILE } from '../../electron/core/store/journal.ts';
import type { KeyReceipt } from '../../electron/core/services/key-receipts.ts';
import type { StoreData } from '../../electron/core/store/schema.ts';
import type { Vault } from '../../electron/core/vault/vault.ts';
import { openContext } from '../../electron/core/open.ts';
import type { Context } from '../../electron/core/context.ts';

/**
 * What must hold after any crash, read straight from the files a crashed `keyfleet` left,
 * with the same modules a start uses.
 */

export function storeFile(home: string): string {
  return path.join(home, STORE_FILE);
}

/** The store as the next start would load it; throws (failing the test) if it cannot be. */
export function loadStore(home: string): StoreData {
  return loadStoreFile(storeFile(home)).data;
}

export function storeBytes(home: string): string {
  try {
    return fs.readFileSync(storeFile(home), 'utf8');
  } catch {
    return '';
  }
}

export function keyReceipts(home: string): KeyReceipt[] {
  const { events, warnings } = new Journal(home, { file: KEYS_JOURNAL_FILE }).read();
  // Only a torn line from a killed append is tolerable, never a line that is unreadable for another reason.
  for (const w of warnings) expect(w, 'keys.jsonl').toMatch(/torn last line|unreadable line skipped/);
  return events.flatMap((e) => {
    const r = (e.data as { receipt?: KeyReceipt } | undefined)?.receipt;
    return r ? [r] : [];
  });
}

/** How many receipts each `key.recovered` event in the event log says it replayed, oldest first. */
export function recoveredCounts(home: string): number[] {
  return new Journal(home)
    .read()
    .events.filter((e) => e.action === 'key.recovered')
    .map((e) => Number(/^(\d+) receipt/.exec(e.target)?.[1] ?? NaN));
}

/** A vault that is never reached: starting a context in-process must not need a secret. */
const inertVault: Vault = {
  set: () => Promise.reject(new Error('the crash checks never store secrets')),
  get: () => Promise.reject(new Error('the crash checks never read secrets')),
  delete: () => Promise.resolve(false),
};

/** One start of Keyfleet in this process: loads the store and replays receipts, as the CLI does. */
export function openInProcess(home: string): Context {
  return openContext({ dataDir: home, vault: inertVault });
}

export function startInProcess(home: string): StoreData {
  return openInProcess(home).store.data;
}

/** Temp files an interrupted atomic write left beside the store. */
export function tempFiles(home: string): string[] {
  return fs.readdirSync(home).filter((f) => /\.tmp|tmp-/.test(f));
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** References hold: every license's instance and client exist, no (vendor, instance, key) twice. */
export function expectReferencesHold(data: StoreData, label: string): void {
  const instanceIds = new Set(data.instances.map((i) => i.id));
  const clientIds = new Set(data.clients.map((c) => c.id));
  const dangling = data.licenses.filter((l) => l.instanceId !== undefined && !instanceIds.has(l.instanceId));
  expect(dangling.map((l) => `${l.id} → ${l.instanceId}`), `${label}: licenses pointing at a missing instance`).toEqual([]);
  const orphanClients = [...data.licenses, ...data.instances].filter((x) => x.clientId !== undefined && !clientIds.has(x.clientId));
  expect(orphanClients.map((x) => `${x.id} → ${x.clientId}`), `${label}: records pointing at a missing client`).toEqual([]);
  expect(duplicates(data.licenses.map((l) => `${l.vendor}/${l.instanceId ?? '-'}/${l.key}`)), `${label}: duplicate licenses`).toEqual([]);
  expect(duplicates(data.instances.map((i) => i.name.toLowerCase())), `${label}: duplicate instance names`).toEqual([]);
  const credentialIds = new Set(data.credentials.map((c) => c.id));
  const missingCred = data.instances.filter((i) => i.secret?.type === 'shared' && !credentialIds.has(i.secret.credentialId));
  expect(missingCred.map((i) => i.name), `${label}: instances whose shared credential is missing`).toEqual([]);
}

export interface ServerConversion {
  key: string;
  /** The end-user the server made the key for (the first conversion's). */
  enduser: string;
}

/** The file Keyfleet writes a conversion request to before sending it (write-ahead). */
export const PPK_REQUESTS = 'ppk-requests.jsonl';

/** PPK → end-user of the latest conversion request still unresolved in the request log (read independently of the product's helper). */
export function ppkRequestsInLog(home: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of new Journal(home, { file: PPK_REQUESTS }).read().events) {
    const req = (e.data as { request?: { ppk: string; enduser: string } } | undefined)?.request;
    if (e.action === 'ppk.requested' && req) out.set(req.ppk, req.enduser);
    if (e.action === 'ppk.refused') out.delete(e.target);
  }
  return out;
}

/**
 * Before any start: every key the key server produced is in the store or in keys.jsonl, except
 * ones whose answer the kill cut off before the receipt was written ("in flight"). Those PPKs
 * must still be in stock, so the idempotent server gives the same key again on the next try.
 */
export function classifyServerKeys(home: string, conversions: ReadonlyMap<string, ServerConversion>, label: string): { pendingKeys: string[]; inFlight: string[] } {
  const data = loadStore(home);
  const receipts = keyReceipts(home);
  const stored = new Set(data.licenses.map((l) => l.key));
  const journalled = new Set<string>();
  for (const r of receipts) {
    if (r.kind !== 'ppk') continue;
    // The journal holds only keys the server really gave for that PPK.
    expect(r.key, `${label}: receipt for ${r.ppk}`).toBe(conversions.get(r.ppk)?.key);
    journalled.add(r.key);
  }
  const inFlight: string[] = [];
  const requests = ppkRequestsInLog(home);
  for (const [ppk, c] of conversions) {
    if (stored.has(c.key) || journalled.has(c.key)) continue;
    inFlight.push(ppk);
    const p = data.ppks.find((x) => x.ppk === ppk);
    expect(p?.state, `${label}: PPK ${ppk} was converted by the server, its key is neither stored nor journalled, yet it is not in stock`).toBe('in-stock');
    expect(p?.conversion, `${label}: PPK ${ppk} claims a conversion whose key is lost`).toBeUndefined();
    // Spent on the server: something durable here must say so, and for whom, or the PPK looks unspent.
    expect(requests.get(ppk), `${label}: PPK ${ppk} was spent on the server (for "${c.enduser}") but nothing here records that it was sent`).toBe(c.enduser);
  }
  // A receipt is pending when the store lacks its key or its PPK does not record it yet.
  const pendingKeys = [
    ...new Set(
      receipts.flatMap((r) => {
        if (r.kind !== 'ppk') return [];
        const p = data.ppks.find((x) => x.id === r.ppkId);
        return !stored.has(r.key) || (p && p.conversion?.key !== r.key) ? [r.key] : [];
      }),
    ),
  ];
  return { pendingKeys, inFlight };
}

/**
 * After a start replayed the receipts: every key the server gave (except in-flight ones) is in
 * the store exactly once, and each PPK's state agrees with the server: converted there ⇔
 * converted/installed here with that key; never converted there ⇔ still in stock.
 */
export function expectPpksAgreeWithServer(data: StoreData, conversions: ReadonlyMap<string, ServerConversion>, inFlight: ReadonlySet<string>, label: string): void {
  const byKey = new Map<string, number>();
  for (const l of data.licenses) byKey.set(l.key, (byKey.get(l.key) ?? 0) + 1);
  expect([...byKey].filter(([, n]) => n > 1).map(([k]) => k), `${label}: a key stored twice`).toEqual([]);
  for (const [ppk, c] of conversions) {
    if (inFlight.has(ppk)) continue;
    expect(byKey.get(c.key), `${label}: key of ${ppk} missing from the store after replay`).toBe(1);
  }
  for (const p of data.ppks) {
    const c = conversions.get(p.ppk);
    if (c && !inFlight.has(p.ppk)) {
      expect(['converted', 'installed'], `${label}: PPK ${p.ppk} spent on the server but ${p.state} here`).toContain(p.state);
      expect(p.conversion?.key, `${label}: PPK ${p.ppk} conversion key`).toBe(c.key);
      // The key was made for the server's end-user; recording another one misleads whoever installs it.
      expect(p.conversion?.enduser, `${label}: PPK ${p.ppk} recorded end-user vs the one the server made the key for`).toBe(c.enduser);
      const license = data.licenses.find((l) => l.id === p.licenseId);
      expect(license?.key, `${label}: PPK ${p.ppk} points at its license`).toBe(c.key);
    } else {
      expect(p.state, `${label}: PPK ${p.ppk} never converted on the server`).toBe('in-stock');
      expect(p.conversion, `${label}: PPK ${p.ppk} never converted on the server`).toBeUndefined();
    }
  }
}

/** Replay is idempotent: two more starts add no license, rewrite nothing and log no recovery. */
export function expectIdempotentReplay(home: string, label: string): void {
  const bytes = storeBytes(home);
  const recoveries = recoveredCounts(home).length;
  const first = startInProcess(home);
  const second = startInProcess(home);
  expect(second.licenses.length, `${label}: licenses after a second start`).toBe(first.licenses.length);
  expect(storeBytes(home) === bytes, `${label}: a start after replay rewrote the store`).toBe(true);
  expect(recoveredCounts(home).length, `${label}: a start after replay logged key.recovered again`).toBe(recoveries);
}
