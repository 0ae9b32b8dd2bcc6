import { KeyfleetError } from '../errors.ts';

/**
 * Resolve what a person typed (an id or a name) to one stored item. Names match without
 * regard to case; an ambiguous or unknown reference is an error that names it.
 */
export function findByRef<T extends { id: string; name: string }>(items: readonly T[], ref: string, what: string): T {
  const exact = items.find((i) => i.id === ref);
  if (exact) return exact;
  const lower = ref.trim().toLowerCase();
  const byName = items.filter((i) => i.name.toLowerCase() === lower);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new KeyfleetError('CONFLICT', `${byName.length} ${what}s are named "${ref}"; use the id`);
  throw new KeyfleetError('NOT_FOUND', `no ${what} named "${ref}"`);
}

export function assertUniqueName(items: readonly { id: string; name: string }[], name: string, what: string, exceptId?: string): void {
  const lower = name.trim().toLowerCase();
  if (items.some((i) => i.id !== exceptId && i.name.toLowerCase() === lower)) {
    throw new KeyfleetError('CONFLICT', `a ${what} named "${name.trim()}" already exists`);
  }
}

/** Replace the item with the same id (immutable update). */
export function replaceById<T extends { id: string }>(items: readonly T[], next: T): T[] {
  return items.map((i) => (i.id === next.id ? next : i));
}
