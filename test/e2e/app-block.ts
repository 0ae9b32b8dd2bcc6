import type { Page } from 'playwright-core';
import { beforeAll } from 'vitest';
import { serversForBlock } from '../helpers/block-servers.ts';
import { startHarness, type Harness, type PageProblems } from './harness.ts';

export interface OpenApp {
  h: Harness;
  /** One page at the app, that the block's tests walk through in turn. */
  page: Page;
  problems: PageProblems;
}

/**
 * The usual set-up of an end-to-end block: the harness started together with the simulators its
 * tests talk to, `prepare` (data the page must find at its first load), then a page opened at the
 * app; all closed after the block. Read the fields from tests and hooks, where they are set.
 */
export function appForBlock<S extends Record<string, { close(): Promise<unknown> }>>(
  simulators: { [K in keyof S]: () => Promise<S[K]> },
  prepare?: (app: Omit<OpenApp, 'page' | 'problems'> & S) => Promise<void>,
): OpenApp & S {
  const app = serversForBlock<{ h: Harness } & S>({ h: () => startHarness(), ...simulators } as { [K in keyof ({ h: Harness } & S)]: () => Promise<({ h: Harness } & S)[K]> }) as OpenApp & S;
  beforeAll(async () => {
    await prepare?.(app);
    ({ page: app.page, problems: app.problems } = await app.h.newPage());
    await app.page.goto(app.h.url);
  });
  return app;
}
