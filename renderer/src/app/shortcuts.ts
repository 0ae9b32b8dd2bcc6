/** "mod+shift+R" → "Ctrl+Shift+R" (or ⌘⇧R on macOS). */
export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

export function shortcutLabel(shortcut: string): string {
  const mac = isMac();
  return shortcut
    .split('+')
    .map((part) => {
      const p = part.toLowerCase();
      if (p === 'mod') return mac ? '⌘' : 'Ctrl';
      if (p === 'shift') return mac ? '⇧' : 'Shift';
      if (p === 'alt') return mac ? '⌥' : 'Alt';
      if (p === 'ctrl') return 'Ctrl';
      return part.length === 1 ? part.toUpperCase() : part[0]!.toUpperCase() + part.slice(1);
    })
    .join(mac ? '' : '+');
}

export const SHORTCUTS: Array<{ keys: string; what: string }> = [
  { keys: 'mod+K', what: 'Command palette' },
  { keys: 'mod+1 … mod+8', what: 'Go to Dashboard, Clients, Instances, Key stock, Licenses, History, Settings, Reconcile' },
  { keys: 'mod+shift+R', what: 'Refresh all instances' },
  { keys: '/', what: 'Focus the search box of the current list' },
  { keys: '↑ ↓ PageUp PageDown Home End', what: 'Move in a focused table' },
  { keys: 'Enter', what: 'Open the active row' },
  { keys: 'Space', what: 'Select the active row (Instances)' },
  { keys: 'shift+?', what: 'This list' },
];
