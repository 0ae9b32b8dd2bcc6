import { expect } from 'vitest';
import { KeyfleetError } from '../../electron/core/errors.ts';

/** Runs fn and checks it throws a KeyfleetError with this code and a message matching. */
export function expectKeyfleetError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    expect((e as KeyfleetError).code).toBe(code);
    expect((e as KeyfleetError).message).toMatch(message);
    return;
  }
  throw new Error('expected a KeyfleetError');
}

/** The KeyfleetError a promise rejects with; a promise that fulfils fails the test. */
export async function rejection(p: Promise<unknown>): Promise<KeyfleetError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    return e as KeyfleetError;
  }
  throw new Error('expected a rejection');
}
