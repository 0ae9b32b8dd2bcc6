import { createContext, useContext } from 'react';
import type { DialogRequest, Route } from './routes.ts';

export interface AppApi {
  route: Route;
  navigate: (route: Route) => void;
  openDialog: (request: DialogRequest) => void;
  openPalette: () => void;
}

export const AppContext = createContext<AppApi | null>(null);

export function useApp(): AppApi {
  const api = useContext(AppContext);
  if (!api) throw new Error('useApp outside <App>');
  return api;
}
