// @vitest-environment jsdom
import './setup.ts';
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Input, Result } from '../../electron/core/api/contract.ts';
import { fakeBridge } from './fakeBridge.ts';
import { dashboard, emptyFleet, instance } from './fixtures.ts';
import { renderApp } from './render.tsx';

describe('bulk refresh', () => {
  it('refreshes the selected instances with progress, per-item failures and cancel', async () => {
    let finish: (r: Result<'refreshInstances'>) => void = () => {};
    const fake = fakeBridge({
      ...emptyFleet,
      getDashboard: () => dashboard({ instances: 3 }),
      listInstances: () => [instance('in_1', 'qm-one'), instance('in_2', 'qm-two'), instance('in_3', 'qm-three')],
      refreshInstances: () => new Promise((r) => (finish = r)),
      cancelJob: () => ({ cancelled: true }),
    });
    renderApp(fake, { page: 'instances' });
    const grid = await screen.findByRole('grid', { name: 'Instances' });
    await userEvent.click(await within(grid).findByRole('checkbox', { name: 'Select qm-one' }));
    await userEvent.click(within(grid).getByRole('checkbox', { name: 'Select qm-three' }));
    const bar = screen.getByRole('region', { name: 'Bulk actions' });
    expect(bar).toHaveTextContent('2 selected');
    await userEvent.click(within(bar).getByRole('button', { name: 'Refresh selected' }));

    const dialog = await screen.findByRole('dialog', { name: 'Refresh 2 selected instances' });
    await waitFor(() => expect(fake.callsOf('refreshInstances')).toHaveLength(1));
    const input = fake.callsOf('refreshInstances')[0] as Input<'refreshInstances'>;
    expect(input.instanceIds).toEqual(['in_1', 'in_3']);
    act(() => fake.emit('jobProgress', { jobId: input.jobId!, done: 1, total: 2, ok: 0, failed: 1, current: 'qm-one', message: 'no answer within 15 s' }));
    expect(within(dialog).getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('aria-valuenow', '50');
    expect(within(dialog).getByText('1/2 ·', { exact: false })).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('cancelJob')).toEqual([{ jobId: input.jobId }]);
    act(() =>
      finish({ checked: 1, ok: 0, failed: 1, cancelled: true, durationMs: 15_400, failures: [{ instance: 'qm-one', error: { code: 'TIMEOUT', message: 'instance qm-one: no answer within 15 s' } }], drift: [] }),
    );
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Cancelled. Checked 1: 0 ok · 1 failed in 15.4 s.');
    expect(within(dialog).getByRole('table', { name: 'Failures' })).toHaveTextContent('unreachable: instance qm-one: no answer within 15 s');
    expect(within(dialog).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});

describe('bulk activation', () => {
  it('lists each instance’s outcome: the new key’s expiry, or why it failed with an unreachable server marked so', async () => {
    const fake = fakeBridge({
      ...emptyFleet,
      getDashboard: () => dashboard({ instances: 2 }),
      listPpks: () => [],
      listInstances: () => [instance('in_1', 'qm-one'), instance('in_2', 'qm-two')],
      activateBulk: () => ({
        ok: 1,
        failed: 1,
        cancelled: false,
        durationMs: 2_000,
        results: [
          { instance: 'qm-one', ppk: null, ok: true, expiresAt: '2027-03-31', verified: true },
          { instance: 'qm-two', ppk: null, ok: false, error: { code: 'NETWORK', message: 'instance qm-two: connection refused' } },
        ],
      }),
    });
    renderApp(fake, { page: 'instances' });
    const grid = await screen.findByRole('grid', { name: 'Instances' });
    await userEvent.click(await within(grid).findByRole('checkbox', { name: 'Select qm-one' }));
    await userEvent.click(within(grid).getByRole('checkbox', { name: 'Select qm-two' }));
    await userEvent.click(within(screen.getByRole('region', { name: 'Bulk actions' })).getByRole('button', { name: 'Activate PPKs…' }));

    const dialog = await screen.findByRole('dialog', { name: 'Activate PPKs on 2 instances' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Activate 2 PPKs' }));
    const results = await within(dialog).findByRole('table', { name: 'Results' });
    expect(within(results).getByRole('row', { name: /qm-one/ })).toHaveTextContent('expires 2027-03-31');
    expect(within(results).getByRole('row', { name: /qm-two/ })).toHaveTextContent('unreachable: instance qm-two: connection refused');
    expect((fake.callsOf('activateBulk')[0] as Input<'activateBulk'>).items).toEqual([{ instance: 'in_1' }, { instance: 'in_2' }]);
  });
});
