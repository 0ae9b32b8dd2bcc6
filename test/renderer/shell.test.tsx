// @vitest-environment jsdom
import './setup.ts';
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBridge } from './fakeBridge.ts';
import { appInfo, client, dashboard, emptyFleet, license } from './fixtures.ts';
import { renderApp } from './render.tsx';

describe('shell', () => {
  it('shows a first-run guide whose buttons open the right dialogs', async () => {
    const fake = fakeBridge(emptyFleet);
    renderApp(fake);
    expect(await screen.findByRole('heading', { name: 'Welcome to Keyfleet' })).toBeInTheDocument();
    expect(screen.getByText('1. Add a client')).toBeInTheDocument();
    expect(screen.getByText('2. Add an instance')).toBeInTheDocument();
    expect(screen.getByText('3. Stock your keys')).toBeInTheDocument();
    for (const name of ['Add instance', 'Import CSV', 'Import PPKs', 'Add key source']) expect(screen.getByRole('button', { name })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Add client' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add client' });
    expect(within(dialog).getByRole('textbox', { name: /Name/ })).toHaveFocus();
  });

  it('navigates with the sidebar and with Ctrl+number shortcuts', async () => {
    const fake = fakeBridge({
      getDashboard: () => dashboard({ clients: 1, instances: 0 }),
      getAppInfo: () => appInfo,
      listLicenses: () => [],
      listInstances: () => [],
      listClients: () => [client('cl_1', 'Acme Contact Center')],
    });
    renderApp(fake);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('button', { name: /Dashboard/ })).toHaveAttribute('aria-current', 'page');

    await userEvent.click(within(nav).getByRole('button', { name: /Clients/ }));
    expect(await screen.findByRole('heading', { name: 'Clients' })).toBeInTheDocument();
    expect(await screen.findByText('Acme Contact Center')).toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: /Clients/ })).toHaveAttribute('aria-current', 'page');

    await userEvent.keyboard('{Control>}5{/Control}');
    expect(await screen.findByRole('heading', { name: 'Licenses' })).toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: /Licenses/ })).toHaveAttribute('aria-current', 'page');

    await userEvent.keyboard('{Control>}7{/Control}');
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
    // Settings read through methods this build does not have yet: the error says so where it happened.
    await waitFor(() => expect(screen.getAllByText('Not available in this build yet').length).toBeGreaterThan(0));
  });

  it('refetches when the main process says the store changed', async () => {
    let clients = [client('cl_1', 'Acme')];
    const fake = fakeBridge({ getDashboard: () => dashboard({ clients: clients.length }), getAppInfo: () => appInfo, listClients: () => clients, listInstances: () => [], listLicenses: () => [] });
    renderApp(fake, { page: 'clients' });
    expect(await screen.findByText('Acme')).toBeInTheDocument();
    clients = [...clients, client('cl_2', 'Globex')];
    fake.emit('storeChanged', { at: new Date().toISOString() });
    expect(await screen.findByText('Globex')).toBeInTheDocument();
  });

  it('opens the license a notification points at', async () => {
    const fake = fakeBridge({
      getDashboard: () => dashboard({ licenses: 2 }),
      getAppInfo: () => appInfo,
      listClients: () => [],
      listInstances: () => [],
      listLicenses: () => [license('l1', { client: 'Acme' }), license('l2', { client: 'Globex', daysLeft: 3 })],
    });
    renderApp(fake);
    await screen.findByRole('heading', { name: 'Dashboard' });
    act(() => fake.emit('openLicense', { licenseId: 'l1' }));
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(grid.querySelector('[data-row-id="l1"]')).toHaveAttribute('data-highlight', 'true'));
    expect(grid.querySelector('[data-row-id="l2"]')).not.toHaveAttribute('data-highlight');
  });
});
