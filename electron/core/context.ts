import type { FleetStore } from './store/store.ts';
import type { Journal } from './store/journal.ts';
import type { Vault } from './vault/vault.ts';
import type { HttpTransport } from './net/http.ts';
import type { Logger } from './log.ts';

/**
 * Everything a service needs from the platform, passed in. The Electron main process, the CLI
 * and the tests each build one; nothing in core reaches for globals.
 */
export interface Context {
  dataDir: string;
  store: FleetStore;
  journal: Journal;
  /** Key receipts (fsync'd before a returned key is used), replayed into the store on open. */
  keys: Journal;
  vault: Vault;
  http: HttpTransport;
  log: Logger;
  now: () => Date;
  /** The user's IANA time zone; reminders compare calendar dates in it. */
  timeZone: string;
}
