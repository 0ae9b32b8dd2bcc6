// @vitest-environment jsdom
import './setup.ts';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ReconcileView } from '../../electron/core/api/contract.ts';
import { fakeBridge } from './fakeBridge.ts';
import { emptyFleet } from './fixtures.ts';
import { renderApp } from './render.tsx';

const QM_KEY = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
const UNKNOWN_KEY = 'UNKN0001-UNKN0002-UNKN0003-UNKN0004-UNKN0005-UNKN0006';

const FOUND: ReconcileView = {
  same: 4,
  changed: [
    { license: 'lic_i', key: 'SUBS-2222-3333', vendor: 'isymphony', instance: 'isym-host', field: 'expiresAt', recorded: '2031-06-30', server: '2032-01-31' },
    { license: 'lic_q', key: QM_KEY, vendor: 'queuemetrics', instance: 'qm-acme', field: 'key', recorded: QM_KEY, server: 'BBBB1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-0000AAAA' },
  ],
  serverOnly: [{ vendor: 'queuemetrics', key: UNKNOWN_KEY, instance: 'qm-beta', product: 'QueueMetrics', needsAdoption: true }],
  localOnly: [{ vendor: 'webitel', key: 'b1000000000000000000000000000002', license: 'lic_w', instance: 'wt' }],
  failures: [{ target: 'instance qm-down', error: { code: 'NETWORK', message: 'instance qm-down: connection refused' } }],
  checked: 5,
  durationMs: 120,
};

const AFTER: ReconcileView = { ...FOUND, same: 6, changed: [], failures: [], accepted: 2 };

describe('the Reconcile page', () => {
  it('compares on demand, shows the four lists with keys masked, and accepts the server values in one step', async () => {
    const fake = fakeBridge({ ...emptyFleet, reconcile: () => FOUND, reconcileAccept: () => AFTER });
    renderApp(fake, { page: 'reconcile' });
    expect(await screen.findByRole('heading', { name: 'Reconcile' })).toBeInTheDocument();
    // Nothing is read until the user asks, and nothing can be accepted before a comparison.
    expect(fake.callsOf('reconcile')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Accept server values' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Compare now' }));
    const changed = await screen.findByRole('table', { name: 'Changed elsewhere' });
    expect(fake.callsOf('reconcile')).toEqual([{ jobId: expect.any(String) }]);
    expect(screen.getByLabelText('Summary')).toHaveTextContent('4 the same · 2 changed elsewhere · 1 on a server only · 1 in Keyfleet only · 1 could not be read');
    expect(within(changed).getByText('2032-01-31')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'On a server only' })).getByText(/its expiry and limits are needed/)).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'In Keyfleet only' })).getByText('wt')).toBeInTheDocument();
    expect(screen.getByText('Could not read instance qm-down')).toBeInTheDocument();
    expect(screen.getByText(/Choose Accept server values to take 2 finding\(s\) into Keyfleet/)).toBeInTheDocument();
    for (const key of [QM_KEY, UNKNOWN_KEY]) expect(document.body.textContent).not.toContain(key);

    await userEvent.click(screen.getByRole('button', { name: 'Accept server values' }));
    expect(await screen.findByText(/2 accepted/)).toBeInTheDocument();
    expect(fake.callsOf('reconcileAccept')).toHaveLength(1);
    expect(screen.queryByRole('table', { name: 'Changed elsewhere' })).not.toBeInTheDocument();
  });

  it('says so when everything matches, and is in the sidebar', async () => {
    const fake = fakeBridge({
      ...emptyFleet,
      reconcile: () => ({ ...FOUND, same: 9, changed: [], serverOnly: [], localOnly: [], failures: [] }),
    });
    renderApp(fake);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await userEvent.click(within(nav).getByRole('button', { name: /Reconcile/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Compare now' }));
    expect(await screen.findByText('Everything matches')).toBeInTheDocument();
    expect(screen.getByText('9 license(s) are the same on the servers and in Keyfleet.')).toBeInTheDocument();
  });
});
