import path from 'node:path';
import { ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import { STORE_FILE, STORE_NAME, storeConfOptions, type StoreBackend } from '../core/store/store.ts';
import type { StoreData } from '../core/store/schema.ts';

/** The desktop app writes the store through electron-store: same file and schema as the CLI's conf. */
export function electronStoreBackend(dir: string): StoreBackend {
  let store: ElectronStore<StoreData> | undefined;
  return {
    path: path.join(dir, STORE_FILE),
    write(data) {
      if (!store) {
        const { configName: _configName, projectName: _projectName, ...options } = storeConfOptions(dir);
        store = new ElectronStore<StoreData>({ ...options, name: STORE_NAME } as unknown as ConstructorParameters<typeof ElectronStore<StoreData>>[0]);
        // electron-store answers a synchronous IPC channel for renderers that use it directly;
        // ours never does, and every channel the page can reach must be a contract method.
        ipcMain.removeAllListeners('electron-store-get-data');
      }
      store.store = data;
    },
  };
}
