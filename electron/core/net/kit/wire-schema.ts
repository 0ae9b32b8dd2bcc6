import type { z } from 'zod';
import { KeyfleetError } from '../../errors.ts';

/** A zod issue path as a person reads it: `items[0].not_after`; `(the whole answer)` for the root. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(the whole answer)';
}

/**
 * A server's answer read through its schema, or BAD_RESPONSE naming the first bad field
 * (`details.field`). `where` says who answered ("Webitel pbx:443"), `what` which answer.
 */
export function parseWire<T>(schema: z.ZodType<T>, value: unknown, where: string, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? fieldPath(issue.path) : '(the whole answer)';
  throw new KeyfleetError('BAD_RESPONSE', `${where}: ${what} answered with a bad field ${field}: ${issue?.message ?? 'invalid'}`, { field });
}
