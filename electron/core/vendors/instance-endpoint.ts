import type { Context } from '../context.ts';
import type { Instance } from '../store/schema.ts';
import type { VendorEndpoint } from './types.ts';
import type { InstanceDriver, InstanceReading } from './instance-driver.ts';
import { KeyfleetError } from '../errors.ts';
import { instanceSecretOwner } from '../services/instances.ts';
import type { SecretOwner } from '../vault/vault.ts';
import { accountName } from '../vault/vault.ts';

/**
 * Builds vendor clients for stored instances, fetching the secret from the keychain at the last
 * moment. A bulk job passes a SecretCache so a shared credential is read from the keychain once,
 * not once per instance.
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

/** A client for a stored instance of the driver's kind, its secret fetched from the keychain now. */
export async function instanceClient<Client>(ctx: Context, instance: Instance, driver: InstanceDriver<InstanceReading, Client>, secrets?: SecretCache): Promise<Client> {
  if (instance.kind !== driver.kind) throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is a ${instance.kind} instance, not ${driver.kind}`);
  return driver.createClient(await endpointFor(ctx, instance, secrets));
}
