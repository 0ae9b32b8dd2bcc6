import { AppShell } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppHeader } from './app/AppHeader.tsx';
import { AppNavbar } from './app/AppNavbar.tsx';
import { CommandPalette } from './app/CommandPalette.tsx';
import { DialogHost } from './app/DialogHost.tsx';
import { PageView } from './app/PageView.tsx';
import { NAV_ITEMS, type DialogRequest, type Route } from './app/routes.ts';
import { AppContext, type AppApi } from './app/useApp.ts';
import { useCommands } from './app/useCommands.ts';
import { onEvent } from './shared/api/bridge.ts';
import { createQueryClient } from './shared/api/queries.ts';
// The page layout, and the cards and panels every feature draws in.
import './app/shell.css';
import './shared/ui/panels.css';

/** The shell: navigation, header, the current page, the palette and every dialog. */
export function App({ initialRoute = { page: 'dashboard' } }: { initialRoute?: Route }) {
  const [queryClient] = useState(createQueryClient);
  const [route, setRoute] = useState<Route>(initialRoute);
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const [paletteOpen, setPaletteOpen] = useState(false);

  const navigate = useCallback((next: Route) => setRoute(next), []);
  const openDialog = useCallback((request: DialogRequest) => setDialog(request), []);
  const openPalette = useCallback(() => setPaletteOpen(true), []);
  const api = useMemo<AppApi>(() => ({ route, navigate, openDialog, openPalette }), [route, navigate, openDialog, openPalette]);

  // The main process says when the store changed (a write from the CLI, the scheduler, a job's
  // batch): every answer on screen is refetched. A license opened from a notification is read fresh.
  useEffect(() => {
    const offStore = onEvent('storeChanged', () => void queryClient.invalidateQueries());
    const offLicense = onEvent('openLicense', ({ licenseId }) => {
      void queryClient.invalidateQueries({ queryKey: ['listLicenses'] });
      setRoute({ page: 'licenses', licenseId });
    });
    return () => {
      offStore();
      offLicense();
    };
  }, [queryClient]);

  // Modifier shortcuts work from inside inputs too; "?" is left to people typing in a field.
  useHotkeys(
    [
      ['mod+K', () => setPaletteOpen((o) => !o)],
      ['mod+shift+R', () => setDialog({ kind: 'refresh', label: 'all instances' })],
      ...NAV_ITEMS.map((n, i) => [`mod+${i + 1}`, () => setRoute({ page: n.id })] as [string, () => void]),
    ],
    [],
  );
  useHotkeys([['shift+?', () => setDialog({ kind: 'shortcuts' })]]);

  return (
    <QueryClientProvider client={queryClient}>
      <AppContext.Provider value={api}>
        <AppShell header={{ height: 48 }} navbar={{ width: 212, breakpoint: 0 }} padding={0} className="kf-shell">
          <AppShell.Header>
            <AppHeader />
          </AppShell.Header>
          <AppShell.Navbar>
            <AppNavbar />
          </AppShell.Navbar>
          <AppShell.Main className="kf-main">
            <PageView route={route} />
          </AppShell.Main>
        </AppShell>
        <PaletteHost opened={paletteOpen} onClose={() => setPaletteOpen(false)} />
        <DialogHost request={dialog} onClose={() => setDialog(null)} />
      </AppContext.Provider>
    </QueryClientProvider>
  );
}

function PaletteHost({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const commands = useCommands();
  return <CommandPalette opened={opened} onClose={onClose} commands={commands} />;
}
