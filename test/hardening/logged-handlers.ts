import { createHandlers } from '../../electron/core/api/handlers.ts';
import type { Logger } from '../../electron/core/log.ts';
import { openContext } from '../../electron/core/open.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';

/**
 * The app's handlers over a data directory and the real keychain, every line the app logs kept
 * in `logged` (message and data), so a test can search the logs for what must never be there.
 */
export function handlersLoggingTo(dataDir: string, logged: string[]) {
  const keep = (message: string, data?: Record<string, unknown>) => logged.push(`${message} ${JSON.stringify(data ?? {})}`);
  const log: Logger = { info: keep, warn: keep, error: keep };
  const ctx = openContext({ dataDir, vault: new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE), log });
  return createHandlers(ctx, { version: 't' });
}
