import { describe, expect, it } from 'vitest';
import { assertUniqueName, findByRef, replaceById } from '../../electron/core/services/lookup.ts';

const items = [
  { id: 'cl_1', name: 'Acme' },
  { id: 'cl_2', name: 'Globex' },
  { id: 'cl_3', name: 'globex' },
];

describe('findByRef', () => {
  it('finds by id first, then by name ignoring case and surrounding blanks', () => {
    expect(findByRef(items, 'cl_2', 'client')).toBe(items[1]);
    expect(findByRef(items, '  ACME ', 'client')).toBe(items[0]);
  });

  it('an ambiguous name is CONFLICT and says to use the id; an unknown one is NOT_FOUND naming it', () => {
    expect(() => findByRef(items, 'GLOBEX', 'client')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: '2 clients are named "GLOBEX"; use the id' }));
    expect(() => findByRef(items, 'Initech', 'client')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'no client named "Initech"' }));
  });
});

describe('assertUniqueName', () => {
  it('refuses a name already taken (any case), except by the item being renamed', () => {
    expect(() => assertUniqueName(items, ' acme ', 'client')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'a client named "acme" already exists' }));
    expect(() => assertUniqueName(items, 'Acme', 'client', 'cl_1')).not.toThrow();
    expect(() => assertUniqueName(items, 'Initech', 'client')).not.toThrow();
  });
});

describe('replaceById', () => {
  it('returns a new array with the item of the same id replaced and the original untouched', () => {
    const next = replaceById(items, { id: 'cl_1', name: 'Acme Ltd' });
    expect(next.map((i) => i.name)).toEqual(['Acme Ltd', 'Globex', 'globex']);
    expect(items[0]!.name).toBe('Acme');
  });
});
