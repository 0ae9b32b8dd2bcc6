import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOWAY_KEY_MAX_LENGTH, LOWAY_KEY_MIN_LENGTH, LowayKeyServer, parseLowayResponse } from '../../../electron/core/vendors/queuemetrics/loway.ts';
import { ASYNC_TIMEOUT_MS, SEED_RUNS, answeringServer, expectCleanError, httpStatus, isInstant, isRealDate, mutated, pathological, timed, transport } from '../../helpers/properties.ts';
import { expectGuardedError, longInputsFinishInLinearTime } from '../../helpers/parser-worker.ts';

/** Property tests of Loway key-server answers, parsed alone and through the client over real HTTP. */

const server = answeringServer();

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
const lowayDate = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const lowayKey = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{18,120}[A-Z0-9]$/);
const validLoway = fc
  .record({
    key: lowayKey,
    d: lowayDate,
    i: lowayDate,
    x: lowayDate,
    eol: fc.constantFrom('\n', '\r\n'),
    extra: fc.array(fc.constantFrom('M:R', 'U:1234', 'Z:', 'comment without colon'), { maxLength: 3 }),
    bom: fc.boolean(),
    shuffle: fc.boolean(),
  })
  .map((r) => {
    const fields = [`D:${stamp(r.d)}`, `K:${r.key}`, `I:${stamp(r.i)}`, `X:${r.x.toISOString().slice(0, 10)}`, ...r.extra];
    if (r.shuffle) fields.reverse();
    return { ...r, text: `${r.bom ? '\uFEFF' : ''}S:OK${r.eol}${fields.join(r.eol)}${r.eol}` };
  });
const LOWAY_TOKENS = ['S:OK', 'S:KO - Key not found', 'K:', 'D:', 'I:', 'X:', '\n', '\r', ' ', '\t', 'n/a', '2011-02-30', '0000-00-00 00:00:00', ':'];
const anyLowayText = fc.oneof(
  validLoway.map((v) => v.text),
  mutated(
    validLoway.map((v) => v.text),
    LOWAY_TOKENS,
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
const longLowayText = pathological([' ', '\t', 'S:OK\n', 'K:', 'x\n', ' \n', '<', '<a', 'D:'], ['', 'S:OK\n', 'S:OK\nK:', 'S:KO ', '<html>', 'S:OK\nD:']);

function checkLowayRecord(r: ReturnType<typeof parseLowayResponse>): void {
  expect(r.key.length).toBeGreaterThanOrEqual(LOWAY_KEY_MIN_LENGTH);
  expect(r.key.length).toBeLessThanOrEqual(LOWAY_KEY_MAX_LENGTH);
  expect(r.key).toMatch(/^\S+$/);
  expect(r.key.toLowerCase()).not.toBe('n/a');
  expect(isRealDate(r.expiresAt), r.expiresAt).toBe(true);
  expect(isInstant(r.serverTime), r.serverTime).toBe(true);
  expect(isInstant(r.issuedAt), r.issuedAt).toBe(true);
}

describe('Loway key-server answers (parseLowayResponse)', () => {
  it('a generated S:OK answer parses to exactly its values, in any year', () => {
    fc.assert(
      fc.property(validLoway, (v) => {
        const r = parseLowayResponse(v.text, 'ks.example');
        expect(r).toEqual({ key: v.key, serverTime: v.d.toISOString(), issuedAt: v.i.toISOString(), expiresAt: v.x.toISOString().slice(0, 10) });
      }),
      SEED_RUNS(400),
    );
  });

  it('random and mutated answers give a consistent conversion or BAD_RESPONSE / VENDOR_REFUSED', () => {
    fc.assert(
      fc.property(anyLowayText, (text) => {
        let r: ReturnType<typeof parseLowayResponse>;
        try {
          r = timed(() => parseLowayResponse(text, 'ks.example:8080'));
        } catch (e) {
          expectCleanError(e, ['BAD_RESPONSE', 'VENDOR_REFUSED'], 'key server ks.example:8080');
          return;
        }
        checkLowayRecord(r);
        // The values come from the text: the key is on a K: line, the expiry on an X: line (either case).
        const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim());
        expect(lines.some((l) => /^k:/i.test(l) && l.slice(2).trim() === r.key)).toBe(true);
        expect(lines.some((l) => /^x:/i.test(l) && l.slice(2).trim() === r.expiresAt)).toBe(true);
      }),
      SEED_RUNS(1_500),
    );
  });

  it('through the client: any status and bytes end in a conversion or a clean error', async () => {
    const client = new LowayKeyServer({ http: transport, activationUrl: `${server.url}/llm/licence_wsvc_gen.do`, timeoutMs: 2_000, retries: 0 });
    const body = fc.oneof(
      anyLowayText.filter((t) => t.length < 60_000).map((t) => Buffer.from(t, 'utf8')),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(httpStatus, body, async (status, bytes) => {
        server.answerWith(status, bytes, 'text/plain');
        try {
          checkLowayRecord(await client.convert({ ppk: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90', enduser: 'Acme', email: 'it@acme.example' }));
        } catch (e) {
          expectCleanError(e, ['BAD_RESPONSE', 'VENDOR_REFUSED', 'HTTP_STATUS', 'AUTH', 'DENIED'], new URL(server.url).host);
        }
      }),
      { numRuns: 200, timeout: ASYNC_TIMEOUT_MS },
    );
  });
});
longInputsFinishInLinearTime('parseLowayResponse', 'S:OK\n', 'Loway answers', longLowayText, (r) => {
  if (r.ok) checkLowayRecord(r.value as ReturnType<typeof parseLowayResponse>);
  else expectGuardedError(r, ['BAD_RESPONSE', 'VENDOR_REFUSED'], 'key server ks.example:8080');
});
