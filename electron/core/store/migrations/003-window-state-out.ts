import type { Migration } from './index.ts';

/**
 * Version 3: the window's position and size leave the fleet store for the app's own small
 * window-state file (per machine, written by electron-store), so moving a window never rewrites
 * a fleet of thousands and the CLI never carries it.
 */
export const m003WindowStateOut: Migration = {
  version: 3,
  name: 'window-state-out',
  up(data) {
    const settings = typeof data.settings === 'object' && data.settings !== null ? (data.settings as Record<string, unknown>) : {};
    const { window: _window, ...rest } = settings;
    return { ...data, settings: rest, schemaVersion: 3 };
  },
};
