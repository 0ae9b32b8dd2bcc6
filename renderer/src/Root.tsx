import { MantineProvider } from '@mantine/core';
import { App } from './App.tsx';
import { theme } from './theme.ts';

/** The app inside its theme; the colour scheme follows the OS unless the user picks one. */
export function Root() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <App />
    </MantineProvider>
  );
}
