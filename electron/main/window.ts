import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, Rectangle } from 'electron';
import type { WindowState } from './window-state.ts';

/** The only webPreferences Keyfleet ever uses: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // Middle-click would otherwise try to open a new window (denied anyway by the open handler).
    disableBlinkFeatures: 'Auxclick',
    spellcheck: false,
  };
}

/** Restore a saved position only if it is still on one of the displays. */
export function restoreBounds(saved: WindowState | undefined, displays: Rectangle[]): Partial<Rectangle> & { width: number; height: number } {
  const fallback = { width: 1280, height: 820 };
  if (!saved) return fallback;
  const width = Math.max(800, saved.width);
  const height = Math.max(560, saved.height);
  if (saved.x === undefined || saved.y === undefined) return { width, height };
  const visible = displays.some((d) => saved.x! < d.x + d.width - 100 && saved.x! + width > d.x + 100 && saved.y! >= d.y - 10 && saved.y! < d.y + d.height - 100);
  return visible ? { x: saved.x, y: saved.y, width, height } : { width, height };
}

export function windowOptions(preloadPath: string, bounds: Partial<Rectangle> & { width: number; height: number }, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Keyfleet',
    backgroundColor: '#1a1b1e',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export function captureWindowState(win: BrowserWindowType): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}
