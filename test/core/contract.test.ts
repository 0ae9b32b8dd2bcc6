import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { METHODS, QLM_LICENSE_MODELS, READ_METHODS, VENDORS, WRITE_METHODS, contract, contractSlices, isReadMethod, vendorSlices } from '../../electron/core/api/contract.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every module contract.ts loads at run time (type-only imports are erased), relative to the repository. */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  if (seen.has(rel)) return seen;
  seen.add(rel);
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) runtimeImports(path.resolve(path.dirname(file), spec), seen);
    else seen.add(`package:${spec}`);
  }
  return seen;
}

describe('the API contract, composed from one slice per area and per vendor', () => {
  it('every method is in exactly one slice, and the composition has them all', () => {
    const names = Object.values(contractSlices).flatMap((slice) => Object.keys(slice));
    expect(new Set(names).size, 'a method defined in two slices').toBe(names.length);
    expect([...names].sort()).toEqual([...METHODS].sort());
  });

  it('has one slice per vendor, each composed into the contract', () => {
    expect(Object.keys(vendorSlices).sort()).toEqual([...VENDORS].sort());
    for (const [vendor, slice] of Object.entries(vendorSlices)) {
      expect(Object.keys(slice).length, vendor).toBeGreaterThan(0);
      for (const m of Object.keys(slice)) expect(contract[m as keyof typeof contract], `${vendor}: ${m}`).toBe(slice[m as keyof typeof slice]);
    }
  });

  it('each method says whether it reads or writes, and the read and write lists derive from it', () => {
    for (const m of METHODS) expect(['read', 'write'], m).toContain(contract[m].kind);
    expect([...READ_METHODS, ...WRITE_METHODS].sort()).toEqual([...METHODS].sort());
    for (const m of READ_METHODS) expect(isReadMethod(m)).toBe(true);
    for (const m of WRITE_METHODS) expect(isReadMethod(m)).toBe(false);
    // What changes the store is never a read.
    for (const m of METHODS.filter((x) => /^(add|update|remove|import|activate|convert|install|accept|qlm(Create|Update|Renew)|webitel(Import|Logout))/.test(x))) expect(WRITE_METHODS, m).toContain(m);
  });

  it('loads no service, no vendor client and no package but zod: the renderer imports it', () => {
    // Beside the slices, only the pure rules the page shows exactly as the CLI does (named one by one).
    // The QueueMetrics address rule reads URLs with the vendor kit's address rules (pure text, no transport).
    const sharedRules = [
      'electron/core/vendors/webitel/rules.ts',
      'electron/core/vendors/queuemetrics/url.ts',
      'electron/core/net/kit/vendor-url.ts',
      // The endpoint split as the transport takes it: plain data from a parsed URL, no imports.
      'electron/core/net/http-target.ts',
      'electron/core/net/excerpt.ts',
      'electron/core/errors.ts',
      // The vendor and kind names the store schema validates against: plain data, no imports.
      'electron/core/vendor-names.ts',
    ];
    const loaded = [...runtimeImports(path.join(ROOT, 'electron/core/api/contract.ts'))];
    expect(loaded.filter((f) => f.startsWith('package:'))).toEqual(['package:zod']);
    const allowed = /^electron\/core\/(api\/(contract|define|fields|[a-z]+\.contract)\.ts|store\/schema\.ts|vendors\/[a-z]+\/([a-z]+\.contract|license-models)\.ts)$/;
    expect(loaded.filter((f) => !f.startsWith('package:') && !allowed.test(f) && !sharedRules.includes(f))).toEqual([]);
  });

  it('qlmCreate and qlmUpdate take every QLM license model, and refuse another with the same words', () => {
    expect(QLM_LICENSE_MODELS).toHaveLength(9);
    for (const method of ['qlmCreate', 'qlmUpdate'] as const) {
      const base = method === 'qlmCreate' ? { expiry: { days: 30 } } : { key: 'AV-1' };
      for (const licenseModel of QLM_LICENSE_MODELS) expect(contract[method].input.safeParse({ ...base, licenseModel }).success, `${method} ${licenseModel}`).toBe(true);
      const bad = contract[method].input.safeParse({ ...base, licenseModel: 'forever' });
      expect(bad.error?.issues[0]).toMatchObject({ path: ['licenseModel'], message: 'must be permanent, trial or subscription (optionally _cloud or _floating)' });
    }
  });
});
