import type { Entry } from '@napi-rs/keyring';
import { KeyfleetError } from '../errors.ts';

/**
 * Secrets (instance passwords, API tokens, QLM is_pwd) live only here. The store records
 * which items have a secret; the values never leave this module except to the vendor client
 * that needs them for one call.
 */
export type SecretOwner = { type: 'instance' | 'source' | 'credential'; id: string };

export interface Vault {
  set(owner: SecretOwner, secret: string): Promise<void>;
  get(owner: SecretOwner): Promise<string | null>;
  delete(owner: SecretOwner): Promise<boolean>;
}

export const DEFAULT_KEYCHAIN_SERVICE = 'keyfleet';

export function keychainService(env: NodeJS.ProcessEnv = process.env): string {
  return env.KEYFLEET_KEYCHAIN_SERVICE?.trim() || DEFAULT_KEYCHAIN_SERVICE;
}

export function accountName(owner: SecretOwner): string {
  return `${owner.type}:${owner.id}`;
}

function unavailable(cause: unknown): KeyfleetError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const what =
    process.platform === 'linux'
      ? 'no Secret Service is reachable on D-Bus (install and unlock gnome-keyring or KeePassXC with Secret Service, and run inside a desktop session)'
      : process.platform === 'darwin'
        ? 'the macOS Keychain could not be opened'
        : 'the Windows Credential Manager could not be opened';
  return new KeyfleetError('KEYCHAIN_UNAVAILABLE', `no OS keychain available: ${what} (${detail}). Keyfleet never stores secrets in plain files.`, undefined, {
    cause,
  });
}

let keyring: Promise<typeof import('@napi-rs/keyring')> | undefined;

/** The OS keychain through @napi-rs/keyring. */
export class KeyringVault implements Vault {
  readonly service: string;

  constructor(service: string = keychainService()) {
    this.service = service;
  }

  async #entry(owner: SecretOwner): Promise<Entry> {
    // Loaded on first use: commands that never touch a secret do not load the native binding.
    keyring ??= import('@napi-rs/keyring');
    const { Entry } = await keyring;
    // On Linux the library would fall back to the kernel keyring, which forgets everything at
    // logout; pin the Secret Service so a missing keychain is an error, not a silent loss.
    return new Entry(this.service, accountName(owner), { linux: { store: 'secret-service' } });
  }

  async set(owner: SecretOwner, secret: string): Promise<void> {
    if (secret.length === 0) throw new KeyfleetError('BAD_INPUT', 'the secret is empty');
    try {
      (await this.#entry(owner)).setPassword(secret);
    } catch (e) {
      throw unavailable(e);
    }
  }

  async get(owner: SecretOwner): Promise<string | null> {
    let bytes: number[] | null;
    try {
      // getSecret throws when the store cannot be read; getPassword would answer null.
      bytes = (await this.#entry(owner)).getSecret();
    } catch (e) {
      throw unavailable(e);
    }
    return bytes === null ? null : Buffer.from(bytes).toString('utf8');
  }

  async delete(owner: SecretOwner): Promise<boolean> {
    try {
      return (await this.#entry(owner)).deleteCredential();
    } catch (e) {
      throw unavailable(e);
    }
  }
}

/** In-memory vault for tests of code that merely passes secrets along. */
export class MemoryVault implements Vault {
  readonly items = new Map<string, string>();
  async set(owner: SecretOwner, secret: string): Promise<void> {
    if (secret.length === 0) throw new KeyfleetError('BAD_INPUT', 'the secret is empty');
    this.items.set(accountName(owner), secret);
  }
  async get(owner: SecretOwner): Promise<string | null> {
    return this.items.get(accountName(owner)) ?? null;
  }
  async delete(owner: SecretOwner): Promise<boolean> {
    return this.items.delete(accountName(owner));
  }
}
