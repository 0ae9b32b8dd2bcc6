import { z } from 'zod';

const emailAddress = z.email();

/**
 * The one e-mail rule in core: zod's, the same one the API contract applies with `.email()`, so
 * an address the CLI, a CSV import or a vendor client accepts is one the app's forms accept too.
 */
export function isEmailAddress(text: string): boolean {
  return emailAddress.safeParse(text).success;
}
