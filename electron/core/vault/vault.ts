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

/**
 * Why the Secret Service could not be used, and what to do, for the situation at hand: cron, ssh
 * and system services have no session bus at all; a desktop session has one, maybe without an
 * unlocked keyring on it.
 */
function linuxKeychainProblem(env: NodeJS.ProcessEnv): string {
  const userBus = `/run/user/${process.getuid?.() ?? 'UID'}/bus`;
  const headless =
    'on a machine where nobody is logged in, run keyfleet inside `dbus-run-session` after unlocking a keyring with `gnome-keyring-daemon --unlock --components=secrets` (see "Cron and headless use" in docs/cli.md)';
  if (!env.DBUS_SESSION_BUS_ADDRESS) {
    return (
      'there is no D-Bus session bus to reach the Secret Service on (DBUS_SESSION_BUS_ADDRESS is not set, as under cron, ssh or a system service). ' +
      `To use the keychain of your desktop session while you are logged in, set DBUS_SESSION_BUS_ADDRESS=unix:path=${userBus}; ${headless}`
    );
  }
  return (
    `no unlocked Secret Service answered on the session bus ${env.DBUS_SESSION_BUS_ADDRESS}. ` +
    `Log in to the desktop (which unlocks the login keyring), or start and unlock gnome-keyring or KeePassXC's Secret Service on that bus; ${headless}`
  );
}

function unavailable(cause: unknown, env: NodeJS.ProcessEnv = process.env): KeyfleetError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const what =
    process.platform === 'linux'
      ? linuxKeychainProblem(env)
      : process.platform === 'darwin'
        ? 'the macOS Keychain could not be opened'
        : 'the Windows Credential Manager could not be opened';
  return new KeyfleetError('KEYCHAIN_UNAVAILABLE', `no OS keychain available: ${what} (${detail}). Keyfleet never stores secrets in plain files.`, undefined, {
    cause,
  });
}

let keyring: Promise<typeof import('@napi-rs/keyring')> | undefined;

/**
 * The binding, through require(): import() of a CommonJS module first scans its source for the
 * names it exports (~15 ms of every CLI start that reads a secret). Where this code is bundled as
 * CommonJS without import.meta.url, import() is what is left (the bundler turns it into require).
 */
function loadKeyring(): Promise<typeof import('@napi-rs/keyring')> {
  const here: string | undefined = import.meta.url;
  if (!here) return import('@napi-rs/keyring');
  const { createRequire } = process.getBuiltinModule('node:module');
  return Promise.resolve().then(() => createRequire(here)('@napi-rs/keyring') as typeof import('@napi-rs/keyring'));
}

/** The OS keychain through @napi-rs/keyring. */
export class KeyringVault implements Vault {
  readonly service: string;

  constructor(service: string = keychainService()) {
    this.service = service;
  }

  async #entry(owner: SecretOwner): Promise<Entry> {
    // Loaded on first use: commands that never touch a secret do not load the native binding.
    keyring ??= loadKeyring();
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
