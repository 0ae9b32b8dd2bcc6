import type { Context } from '../context.ts';
import type { Instance, KeySource } from '../store/schema.ts';
import type { VendorEndpoint } from './types.ts';
import { KeyfleetError } from '../errors.ts';
import { QueueMetricsClient } from './queuemetrics/client.ts';
import { ISymphonyClient } from './isymphony/client.ts';
import { WebitelClient } from './webitel/client.ts';
import { QlmClient } from './qlm/client.ts';
import { LowayKeyServer } from './queuemetrics/loway.ts';
import { instanceSecretOwner } from '../services/instances.ts';
import type { SecretOwner } from '../vault/vault.ts';
import { accountName } from '../vault/vault.ts';
import { withPin } from '../net/http.ts';

/**
 * Builds vendor clients for stored instances and key sources, fetching the secret from the
 * keychain at the last moment. A bulk job passes a SecretCache so a shared credential is read
 * from the keychain once, not once per instance.
 */
export class SecretCache {
  readonly #values = new Map<string, Promise<string | null>>();
  readonly #ctx: Context;
  constructor(ctx: Context) {
    this.#ctx = ctx;
  }
  get(owner: SecretOwner): Promise<string | null> {
    const key = accountName(owner);
    let p = this.#values.get(key);
    if (!p) {
      p = this.#ctx.vault.get(owner);
      this.#values.set(key, p);
    }
    return p;
  }
}

async function endpointFor(ctx: Context, instance: Instance, secrets?: SecretCache): Promise<VendorEndpoint> {
  const owner = instanceSecretOwner(instance);
  let secret: string | undefined;
  if (owner) {
    const value = await (secrets ? secrets.get(owner) : ctx.vault.get(owner));
    if (value === null) throw new KeyfleetError('SECRET_MISSING', `instance ${instance.name}: its secret is not in the OS keychain; set it again`);
    secret = value;
  }
  const endpoint: VendorEndpoint = { http: ctx.http, baseUrl: instance.url };
  if (instance.user) endpoint.user = instance.user;
  if (secret !== undefined) endpoint.secret = secret;
  if (instance.pinSha256) endpoint.pinSha256 = instance.pinSha256;
  return endpoint;
}

function requireKind(instance: Instance, kind: Instance['kind']): void {
  if (instance.kind !== kind) throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is a ${instance.kind} instance, not ${kind}`);
}

export async function queueMetricsClient(ctx: Context, instance: Instance, secrets?: SecretCache): Promise<QueueMetricsClient> {
  requireKind(instance, 'queuemetrics');
  return new QueueMetricsClient(await endpointFor(ctx, instance, secrets));
}

export async function iSymphonyClient(ctx: Context, instance: Instance, secrets?: SecretCache): Promise<ISymphonyClient> {
  requireKind(instance, 'isymphony');
  return new ISymphonyClient(await endpointFor(ctx, instance, secrets));
}

export async function webitelClient(ctx: Context, instance: Instance, secrets?: SecretCache): Promise<WebitelClient> {
  requireKind(instance, 'webitel');
  return new WebitelClient(await endpointFor(ctx, instance, secrets));
}

export function lowayKeyServer(ctx: Context, source: KeySource): LowayKeyServer {
  if (source.kind !== 'loway-keyserver') throw new KeyfleetError('BAD_INPUT', `key source ${source.name} is not a Loway key server`);
  return new LowayKeyServer({ http: withPin(ctx.http, source.pinSha256), activationUrl: source.url, now: ctx.now });
}

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
