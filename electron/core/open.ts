import os from 'node:os';
import path from 'node:path';
import { FleetStore } from './store/store.ts';
import { Journal, KEYS_JOURNAL_FILE } from './store/journal.ts';
import { recoverKeyReceipts } from './services/key-receipts.ts';
import { KeyringVault, type Vault } from './vault/vault.ts';
import { NodeHttpTransport, type HttpTransport } from './net/http.ts';
import { silentLogger, type Logger } from './log.ts';
import type { Context } from './context.ts';

/**
 * The desktop app's data directory, computed the way Electron's app.getPath('userData') does
 * for productName "Keyfleet", so the CLI finds the app's fleet without loading Electron.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Keyfleet');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Keyfleet');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Keyfleet');
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.KEYFLEET_HOME) return path.resolve(env.KEYFLEET_HOME);
  return defaultDataDir(env);
}

export interface OpenOptions {
  dataDir: string;
  vault?: Vault;
  http?: HttpTransport;
  log?: Logger;
  now?: () => Date;
  timeZone?: string;
  actor?: string;
}

export function openContext(opts: OpenOptions): Context {
  const now = opts.now ?? (() => new Date());
  let timeZone = opts.timeZone;
  const store = FleetStore.open(opts.dataDir);
  const ctx: Context = {
    dataDir: opts.dataDir,
    store,
    journal: new Journal(opts.dataDir, { actor: opts.actor ?? 'keyfleet', now }),
    keys: new Journal(opts.dataDir, { actor: opts.actor ?? 'keyfleet', now, file: KEYS_JOURNAL_FILE }),
    vault: opts.vault ?? new KeyringVault(),
    http: opts.http ?? new NodeHttpTransport(),
    log: opts.log ?? silentLogger,
    now,
    // Asked of ICU only when a command works with calendar dates: the first Intl.DateTimeFormat
    // loads the zone data, ~17 ms of CPU (and up to ~100 ms of a loaded machine) that a refresh
    // or a listing without dates would pay at every start.
    get timeZone() {
      timeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
      return timeZone;
    },
  };
  // A key received just before a crash is in the receipts journal but maybe not the store.
  recoverKeyReceipts(ctx);
  return ctx;
}
