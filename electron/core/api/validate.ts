import type { z } from 'zod';
import { KeyfleetError } from '../errors.ts';

/** Parse with a contract schema; a failure is BAD_INPUT naming the fields. */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown, what = 'input'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : what}: ${i.message}`)
    .join('; ');
  throw new KeyfleetError('BAD_INPUT', message);
}
