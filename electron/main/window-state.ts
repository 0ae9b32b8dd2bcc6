import { ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import { z } from 'zod';

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const WINDOW_STATE_NAME = 'window-state';

/**
 * Where the window was on this machine. It is not fleet data: it lives in its own small file
 * beside the store (electron-store, validated by the JSON Schema of WindowStateSchema), so
 * closing the window never rewrites a fleet of thousands, and the CLI never sees it.
 */
export class WindowStateFile {
  readonly #store: ElectronStore<{ window?: WindowState }>;

  constructor(dir: string) {
    const { $schema: _ignored, ...windowSchema } = z.toJSONSchema(WindowStateSchema) as Record<string, unknown>;
    this.#store = new ElectronStore<{ window?: WindowState }>({
      cwd: dir,
      name: WINDOW_STATE_NAME,
      schema: { window: windowSchema },
      // A damaged window-state file costs a window placed by default, nothing more.
      clearInvalidConfig: true,
      watch: false,
    } as ConstructorParameters<typeof ElectronStore<{ window?: WindowState }>>[0]);
    // electron-store answers a synchronous IPC channel for renderers that use it directly;
    // ours never does, and every channel the page can reach must be a contract method.
    ipcMain.removeAllListeners('electron-store-get-data');
  }

  get(): WindowState | undefined {
    const parsed = WindowStateSchema.safeParse(this.#store.get('window'));
    return parsed.success ? parsed.data : undefined;
  }

  set(state: WindowState): void {
    this.#store.set('window', WindowStateSchema.parse(state));
  }
}
