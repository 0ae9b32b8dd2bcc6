import { z } from 'zod';
import type { KeySource } from '../store/schema.ts';
import { SOURCE_KINDS } from '../store/schema.ts';
import { read, write } from './define.ts';
import { email, empty, fingerprint, name, optionalText, ref, secret, serverUrl } from './fields.ts';

/** Key sources: accounts on the vendors' key-issuing servers. */

export type SourceView = KeySource;

export const SourceInputSchema = z.strictObject({
  name,
  kind: z.enum(SOURCE_KINDS),
  url: serverUrl,
  email: email.optional(),
  vendor: optionalText(200),
  user: optionalText(200),
  secret: secret.optional(),
  productDefaults: z.strictObject({ productId: z.number().int(), major: z.number().int(), minor: z.number().int() }).optional(),
  dateFormat: optionalText(40),
  pinSha256: fingerprint.optional(),
});

export const sourcesContract = {
  listSources: read<SourceView[]>()(empty),
  addSource: write<SourceView>()(SourceInputSchema),
  updateSource: write<SourceView>()(
    z.strictObject({
      ref,
      // An empty e-mail or fingerprint clears it.
      patch: SourceInputSchema.omit({ kind: true }).partial().extend({ email: email.or(z.literal('')).optional(), pinSha256: fingerprint.or(z.literal('')).optional() }),
    }),
  ),
  removeSource: write<{ removed: true }>()(z.strictObject({ ref })),
  testSource: read<{ ok: true; summary: string; skewMs: number | null }>()(z.strictObject({ ref })),
} as const;
