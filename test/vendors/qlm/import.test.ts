// Long by design: one simulated License Server of 1,200 licenses is imported once, and what came in is examined subject by subject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openContext } from '../../../electron/core/open.ts';
import type { Context } from '../../../electron/core/context.ts';
import { addClient } from '../../../electron/core/services/clients.ts';
import { addSource } from '../../../electron/core/services/sources.ts';
import { qlmCreate, qlmValidate } from '../../../electron/core/vendors/qlm/service.ts';
import { confirmQlmMatch, importQlmLicenses } from '../../../electron/core/vendors/qlm/import.ts';
import { JOURNAL_FILE } from '../../../electron/core/store/journal.ts';
import { createHandlers } from '../../../electron/core/api/handlers.ts';
import { dispatch } from '../../../electron/core/api/dispatch.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { rejection } from '../../helpers/errors.ts';
import { sendText, startHttpServer } from '../../helpers/servers.ts';
import { startQlmSimulator, type QlmSimulator } from './simulator.ts';

/**
 * Importing what a QLM License Server holds (GetLicensesHttp), in-process against the simulator
 * over real HTTP with the password in the real keychain: paging, both formats and layouts,
 * filters, client matching and its confirmation, rereading without duplicates, unreadable rows,
 * a hostile answer, and the fallback to ValidateLicenseHttp when listing is switched off.
 */
const VENDOR = 'ResellerCo';
const USER = 'kf-import';
const PASSWORD = 'Imp0rt+P&ss';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function setup(opts: Partial<Parameters<typeof startQlmSimulator>[0]> = {}): Promise<{ ctx: Context; qlm: QlmSimulator; home: string }> {
  const qlm = await startQlmSimulator({ flavor: 'v20', vendor: VENDOR, user: USER, password: PASSWORD, products: { 1: 'CallCentre Pro', 2: 'Dialer' }, ...opts });
  const home = tempDir();
  const ctx = openContext({ dataDir: home });
  cleanups.push(() => qlm.close(), () => fs.rmSync(home, { recursive: true, force: true }));
  await addSource(ctx, { name: 'qlm', kind: 'qlm', url: qlm.baseUrl, vendor: VENDOR, user: USER, secret: PASSWORD });
  return { ctx, qlm, home };
}

const qlmLicenses = (ctx: Context) => ctx.store.data.licenses.filter((l) => l.vendor === 'qlm');
const listRequests = (qlm: QlmSimulator) => qlm.state.requests.filter((r) => r.method === 'GetLicensesHttp');
const journal = (home: string) =>
  fs
    .readFileSync(path.join(home, JOURNAL_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; outcome: string; summary?: string });

