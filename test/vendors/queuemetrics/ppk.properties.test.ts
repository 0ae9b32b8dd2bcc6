import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyfleetError } from '../../../electron/core/errors.ts';
import { PPK_MAX_AGENTS, PPK_MAX_DAYS, PPK_MAX_SERVERS, parsePpk, parsePpkList } from '../../../electron/core/vendors/queuemetrics/ppk.ts';
import { SEED_RUNS, expectCleanError, mutated, pathological, timed } from '../../helpers/properties.ts';
import { expectGuardedError, longInputsFinishInLinearTime } from '../../helpers/parser-worker.ts';

/** Property tests of PPK strings: random and mutated text never crashes, never hangs, never yields an inconsistent record. */

const PPK_TOKENS = [':', '-', '/', 'QM', '0', '00', '100001', ' ', '\t', '\u00a0', '::', '//', 'é', '\u0000', '999999999999999999999'];

const ppkParts = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9._/-]{1,40}$/),
  product: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/),
  agents: fc.integer({ min: 1, max: PPK_MAX_AGENTS }),
  servers: fc.integer({ min: 1, max: PPK_MAX_SERVERS }),
  days: fc.integer({ min: 1, max: PPK_MAX_DAYS }),
  zeros: fc.constantFrom('', '0', '00'),
});
const validPpk = ppkParts.map((p) => ({ ...p, text: `${p.id}:${p.product}-${p.zeros}${p.agents}/${p.servers}/${p.days}` }));
const anyPpkText = fc.oneof(
  validPpk.map((p) => p.text),
  mutated(
    validPpk.map((p) => p.text),
    PPK_TOKENS,
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('A', 'q', '1', '0', ':', '-', '/', '.', '_', ' '), maxLength: 60 }),
);
const longPpkText = pathological(['/', '-', ':', 'A', '1', ' ', '\t', '0'], ['', 'X:', 'X:QM-', 'X:QM-1/1/']);

function checkPpkRecord(text: string, p: ReturnType<typeof parsePpk>): void {
  expect(p.ppk).toBe(text.trim());
  const m = /^([^:]+):([A-Za-z][A-Za-z0-9]*)-(\d+)\/(\d+)\/(\d+)$/.exec(p.ppk);
  expect(m, `re-serialisable: ${p.ppk}`).not.toBeNull();
  expect(m![1]).toBe(p.id);
  expect(m![2]!.toUpperCase()).toBe(p.product);
  expect([Number(m![3]), Number(m![4]), Number(m![5])]).toEqual([p.agents, p.servers, p.days]);
  for (const [n, max] of [
    [p.agents, PPK_MAX_AGENTS],
    [p.servers, PPK_MAX_SERVERS],
    [p.days, PPK_MAX_DAYS],
  ] as const) {
    expect(Number.isInteger(n) && n >= 1 && n <= max).toBe(true);
  }
  // The canonical form parses to the same license size.
  const again = parsePpk(`${p.id}:${p.product}-${p.agents}/${p.servers}/${p.days}`);
  expect([again.product, again.agents, again.servers, again.days]).toEqual([p.product, p.agents, p.servers, p.days]);
}

describe('PPK strings (parsePpk, parsePpkList)', () => {
  it('a generated valid PPK parses to exactly its parts', () => {
    fc.assert(
      fc.property(validPpk, (p) => {
        const parsed = parsePpk(p.text);
        expect(parsed).toEqual({ ppk: p.text, id: p.id, product: p.product.toUpperCase(), agents: p.agents, servers: p.servers, days: p.days });
      }),
      SEED_RUNS(400),
    );
  });

  it('any string either parses to a record consistent with it, or is refused with BAD_INPUT naming the PPK', () => {
    fc.assert(
      fc.property(anyPpkText, (text) => {
        let parsed: ReturnType<typeof parsePpk>;
        try {
          parsed = timed(() => parsePpk(text));
        } catch (e) {
          const err = expectCleanError(e, ['BAD_INPUT']);
          expect(err.message.startsWith('PPK ')).toBe(true);
          expect(err.details).toEqual({ field: 'ppk' });
          return;
        }
        checkPpkRecord(text, parsed);
      }),
      SEED_RUNS(1_500),
    );
  });

  it('a pasted list accounts for every distinct line exactly once', () => {
    const line = fc.oneof(anyPpkText.filter((t) => t.length < 300), fc.constantFrom('', '   '));
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(fc.array(fc.tuple(line, eol), { maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 5 }), (pairs, repeats) => {
        const lines = pairs.map(([l]) => l);
        for (const r of repeats) if (lines[r] !== undefined) lines.push(lines[r]!);
        const text = lines.map((l, i) => l + (pairs[i % Math.max(1, pairs.length)]?.[1] ?? '\n')).join('');
        const result = timed(() => parsePpkList(text));
        const distinct = [...new Set(text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean))];
        expect(result.valid.length + result.rejected.length).toBe(distinct.length);
        expect(new Set(result.duplicates).size).toBe(result.duplicates.length);
        for (const d of result.duplicates) expect(distinct).toContain(d);
        for (const v of result.valid) checkPpkRecord(v.ppk, v);
        for (const r of result.rejected) {
          expect(r.reason).toMatch(/^PPK /);
          expect(() => parsePpk(r.ppk)).toThrow(KeyfleetError);
        }
      }),
      SEED_RUNS(300),
    );
  });
});
longInputsFinishInLinearTime('parsePpk', 'warm-up', 'PPK strings', longPpkText, (r, text) => {
  if (r.ok) checkPpkRecord(text, r.value as ReturnType<typeof parsePpk>);
  else expectGuardedError(r, ['BAD_INPUT'], 'PPK');
});
