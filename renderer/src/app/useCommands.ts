import { useMantineColorScheme } from '@mantine/core';
import { useMemo } from 'react';
import type { Command } from './CommandPalette.tsx';
import { NAV_ICONS } from './navIcons.ts';
import { NAV_ITEMS } from './routes.ts';
import { useApp } from './useApp.ts';
import { useApiQuery } from '../shared/api/queries.ts';

/** Every navigation and action the palette offers, plus one entry per instance. */
export function useCommands(): Command[] {
  const { navigate, openDialog } = useApp();
  const { setColorScheme } = useMantineColorScheme();
  const instances = useApiQuery('listInstances', {});

  return useMemo(() => {
    const nav: Command[] = NAV_ITEMS.map((n) => ({
      id: `go-${n.id}`,
      label: n.label,
      group: 'Go to',
      icon: NAV_ICONS[n.id] ?? 'command',
      keywords: `go page open ${n.id}`,
      shortcut: n.shortcut,
      run: () => navigate({ page: n.id }),
    }));
    const actions: Command[] = [
      { id: 'add-client', label: 'Add client…', group: 'Actions', icon: 'plus', keywords: 'new customer firm', run: () => openDialog({ kind: 'addClient' }) },
      { id: 'add-instance', label: 'Add instance…', group: 'Actions', icon: 'plus', keywords: 'new server queuemetrics isymphony webitel', run: () => openDialog({ kind: 'addInstance' }) },
      { id: 'import-instances', label: 'Import instances from CSV…', group: 'Actions', icon: 'upload', keywords: 'csv bulk', run: () => openDialog({ kind: 'importInstancesCsv' }) },
      { id: 'import-ppks', label: 'Import PPKs…', group: 'Actions', icon: 'upload', keywords: 'paste pre-purchased keys stock loway', run: () => openDialog({ kind: 'importPpks' }) },
      { id: 'activate-ppk', label: 'Activate PPK on an instance…', group: 'Actions', icon: 'bolt', keywords: 'queuemetrics install key', run: () => openDialog({ kind: 'activatePpk' }) },
      { id: 'add-source', label: 'Add key source…', group: 'Actions', icon: 'key', keywords: 'loway key server qlm account', run: () => openDialog({ kind: 'addSource' }) },
      { id: 'qlm-create', label: 'Create QLM keys…', group: 'Actions', icon: 'key', keywords: 'quick license manager soraco new', run: () => openDialog({ kind: 'qlmCreate' }) },
      { id: 'qlm-update', label: 'Update a QLM key…', group: 'Actions', icon: 'edit', keywords: 'quick license manager features expiry revoke', run: () => openDialog({ kind: 'qlmUpdate' }) },
      { id: 'qlm-validate', label: 'Check a QLM key status…', group: 'Actions', icon: 'info', keywords: 'validate quick license manager', run: () => openDialog({ kind: 'qlmValidate' }) },
      { id: 'refresh-all', label: 'Refresh all instances', group: 'Actions', icon: 'refresh', keywords: 'check read licenses now', shortcut: 'mod+shift+R', run: () => openDialog({ kind: 'refresh', label: 'all instances' }) },
      { id: 'export-licenses', label: 'Export licenses…', group: 'Actions', icon: 'download', keywords: 'csv json save', run: () => openDialog({ kind: 'export', what: 'licenses' }) },
      { id: 'export-history', label: 'Export history…', group: 'Actions', icon: 'download', keywords: 'events log csv json', run: () => openDialog({ kind: 'export', what: 'history' }) },
      { id: 'export-calendar', label: 'Export expiry calendar (.ics)', group: 'Actions', icon: 'calendar', keywords: 'ical reminders', run: () => openDialog({ kind: 'export', what: 'calendar' }) },
      { id: 'shortcuts', label: 'Keyboard shortcuts', group: 'Help', icon: 'keyboard', keywords: 'keys help', shortcut: 'shift+?', run: () => openDialog({ kind: 'shortcuts' }) },
      { id: 'theme-auto', label: 'Theme: follow the OS', group: 'Appearance', icon: 'sun', keywords: 'color scheme auto system', run: () => setColorScheme('auto') },
      { id: 'theme-light', label: 'Theme: light', group: 'Appearance', icon: 'sun', keywords: 'color scheme', run: () => setColorScheme('light') },
      { id: 'theme-dark', label: 'Theme: dark', group: 'Appearance', icon: 'moon', keywords: 'color scheme night', run: () => setColorScheme('dark') },
    ];
    const perInstance: Command[] = (instances.data ?? []).map((i) => ({
      id: `instance-${i.id}`,
      label: `Open ${i.name}`,
      group: 'Instances',
      icon: 'instances',
      keywords: `${i.kind} ${i.client ?? ''} ${i.url} ${i.tags.join(' ')}`,
      run: () => navigate({ page: 'instance', instanceId: i.id }),
    }));
    return [...nav, ...actions, ...perInstance];
  }, [navigate, openDialog, setColorScheme, instances.data]);
}
