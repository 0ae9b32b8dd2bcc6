// @vitest-environment jsdom
import './setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeBridge } from './fakeBridge.ts';
import { appInfo, client, dashboard, instance, license } from './fixtures.ts';
import { renderApp } from './render.tsx';

const ROWS = [
  license('l1', { vendor: 'queuemetrics', client: 'Globex', clientId: 'cl_g', instance: 'qm-globex', instanceId: 'in_g', product: 'QueueMetrics', daysLeft: 40, expiresAt: '2026-02-24', key: 'QMKEY1-AAAA-BBBB-CCCC-DDDD-9911' }),
  license('l2', { vendor: 'webitel', client: 'Acme', clientId: 'cl_a', instance: 'wb-acme', instanceId: 'in_a', product: 'CALL_CENTER', daysLeft: 5, expiresAt: '2026-01-20', status: 'expiring', key: 'WB-0001' }),
  license('l3', { vendor: 'qlm', client: 'Initech', clientId: 'cl_i', product: 'Dialer Pro', daysLeft: -3, expiresAt: '2026-01-12', status: 'expired', origin: 'qlm', key: 'FGGH0-S0K00-71B18-S868R-1F1J2-UQKPUN' }),
  license('l4', { vendor: 'isymphony', client: 'Acme', clientId: 'cl_a', instance: 'isy-acme', instanceId: 'in_i', product: 'iSymphony Enterprise', daysLeft: null, expiresAt: null, origin: 'instance', key: 'ISY-SERIAL-0000-1111-2222' }),
];

function setup(rows = ROWS) {
  const fake = fakeBridge({
    getDashboard: () => dashboard({ licenses: rows.length }),
    getAppInfo: () => appInfo,
    listLicenses: () => rows,
    listInstances: () => [instance('in_g', 'qm-globex', { tags: ['eu'] }), instance('in_a', 'wb-acme', { kind: 'webitel', tags: ['us'] }), instance('in_i', 'isy-acme', { kind: 'isymphony', tags: ['eu'] })],
    listClients: () => [client('cl_a', 'Acme'), client('cl_g', 'Globex'), client('cl_i', 'Initech')],
  });
  renderApp(fake, { page: 'licenses' });
  return fake;
}

const bodyRows = (grid: HTMLElement) => within(grid).getAllByRole('row').filter((r) => r.hasAttribute('data-row-id'));
const clientsInOrder = (grid: HTMLElement) => bodyRows(grid).map((r) => within(r).getAllByRole('gridcell')[0]!.textContent);

