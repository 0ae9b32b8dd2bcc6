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
  /** The secrets the keychain has answered with (null: none stored), by account. */
  readonly #known = new Map<string, string | null>();
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
      p.then(
        (value) => this.#known.set(key, value),
        () => {}, // a keychain failure reaches whoever awaits get(); nothing becomes known
      );
    }
    return p;
  }
  /** The secret if the keychain has already answered for this owner (null: none stored), else undefined. */
  known(owner: SecretOwner): string | null | undefined {
    return this.#known.get(accountName(owner));
  }
}

/** The endpoint of a stored instance, given its secret as the keychain answered (null: none stored). */
function endpointWith(ctx: Context, instance: Instance, owner: SecretOwner | null, value: string | null | undefined): VendorEndpoint {
  if (owner && value == null) throw new KeyfleetError('SECRET_MISSING', `instance ${instance.name}: its secret is not in the OS keychain; set it again`);
  const endpoint: VendorEndpoint = { http: ctx.http, baseUrl: instance.url };
  if (instance.user) endpoint.user = instance.user;
  if (owner && value != null) endpoint.secret = value;
  if (instance.pinSha256) endpoint.pinSha256 = instance.pinSha256;
  return endpoint;
}

function checkKind(instance: Instance, driver: InstanceDriver<InstanceReading, unknown>): void {
  if (instance.kind !== driver.kind) throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is a ${instance.kind} instance, not ${driver.kind}`);
}

/** A client for a stored instance of the driver's kind, its secret fetched from the keychain now. */
export async function instanceClient<Client>(ctx: Context, instance: Instance, driver: InstanceDriver<InstanceReading, Client>, secrets?: SecretCache): Promise<Client> {
  checkKind(instance, driver);
  const owner = instanceSecretOwner(instance);
  const value = owner ? await (secrets ? secrets.get(owner) : ctx.vault.get(owner)) : undefined;
  return driver.createClient(endpointWith(ctx, instance, owner, value));
}

/**
 * The same client at once, without waiting on anything, when the instance needs no secret or the
 * bulk job's cache already holds it; undefined when the keychain must be asked first. A refresh
 * asks for thousands of clients over a few credentials: all but the first of each need no wait.
 */
export function knownInstanceClient<Client>(ctx: Context, instance: Instance, driver: InstanceDriver<InstanceReading, Client>, secrets: SecretCache): Client | undefined {
  checkKind(instance, driver);
  const owner = instanceSecretOwner(instance);
  const value = owner ? secrets.known(owner) : undefined;
  if (owner && value === undefined) return undefined;
  return driver.createClient(endpointWith(ctx, instance, owner, value));
}
