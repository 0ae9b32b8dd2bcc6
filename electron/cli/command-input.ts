/**
 * What commands share to take their input: the secret option, and the contract's schemas, so a
 * command refuses exactly what the app refuses, with the same words. The schemas are loaded
 * only by the commands that validate, never by a listing or by --help.
 */
export const secretStdin = { 'secret-stdin': { type: 'boolean' } } as const;

export async function contractSchemas() {
  const [{ validateInput }, schemas] = await Promise.all([import('../core/api/validate.ts'), import('../core/api/contract.ts')]);
  return { validateInput, ...schemas };
}