describe('QLM import (GetLicensesHttp)', () => {
  let ctx: Context;
  let qlm: QlmSimulator;
  let home: string;
  let keys: string[];

  beforeAll(async () => {
    ({ ctx, qlm, home } = await setup());
    keys = qlm.seedLicenses(1_200, (i) => ({
      productId: i % 3 === 0 ? 2 : 1,
      majorVersion: 5,
      minorVersion: i % 2,
      expiresAt: new Date(Date.UTC(2027, 0, 1 + (i % 300), 23, 59)),
      maintenanceRenewal: i % 4 === 0 ? new Date(Date.UTC(2026, 11, 31, 23, 59)) : null,
      quantity: 1 + (i % 25),
      revoked: i % 50 === 7,
      licenseModel: i % 5 === 0 ? 'permanent' : 'subscription',
      userCompany: i === 0 ? '  ACME Telecom ' : i === 1 ? 'Other Co' : `Customer ${i}`,
      userEmail: i === 1 ? 'NOC@Globex.test' : i === 2 ? 'billing@initech.test' : `it@customer${i}.test`,
      userFullName: `Contact ${i}`,
      features: i % 7 === 0 ? '0:3' : '',
    }));
    addClient(ctx, { name: 'Acme Telecom' });
    addClient(ctx, { name: 'Globex', email: 'noc@globex.test' });
    addClient(ctx, { name: 'Initech Holdings' });
  });

  it('lists page by page (500 a page), stores every license with its facts in whole batches, and matches clients', async () => {
    const writesBefore = ctx.store.writes;
    const progress: number[] = [];
    const result = await importQlmLicenses(ctx, { source: 'qlm', onProgress: (p) => progress.push(p.done) });

    expect(result).toMatchObject({ imported: 1_200, updated: 0, unchanged: 0, rejected: [], batches: 3 });
    expect(result.fallback).toBeUndefined();
    expect(progress).toEqual([500, 1000, 1200]);
    // One commit per batch, and the pages asked for with the documented arguments.
    expect(ctx.store.writes - writesBefore).toBe(3);
    const pages = listRequests(qlm);
    expect(pages.map((r) => [r.query['is_batchsize'], r.query['is_offset']])).toEqual([['500', '0'], ['500', '500'], ['500', '1000']]);
    // JSON unless asked otherwise: it reads about ten times faster than the same rows in XML.
    expect(pages[0]!.query).toMatchObject({ is_user: USER, is_pwd: PASSWORD, is_vendor: VENDOR, is_format: 'json' });
    const batchEvents = journal(home).filter((e) => e.action === 'qlm.import' && e.outcome === 'info');
    expect(batchEvents).toHaveLength(3);

    const stored = qlmLicenses(ctx);
    expect(stored).toHaveLength(1_200);
    expect(new Set(stored.map((l) => l.key)).size).toBe(1_200);
    const l3 = stored.find((l) => l.key === keys[3])!;
    expect(l3).toMatchObject({ vendor: 'qlm', product: 'Dialer 5.1', expiresAt: '2027-01-04', maintenanceExpiresAt: null, limits: { seats: 4 }, status: 'active', origin: 'qlm-server' });
    expect(l3.sourceId).toBe(ctx.store.data.sources[0]!.id);
    expect(l3.details).toMatchObject({ productId: 2, majorVersion: 5, minorVersion: 1, licenseModel: 'subscription', userCompany: 'Customer 3', userEmail: 'it@customer3.test', userFullName: 'Contact 3' });
    expect(stored.find((l) => l.key === keys[4])).toMatchObject({ maintenanceExpiresAt: '2026-12-31', details: { licenseModel: 'subscription' } });
    expect(stored.find((l) => l.key === keys[7])).toMatchObject({ status: 'revoked', details: { features: '0:3' } });

    // Company (case and spaces aside) or e-mail equal to a client's: matched. The rest listed.
    const acme = ctx.store.data.clients.find((c) => c.name === 'Acme Telecom')!;
    const globex = ctx.store.data.clients.find((c) => c.name === 'Globex')!;
    expect(stored.find((l) => l.key === keys[0])!.clientId).toBe(acme.id);
    expect(stored.find((l) => l.key === keys[1])!.clientId).toBe(globex.id);
    expect(result.matched).toBe(2);
    expect(result.unmatched).toHaveLength(1_198);
    expect(result.unmatched.find((u) => u.key === keys[5])).toEqual({ key: keys[5], company: 'Customer 5', email: 'it@customer5.test' });
  });

  it('importing again updates in place: no duplicates, unchanged ones counted, a change on the server taken', async () => {
    qlm.alter(keys[10]!, { expiresAt: new Date(Date.UTC(2029, 5, 30, 23, 59)), quantity: 40 });
    qlm.alter(keys[11]!, { revoked: true });
    const writesBefore = ctx.store.writes;
    // The same licenses read from the XML DataSet layout are the same records.
    const result = await importQlmLicenses(ctx, { source: 'qlm', format: 'xml' });
    expect(result).toMatchObject({ imported: 0, updated: 2, unchanged: 1_198 });
    // The batch without a change is not rewritten.
    expect(ctx.store.writes - writesBefore).toBe(1);
    const stored = qlmLicenses(ctx);
    expect(stored).toHaveLength(1_200);
    expect(stored.find((l) => l.key === keys[10])).toMatchObject({ expiresAt: '2029-06-30', limits: { seats: 40 } });
    expect(stored.find((l) => l.key === keys[11])).toMatchObject({ status: 'revoked' });
  });

  it('suggests a client whose name contains the company, and a confirmed match is remembered for the next import', async () => {
    qlm.alter(keys[2]!, { userCompany: 'Initech' });
    qlm.alter(keys[20]!, { userCompany: 'INITECH' });
    const first = await importQlmLicenses(ctx, { source: 'qlm' });
    const initech = ctx.store.data.clients.find((c) => c.name === 'Initech Holdings')!;
    expect(first.unmatched.find((u) => u.key === keys[2])).toMatchObject({ company: 'Initech', suggestedClientId: initech.id, suggestedClient: 'Initech Holdings' });
    // Suggested only: not applied.
    expect(qlmLicenses(ctx).find((l) => l.key === keys[2])!.clientId).toBeUndefined();

    const confirmed = confirmQlmMatch(ctx, { company: 'initech', client: 'Initech Holdings' });
    expect(confirmed).toMatchObject({ alias: 'initech', assigned: 2 });
    expect(ctx.store.data.clients.find((c) => c.id === initech.id)!.aliases).toEqual(['initech']);
    expect(qlmLicenses(ctx).filter((l) => l.clientId === initech.id).map((l) => l.key).sort()).toEqual([keys[2], keys[20]].sort());

    // A license the server now lists under that company is matched by the remembered alias.
    qlm.alter(keys[30]!, { userCompany: 'Initech ' });
    const next = await importQlmLicenses(ctx, { source: 'qlm' });
    expect(qlmLicenses(ctx).find((l) => l.key === keys[30])!.clientId).toBe(initech.id);
    expect(next.matched).toBe(first.matched + 3);

    // By e-mail, through a key: the license's e-mail is remembered when it has no company.
    qlm.alter(keys[40]!, { userCompany: '', userEmail: 'ops@umbrella.test' });
    await importQlmLicenses(ctx, { source: 'qlm' });
    const umbrella = addClient(ctx, { name: 'Umbrella' });
    expect(confirmQlmMatch(ctx, { key: keys[40]!, client: 'Umbrella' })).toMatchObject({ alias: 'ops@umbrella.test', assigned: 1 });
    expect(qlmLicenses(ctx).find((l) => l.key === keys[40])!.clientId).toBe(umbrella.id);

    // The same company cannot belong to two clients.
    const clash = await rejection(Promise.resolve().then(() => confirmQlmMatch(ctx, { company: 'Initech', client: 'Umbrella' })));
    expect(clash.code).toBe('CONFLICT');
    expect(clash.message).toMatch(/already belongs to client Initech Holdings/);
    expect((await rejection(Promise.resolve().then(() => confirmQlmMatch(ctx, { company: 'X', email: 'a@b.c', client: 'Umbrella' })))).code).toBe('BAD_INPUT');
  });

  it('filters on the license view (ProductID=N, Company=\'X\') in XML, without touching other licenses', async () => {
    const before = listRequests(qlm).length;
    const byProduct = await importQlmLicenses(ctx, { source: 'qlm', filter: 'ProductID=2', format: 'xml' });
    expect(byProduct.imported + byProduct.updated + byProduct.unchanged).toBe(400);
    expect(listRequests(qlm)[before]!.query).toMatchObject({ is_filter: 'ProductID=2', is_format: 'xml' });
    const byCompany = await importQlmLicenses(ctx, { source: 'qlm', filter: "Company='Customer 5'", format: 'xml' });
    expect(byCompany.unchanged).toBe(1);
    expect(byCompany.unmatched.map((u) => u.key)).toEqual([keys[5]]);
  });
});

