import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import { App } from '../../renderer/src/App.tsx';
import type { Route } from '../../renderer/src/app/routes.ts';
import { theme } from '../../renderer/src/theme.ts';
import type { FakeBridge } from './fakeBridge.ts';

/** The whole app (shell, pages, dialogs) on top of a fake bridge; Mantine in test mode (no transitions or portals). */
export function renderApp(fake: FakeBridge, initialRoute?: Route) {
  window.keyfleet = fake.bridge;
  return render(
    <MantineProvider theme={theme} env="test">
      <App {...(initialRoute ? { initialRoute } : {})} />
    </MantineProvider>,
  );
}
