import { SourceInputSchema } from '../../../../electron/core/api/contract.ts';

// The contract's e-mail rule, the one main checks every e-mail field against.
const email = SourceInputSchema.shape.email.unwrap();

export function isEmail(text: string): boolean {
  return email.safeParse(text).success;
}
