import type { Context } from '../../context.ts';
import type { KeySource } from '../../store/schema.ts';
import { KeyfleetError } from '../../errors.ts';
import { withPin } from '../../net/http.ts';
import { LowayKeyServer } from './loway.ts';

/** The Loway key server behind a stored key source (it needs no secret: the PPK is the credential). */
export function lowayKeyServer(ctx: Context, source: KeySource): LowayKeyServer {
  if (source.kind !== 'loway-keyserver') throw new KeyfleetError('BAD_INPUT', `key source ${source.name} is not a Loway key server`);
  return new LowayKeyServer({ http: withPin(ctx.http, source.pinSha256), activationUrl: source.url, now: ctx.now });
}
