import { z } from 'zod';
import type { Credential } from '../store/schema.ts';
import { read, write } from './define.ts';
import { empty, name, optionalText, ref, secret } from './fields.ts';

/** Shared credentials: one keychain item many instances log in with. */
export const CredentialInputSchema = z.strictObject({ name, user: optionalText(200), secret });

export const credentialsContract = {
  listCredentials: read<Credential[]>()(empty),
  addCredential: write<Credential>()(CredentialInputSchema),
  removeCredential: write<{ removed: true }>()(z.strictObject({ ref })),
} as const;
