import { afterAll, beforeAll } from 'vitest';

interface Closable {
  close(): Promise<unknown>;
}

/**
 * The servers a describe block's tests talk to (simulators, the e2e harness): started together
 * before the block's own beforeAll hooks, closed after its tests, also those that did start when
 * another failed to. Call it in the describe body before the block's own hooks; read the fields
 * from tests and hooks, where they are set.
 */
export function serversForBlock<S extends Record<string, Closable>>(start: { [K in keyof S]: () => Promise<S[K]> }): S {
  const started: Partial<S> = {};
  const names = Object.keys(start) as Array<keyof S>;
  beforeAll(async () => {
    const results = await Promise.allSettled(names.map((name) => start[name]()));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') started[names[i]!] = result.value;
    });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });
  afterAll(async () => {
    // Only what this started: the caller may keep more on the same object (a page, say).
    await Promise.all(names.map((name) => started[name]?.close()));
  });
  return started as S;
}
