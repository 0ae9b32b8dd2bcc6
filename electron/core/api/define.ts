import type { z } from 'zod';

/**
 * How a contract method is declared: its input schema, its result type and whether it only
 * reads. `kind` is what the renderer's refetch-after-change and the method lists derive from,
 * so a new method cannot be left out of them.
 */
export type MethodKind = 'read' | 'write';

export interface MethodDef<I extends z.ZodType = z.ZodType, R = unknown, K extends MethodKind = MethodKind> {
  input: I;
  /** Only a type carrier: the value is never read. */
  result: R;
  kind: K;
}

/** One area's or one vendor's methods, by name. */
export type ContractSlice = Readonly<Record<string, MethodDef>>;

/** A method that changes nothing: calling it needs no refetch of what the window shows. */
export const read =
  <R>() =>
  <I extends z.ZodType>(input: I): MethodDef<I, R, 'read'> => ({ input, result: undefined as unknown as R, kind: 'read' });

/** A method that changes the store, a keychain item or a vendor server. */
export const write =
  <R>() =>
  <I extends z.ZodType>(input: I): MethodDef<I, R, 'write'> => ({ input, result: undefined as unknown as R, kind: 'write' });
