import type { Context } from '../../context.ts';
import type { KeySource } from '../../store/schema.ts';
import { KeyfleetError } from '../../errors.ts';
import { QlmClient } from './client.ts';

/** The QLM License Server behind a stored key source, its password (is_pwd) fetched from the keychain now. */
export async function qlmClient(ctx: Context, source: KeySource): Promise<QlmClient> {
  if (source.kind !== 'qlm') throw new KeyfleetError('BAD_INPUT', `key source ${source.name} is not a QLM License Server`);
  const secret = await ctx.vault.get({ type: 'source', id: source.id });
  if (secret === null) throw new KeyfleetError('SECRET_MISSING', `key source ${source.name}: its password (is_pwd) is not in the OS keychain; set it again`);
  return new QlmClient({
    http: ctx.http,
    baseUrl: source.url,
    vendor: source.vendor ?? '',
    user: source.user ?? '',
    secret,
    ...(source.pinSha256 ? { pinSha256: source.pinSha256 } : {}),
    ...(source.dateFormat ? { dateFormat: source.dateFormat } : {}),
  });
}