describe('QLM import: shapes, bad rows, hostile answers', () => {
  it('reads the <QuickLicenseManager><licenses><license> layout and a wrapped JSON object the same way', async () => {
    const { ctx, qlm } = await setup({ listStyle: 'qlm' });
    const keys = qlm.seedLicenses(3, (i) => ({ expiresAt: new Date(Date.UTC(2028, 1, 1 + i, 23, 59)), quantity: 10 + i }));
    expect(await importQlmLicenses(ctx, { format: 'xml' })).toMatchObject({ imported: 3 });
    expect(qlmLicenses(ctx).map((l) => [l.key, l.expiresAt, l.limits.seats])).toEqual(keys.map((k, i) => [k, `2028-02-0${i + 1}`, 10 + i]));
    expect(await importQlmLicenses(ctx, { format: 'json' })).toMatchObject({ imported: 0, unchanged: 3 });
  });

  it('keeps the origin of a license Keyfleet created and fills in what the server knows', async () => {
    const { ctx, qlm } = await setup();
    const [created] = await qlmCreate(ctx, { productId: 1, major: 5, minor: 0, expiry: { date: '2027-05-05' }, quantity: 3 });
    qlm.seedLicenses(2);
    const result = await importQlmLicenses(ctx, {});
    expect(result).toMatchObject({ imported: 2, updated: 1 });
    const after = qlmLicenses(ctx).find((l) => l.key === created!.key)!;
    expect(after).toMatchObject({ id: created!.id, origin: 'qlm', product: 'CallCentre Pro 5.0', expiresAt: '2027-05-05', limits: { seats: 3 } });
    expect(qlmLicenses(ctx).filter((l) => l.origin === 'qlm-server')).toHaveLength(2);
  });

  it('reports a row without a key and a row with an unreadable date by row and column, importing the rest', async () => {
    const { ctx, qlm } = await setup();
    const keys = qlm.seedLicenses(4);
    qlm.alter(keys[1]!, { listColumns: { ExpiryDate: '31/31/2027' } });
    qlm.alter(keys[2]!, { listColumns: { ActivationKey: null } });
    const result = await importQlmLicenses(ctx, {});
    expect(result.imported).toBe(2);
    expect(result.rejected).toHaveLength(2);
    expect(result.rejected[0]!.message).toMatch(/row 2 \(key [0-9A-Z-]+\): column expirydate: .* is not a date; it was not imported/);
    expect(result.rejected[1]).toMatchObject({ row: 3, key: null });
    expect(result.rejected[1]!.message).toMatch(/row 3 has no activation key/);
    expect(qlmLicenses(ctx).map((l) => l.key).sort()).toEqual([keys[0], keys[3]].sort());
  });

  it('refuses an HTML login page and wrong credentials with clear errors, writing nothing', async () => {
    const { ctx, qlm } = await setup();
    qlm.seedLicenses(5);
    const writes = ctx.store.writes;
    qlm.setMode('html');
    const html = await rejection(importQlmLicenses(ctx, {}));
    expect(html.code).toBe('BAD_RESPONSE');
    expect(html.message).toMatch(/HTML page instead of QLM XML/);
    qlm.setMode('normal');
    await ctx.vault.set({ type: 'source', id: ctx.store.data.sources[0]!.id }, 'wrong-password');
    const auth = await rejection(importQlmLicenses(ctx, { format: 'json' }));
    expect(auth.code).toBe('AUTH');
    expect(auth.message).toMatch(/key source qlm: .*authentication failed.*is_user.*is_pwd/);
    expect(ctx.store.writes).toBe(writes);
    expect(qlmLicenses(ctx)).toHaveLength(0);
  });

  it('a server that pages wrongly or answers too much is refused clearly; one that ignores the page size is read whole', async () => {
    const row = (i: number) => ({ ActivationKey: `KEY${String(i).padStart(5, '0')}-AAAAA-BBBBB`, ExpiryDate: '2027-01-01T00:00:00', Company: 'Some Co' });
    let answer: (offset: number, batch: number) => string = () => '[]';
    const server = await startHttpServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      sendText(res, 200, answer(Number(q.get('is_offset')), Number(q.get('is_batchsize'))), 'application/json');
    });
    const home = tempDir();
    const ctx = openContext({ dataDir: home });
    cleanups.push(() => server.close(), () => fs.rmSync(home, { recursive: true, force: true }));
    await addSource(ctx, { name: 'odd', kind: 'qlm', url: `${server.url}/qlm/qlmservice.asmx`, vendor: VENDOR, user: USER, secret: PASSWORD });

    // Ignores is_offset: the first page again and again.
    answer = (_o, batch) => JSON.stringify(Array.from({ length: batch }, (_, i) => row(i)));
    const loop = await rejection(importQlmLicenses(ctx, { batchSize: 10 }));
    expect(loop.code).toBe('BAD_RESPONSE');
    expect(loop.message).toMatch(/sent the same licenses again for offset 10: it ignores is_offset/);

    // More than 1 MiB for one page.
    answer = () => JSON.stringify(Array.from({ length: 12_000 }, (_, i) => row(i)));
    const huge = await rejection(importQlmLicenses(ctx, { batchSize: 10_000 }));
    expect(huge.code).toBe('BODY_TOO_LARGE');
    expect(huge.message).toMatch(/one page of GetLicensesHttp; ask for smaller pages/);

    // Ignores is_batchsize: everything at once, which is the whole list.
    const before = qlmLicenses(ctx).length;
    answer = (offset) => (offset === 0 ? JSON.stringify(Array.from({ length: 25 }, (_, i) => row(i))) : '[]');
    expect(await importQlmLicenses(ctx, { batchSize: 10 })).toMatchObject({ imported: 25 - before, batches: 1 });
    expect(qlmLicenses(ctx)).toHaveLength(25);

    // Neither XML nor JSON.
    answer = () => 'Service Unavailable';
    const text = await rejection(importQlmLicenses(ctx, {}));
    expect(text.message).toMatch(/neither XML nor JSON/);
  });

  it('when listing is off: names enableGetLicensesHttp and where to turn it on; with recorded keys, reads those one by one', async () => {
    const { ctx, qlm } = await setup({ disabled: ['GetLicensesHttp'] });
    qlm.seedLicenses(3);
    for (const format of ['xml', 'json'] as const) {
      const e = await rejection(importQlmLicenses(ctx, { format }));
      expect(e.code).toBe('DENIED');
      expect(e.message).toMatch(/GetLicensesHttp.*disabled.*enableGetLicensesHttp.*QLM Management Console/);
      expect(e.message).toMatch(/keyfleet qlm import --source qlm/);
    }
    const created = await qlmCreate(ctx, { productId: 2, major: 1, minor: 0, expiry: { date: '2027-08-01' } });
    qlm.alter(created[0]!.key, { expiresAt: new Date(Date.UTC(2028, 7, 1, 23, 59)), revoked: true });
    const result = await importQlmLicenses(ctx, {});
    expect(result).toMatchObject({ fallback: 'validate', updated: 1, imported: 0 });
    expect(result.warning).toMatch(/enableGetLicensesHttp/);
    expect(qlmLicenses(ctx)[0]).toMatchObject({ key: created[0]!.key, expiresAt: '2028-08-01', status: 'revoked', origin: 'qlm' });
    expect(qlm.state.requests.filter((r) => r.method === 'ValidateLicenseHttp').at(-1)!.query['is_activate']).toBe('false');
  });

  it('the window reaches import and match through the contract, with progress pushed as each batch lands', async () => {
    const { ctx, qlm } = await setup();
    const keys = qlm.seedLicenses(7, (i) => ({ userCompany: i === 0 ? 'Hooli' : `Customer ${i}` }));
    addClient(ctx, { name: 'Hooli XYZ' });
    const pushed: Array<{ event: string; payload: unknown }> = [];
    const call = { emit: (event: string, payload: unknown) => pushed.push({ event, payload }) };
    const handlers = createHandlers(ctx, { version: 't' });
    const r = await dispatch(handlers, 'qlmImport', { source: 'qlm', batchSize: 3, jobId: 'job_import' }, call as never);
    expect(r).toMatchObject({ ok: true, value: { imported: 7, batches: 3 } });
    expect(pushed.filter((p) => p.event === 'jobProgress').map((p) => (p.payload as { done: number }).done)).toEqual([3, 6, 7]);
    const bad = await dispatch(handlers, 'qlmConfirmMatch', { client: 'Hooli XYZ', company: 'Hooli', email: 'a@hooli.test' }, call as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const ok = await dispatch(handlers, 'qlmConfirmMatch', { client: 'Hooli XYZ', key: keys[0] }, call as never);
    expect(ok).toMatchObject({ ok: true, value: { alias: 'Hooli', assigned: 1, client: { name: 'Hooli XYZ' } } });
  });

  it('the window cancels an import with the app-wide cancelJob: the vendor handlers share the app job registry', async () => {
    const { ctx, qlm } = await setup();
    qlm.seedLicenses(7, (i) => ({ userCompany: `Customer ${i}` }));
    const handlers = createHandlers(ctx, { version: 't' });
    const cancels: unknown[] = [];
    const call = {
      emit: (event: string) => {
        if (event === 'jobProgress' && cancels.length === 0) cancels.push(dispatch(handlers, 'cancelJob', { jobId: 'job_cancelled' }, call as never));
      },
    };
    const r = await dispatch(handlers, 'qlmImport', { source: 'qlm', batchSize: 3, jobId: 'job_cancelled' }, call as never);
    expect(await Promise.all(cancels)).toEqual([{ ok: true, value: { cancelled: true } }]);
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(listRequests(qlm)).toHaveLength(1);
    expect(await dispatch(handlers, 'cancelJob', { jobId: 'job_cancelled' }, call as never)).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('a key looked up on the server that Keyfleet did not know is recorded as imported from QLM', async () => {
    const { ctx: c, qlm: q } = await setup();
    const [outside] = q.seedLicenses(1, () => ({ productId: 1, majorVersion: 5, minorVersion: 0, expiresAt: new Date(Date.UTC(2027, 5, 30, 23, 59)), quantity: 2 }));
    const { license } = await qlmValidate(c, outside!);
    expect(license).toMatchObject({ key: outside, vendor: 'qlm', origin: 'qlm-server', expiresAt: '2027-06-30' });
  });
});
