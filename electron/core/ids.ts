import crypto from 'node:crypto';

/** Short, URL-safe, sortable-enough ids: a prefix saying what it is plus 12 random chars. */
export function newId(prefix: 'cl' | 'in' | 'src' | 'cr' | 'ppk' | 'lic' | 'op' | 'job'): string {
  return `${prefix}_${crypto.randomBytes(9).toString('base64url')}`;
}
