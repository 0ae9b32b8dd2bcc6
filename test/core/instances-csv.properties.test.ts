import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { importInstancesCsv } from '../../electron/core/services/instances-csv.ts';
import { openContext } from '../../electron/core/open.ts';
import type { Context } from '../../electron/core/context.ts';
import { MemoryVault } from '../../electron/core/vault/vault.ts';
import { loadStoreFile } from '../../electron/core/store/store.ts';
import { StoreDataSchema, type StoreData } from '../../electron/core/store/schema.ts';
import { expectCleanError, mutated } from '../helpers/properties.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Property tests of the instances CSV import: random CSV never crashes and never half-imports. */

const CSV_HEADERS = ['name', 'Instance', 'kind', 'Type', 'vendor', 'url', 'base url', 'Address', 'client', 'customer', 'user', 'login', 'tags', 'group', 'core-server', 'notes', 'secret'];
const csvField = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9 ._-]{0,20}$/) },
  { weight: 2, arbitrary: fc.constantFrom('queuemetrics', 'ISymphony', 'webitel', 'qlm', 'https://pbx.example.com/qm', 'http://10.0.0.1:8080', 'ftp://x', 'http://host/?pwd=x', 'not a url', 'a;b|c') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'http:'), fc.string({ unit: fc.constantFrom('a', '1', '.', '/', ':', '[', ']', '%', '#', '?', '|', '^', '`', '{', '"', '<', '\\', ' ', 'é', '\u00a0', '@', '2F', '::1'), maxLength: 16 }))
      .map(([scheme, rest]) => scheme + rest),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', ';', '|', 'é', '\u0000'), maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 55, max: 2_100 }).map((n) => (n % 2 ? 't'.repeat(n) : `http://h/${'p'.repeat(n)}`)) },
);
const quoteCsv = (f: string, always: boolean) => (always || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
const validRow = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,30}$/),
    kind: fc.constantFrom('queuemetrics', 'isymphony', 'webitel', 'QueueMetrics'),
    url: fc.constantFrom('https://pbx.example.com/qm', 'http://10.0.0.1:8080', 'https://w.example/api'),
    client: fc.constantFrom('', 'Acme', 'acme', 'Globex', 'Initech'),
    user: fc.constantFrom('', 'manager', 'keyupdater'),
  })
  .map((r) => [r.name, r.kind, r.url, r.client, r.user]);
const csvText = fc
  .record({
    header: fc.option(fc.shuffledSubarray(CSV_HEADERS, { minLength: 1, maxLength: 7 }), { nil: null }),
    rows: fc.array(fc.oneof(validRow, fc.array(csvField, { maxLength: 8 })), { maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n'),
    quoteAll: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ header, rows, eol, quoteAll, bom }) => {
    const lines = (header ? [header, ...rows] : rows).map((r) => r.map((f) => quoteCsv(f, quoteAll)).join(','));
    return `${bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
  });
const anyCsv = fc.oneof(csvText, mutated(csvText, [',', '"', '\n', '\r\n', '""', ' ', ';', '\uFEFF']), fc.string({ maxLength: 200 }));

describe('CSV import (importInstancesCsv)', () => {
  let ctx: Context;
  let vault: MemoryVault;
  let baseline: StoreData;

  beforeAll(async () => {
    vault = new MemoryVault();
    ctx = openContext({ dataDir: tempDir('kf-csv-prop-'), vault, now: () => new Date('2025-01-15T10:00:00Z'), timeZone: 'UTC' });
    await importInstancesCsv(ctx, 'name,kind,url,client\nexisting-qm,queuemetrics,https://qm.example.com,Acme\n');
    baseline = ctx.store.data;
  });

  it('random CSV never crashes; it imports a valid set, or reports numbered lines and imports nothing; the store stays valid', async () => {
    await fc.assert(
      fc.asyncProperty(anyCsv, fc.boolean(), fc.option(fc.constantFrom('shared-S3cret'), { nil: undefined }), async (text, validOnly, sharedSecret) => {
        ctx.store.commit(baseline);
        vault.items.clear();
        const before = ctx.store.data;
        let result: Awaited<ReturnType<typeof importInstancesCsv>>;
        try {
          result = await importInstancesCsv(ctx, text, { validOnly, sharedSecret, fileName: '/tmp/fleet.csv' });
        } catch (e) {
          const err = expectCleanError(e, ['BAD_INPUT']);
          expect(err.message).toMatch(/CSV/);
          expect(ctx.store.data).toBe(before);
          return;
        }
        const after = ctx.store.data;
        const physicalLines = text.split(/\r\n|\r|\n/).length;
        for (const { line, message } of result.errors) {
          expect(Number.isInteger(line) && line >= 1 && line <= physicalLines).toBe(true);
          expect(message.length).toBeGreaterThan(0);
          expect(message).not.toContain('shared-S3cret');
        }
        if (result.errors.length > 0 && !validOnly) {
          expect(result.imported).toBe(0);
          expect(after).toBe(before);
        }
        expect(after.instances.length - before.instances.length).toBe(result.imported);
        expect(after.clients.length - before.clients.length).toBe(result.clientsCreated);
        if (result.imported === 0) expect(after).toBe(before);
        expect(vault.items.size).toBe(result.imported > 0 && sharedSecret ? 1 : 0);
        // Every imported record satisfies the store schema, and the file on disk reloads as it is.
        expect(StoreDataSchema.safeParse(after).success).toBe(true);
        expect(JSON.parse(JSON.stringify(loadStoreFile(ctx.store.file).data))).toEqual(JSON.parse(JSON.stringify(after)));
        const names = after.instances.map((i) => i.name.toLowerCase());
        expect(new Set(names).size).toBe(names.length);
        for (const i of after.instances.slice(before.instances.length)) if (i.clientId) expect(after.clients.some((c) => c.id === i.clientId)).toBe(true);
      }),
      { numRuns: 400, timeout: 5_000 },
    );
  });
});
