import path from 'node:path';
import { app, Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  open(): void;
  refreshAll(): void;
  quit(): void;
}

/** The tray icon: how many licenses are due within 7 days, and the few actions that matter. */
export class KeyfleetTray {
  #tray: Tray | null = null;
  readonly #actions: TrayActions;
  readonly #iconPath: string;

  constructor(iconPath: string, actions: TrayActions) {
    this.#iconPath = iconPath;
    this.#actions = actions;
  }

  show(dueSoon: number): void {
    if (!this.#tray) {
      this.#tray = new Tray(nativeImage.createFromPath(this.#iconPath).resize({ width: 16, height: 16 }));
      this.#tray.on('click', () => this.#actions.open());
      this.#tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Open Keyfleet', click: () => this.#actions.open() },
          { label: 'Refresh all instances', click: () => this.#actions.refreshAll() },
          { type: 'separator' },
          { label: 'Quit', click: () => this.#actions.quit() },
        ]),
      );
    }
    this.update(dueSoon);
  }

  update(dueSoon: number): void {
    const text = dueSoon === 0 ? 'Keyfleet — nothing due within 7 days' : `Keyfleet — ${dueSoon} license${dueSoon === 1 ? '' : 's'} due within 7 days`;
    this.#tray?.setToolTip(text);
    if (process.platform === 'darwin') this.#tray?.setTitle(dueSoon > 0 ? String(dueSoon) : '');
    app.setBadgeCount(dueSoon);
  }

  destroy(): void {
    this.#tray?.destroy();
    this.#tray = null;
  }
}

export function trayIconPath(resourcesPath: string, isPackaged: boolean): string {
  return isPackaged ? path.join(resourcesPath, 'icon.png') : path.join(__dirname, '../../build/icons/32x32.png');
}
