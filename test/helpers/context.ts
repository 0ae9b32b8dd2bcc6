import { openContext, type OpenOptions } from '../../electron/core/open.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import type { Context } from '../../electron/core/context.ts';
import { tempDir } from './tmp.ts';

/**
 * A Context built in-process the way the CLI builds one: a fresh data directory and the real
 * keychain (the private one the vitest global setup starts), so services are tested against
 * real files and a real Secret Service without spawning the command.
 */
export function serviceContext(opts: Partial<OpenOptions> = {}): Context {
  return openContext({ dataDir: tempDir(), vault: new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE), ...opts });
}