describe('licenses table', () => {
  it('lists every license soonest expiry first and sorts by a clicked column', async () => {
    setup();
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid)).toHaveLength(4));
    // Default: days left ascending, perpetual last.
    expect(clientsInOrder(grid)).toEqual(['Initech', 'Acme', 'Globex', 'Acme']);

    const clientHeader = within(grid).getByRole('columnheader', { name: /Client/ });
    await userEvent.click(within(clientHeader).getByRole('button'));
    expect(clientHeader).toHaveAttribute('aria-sort', 'ascending');
    expect(clientsInOrder(grid)).toEqual(['Acme', 'Acme', 'Globex', 'Initech']);
    await userEvent.click(within(clientHeader).getByRole('button'));
    expect(clientHeader).toHaveAttribute('aria-sort', 'descending');
    expect(clientsInOrder(grid)[0]).toBe('Initech');
  });

  it('filters by vendor, status, days-left range and instance tag, and searches free text', async () => {
    setup();
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid)).toHaveLength(4));

    await userEvent.click(screen.getByRole('checkbox', { name: 'Webitel' }));
    expect(bodyRows(grid)).toHaveLength(1);
    expect(screen.getByText('1 of 4 licenses')).toBeInTheDocument();
    expect(within(bodyRows(grid)[0]!).getByText('CALL_CENTER')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'QLM' }));
    expect(bodyRows(grid)).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: /Clear 1 filter/ }));
    expect(bodyRows(grid)).toHaveLength(4);

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search licenses' }), 'acme enterprise');
    expect(bodyRows(grid)).toHaveLength(1);
    expect(within(bodyRows(grid)[0]!).getByText('iSymphony Enterprise')).toBeInTheDocument();
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Search licenses' }));

    await userEvent.type(screen.getByRole('textbox', { name: 'Minimum days left' }), '0');
    await userEvent.type(screen.getByRole('textbox', { name: 'Maximum days left' }), '30');
    expect(clientsInOrder(grid)).toEqual(['Acme']);
    await userEvent.click(screen.getByRole('button', { name: /Clear 1 filter/ }));

    await userEvent.click(screen.getByRole('combobox', { name: 'Filter by instance tag' }));
    await userEvent.click(await screen.findByRole('option', { name: 'eu' }));
    expect(clientsInOrder(grid).sort()).toEqual(['Acme', 'Globex']);
  });

  it('masks keys, reveals one on demand and copies it to the clipboard', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    setup();
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid)).toHaveLength(4));
    const full = 'FGGH0-S0K00-71B18-S868R-1F1J2-UQKPUN';
    expect(within(grid).queryByText(full)).toBeNull();
    expect(within(grid).getByText('FGGH0-…KPUN')).toBeInTheDocument();

    const reveal = within(grid).getByRole('button', { name: 'Reveal key of Dialer Pro for Initech' });
    await userEvent.click(reveal);
    expect(within(grid).getByText(full)).toBeInTheDocument();
    expect(within(grid).getByRole('button', { name: 'Hide key of Dialer Pro for Initech' })).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(within(grid).getByRole('button', { name: 'Copy key of Dialer Pro for Initech' }));
    expect(writeText).toHaveBeenCalledWith(full);
  });

  it('renders only the visible rows of 20,000', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => license(`x${i}`, { client: `Client ${String(i).padStart(5, '0')}`, daysLeft: i % 400, key: `KEY-${i}-ABCDEFGHIJ` }));
    setup(many);
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid).length).toBeGreaterThan(5));
    expect(screen.getByText('20,000 licenses')).toBeInTheDocument();
    expect(bodyRows(grid).length).toBeLessThan(60);
    expect(grid).toHaveAttribute('aria-rowcount', '20001');
  });

  it('mutes a license through updateLicense and shows its failure where it happened', async () => {
    const fake = setup();
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid)).toHaveLength(4));
    await userEvent.click(within(grid).getByRole('button', { name: 'Actions for license QueueMetrics on qm-globex' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Mute' }));
    await waitFor(() => expect(fake.callsOf('updateLicense')).toEqual([{ id: 'l1', muted: true }]));
    expect(await screen.findByText('updateLicense is not available in this build yet')).toBeInTheDocument();
    expect(screen.getByText('Mute QueueMetrics on qm-globex')).toBeInTheDocument();
  });

  it('saves the current filters as a named view in localStorage and applies it again', async () => {
    setup();
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid)).toHaveLength(4));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Webitel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save view' }));
    await userEvent.type(await screen.findByRole('textbox', { name: 'View name' }), 'Webitel only{Enter}');
    const stored = JSON.parse(window.localStorage.getItem('keyfleet.licenses.views') ?? '[]') as Array<{ name: string; filters: { vendors: string[] } }>;
    expect(stored).toMatchObject([{ name: 'Webitel only', filters: { vendors: ['webitel'] } }]);

    await userEvent.click(screen.getByRole('button', { name: /Clear 1 filter/ }));
    expect(bodyRows(grid)).toHaveLength(4);
    await userEvent.click(screen.getByRole('combobox', { name: 'Saved views' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Webitel only' }));
    expect(bodyRows(grid)).toHaveLength(1);
    expect(screen.getByRole('checkbox', { name: 'Webitel' })).toBeChecked();
  });

  it('hides and shows columns from the column chooser and remembers the choice', async () => {
    setup();
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    await waitFor(() => expect(bodyRows(grid)).toHaveLength(4));
    expect(within(grid).getByRole('columnheader', { name: /Limits/ })).toBeInTheDocument();
    expect(within(grid).queryByRole('columnheader', { name: /Origin/ })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Choose columns' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Limits' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Origin' }));
    expect(within(grid).queryByRole('columnheader', { name: /Limits/ })).toBeNull();
    expect(within(grid).getByRole('columnheader', { name: /Origin/ })).toBeInTheDocument();
    expect(JSON.parse(window.localStorage.getItem('keyfleet.licenses.columns') ?? '{}')).toMatchObject({ limits: false, origin: true });
  });
});
