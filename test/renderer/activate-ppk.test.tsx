// @vitest-environment jsdom
import './setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Input, Result } from '../../electron/core/api/contract.ts';
import { BridgeError, fakeBridge, type FakeImpl } from './fakeBridge.ts';
import { appInfo, client, dashboard, instance, license } from './fixtures.ts';
import { renderApp } from './render.tsx';

type PpkView = Result<'listPpks'>[number];

const PPK: PpkView = {
  id: 'pk_1',
  ppk: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90',
  product: 'QM',
  productName: 'QueueMetrics',
  agents: 50,
  servers: 1,
  days: 90,
  durationLabel: '3 months',
  state: 'in-stock',
  convertedElsewhere: false,
  heldFor: null,
  refusal: null,
  addedAt: '2026-01-10T09:00:00.000Z',
  licenseId: null,
  instanceId: null,
  instance: null,
  conversion: null,
};

function base(extra: FakeImpl): FakeImpl {
  return {
    getDashboard: () => dashboard({ clients: 1, instances: 1 }),
    getAppInfo: () => appInfo,
    listLicenses: () => [],
    listHistory: () => ({ events: [], warnings: [] }),
    listClients: () => [client('cl_a', 'Acme Contact Center', { email: 'it@acme.example' })],
    listInstances: () => [instance('in_qm', 'qm-acme', { clientId: 'cl_a', client: 'Acme Contact Center', hasSecret: true })],
    listSources: () => [],
    listPpks: () => [PPK],
    suggestPpk: () => ({ ppk: PPK, reason: 'same size as the current license (50 agents, 1 server)' }),
    ...extra,
  };
}

async function openActivateFromInstancePage() {
  await userEvent.click(await screen.findByRole('button', { name: 'Activate PPK…' }));
  return screen.findByRole('dialog', { name: 'Activate PPK' });
}

describe('Activate PPK dialog', () => {
  it('preselects the suggested PPK, defaults the end-user to the client, and re-calls with confirm:true after NEEDS_CONFIRMATION', async () => {
    const activations: Input<'activatePpk'>[] = [];
    const fake = fakeBridge(
      base({
        activatePpk: (input) => {
          activations.push(input);
          if (!input.confirm) throw new BridgeError('NEEDS_CONFIRMATION', 'qm-acme still has a valid key for 41 days; the new key replaces it now');
          return {
            license: license('l_new', { key: 'NEWKEY-5231317C-5232476E-99AA', expiresAt: '2026-04-15', daysLeft: 90 }),
            installed: true,
            verified: true,
            ppk: { ...PPK, state: 'installed' },
            warnings: [],
          };
        },
      }),
    );
    renderApp(fake, { page: 'instance', instanceId: 'in_qm' });
    const dialog = await openActivateFromInstancePage();

    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'PPK' })).toHaveValue('QueueMetrics 50 agents / 1 srv / 3 months — XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90'));
    expect(within(dialog).getByText(/Suggested: same size as the current license/)).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: /End-user/ })).toHaveValue('Acme Contact Center');
    expect(within(dialog).getByRole('textbox', { name: /E-mail/ })).toHaveValue('it@acme.example');
    expect(within(dialog).getByText('This spends a PPK')).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Activate PPK' }));
    const confirm = await within(dialog).findByRole('alert');
    expect(confirm).toHaveTextContent('qm-acme still has a valid key for 41 days; the new key replaces it now');
    expect(activations).toHaveLength(1);
    expect(activations[0]).toMatchObject({ instance: 'in_qm', ppk: 'pk_1', enduser: 'Acme Contact Center', email: 'it@acme.example' });
    expect(activations[0]!.confirm).toBeUndefined();
    expect(activations[0]!.jobId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm and activate' }));
    expect(await within(dialog).findByText('Key installed and verified')).toBeInTheDocument();
    expect(activations).toHaveLength(2);
    expect(activations[1]).toMatchObject({ instance: 'in_qm', ppk: 'pk_1', confirm: true });
    expect(activations[1]!.jobId).not.toBe(activations[0]!.jobId);
    expect(within(dialog).getByText('NEWKEY…99AA')).toBeInTheDocument();
  });

  it('holds back an e-mail the contract refuses, as main would, before any PPK is spent', async () => {
    const fake = fakeBridge(base({}));
    renderApp(fake, { page: 'instance', instanceId: 'in_qm' });
    const dialog = await openActivateFromInstancePage();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Activate PPK' })).toBeEnabled());

    // Two dots in a row: main's schema refuses it, so the dialog must not send it.
    const email = within(dialog).getByRole('textbox', { name: /E-mail/ });
    await userEvent.clear(email);
    await userEvent.type(email, 'it@acme..example');
    expect(within(dialog).getByText('Not an e-mail address')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Activate PPK' })).toBeDisabled();
    expect(fake.callsOf('activatePpk')).toEqual([]);

    await userEvent.clear(email);
    await userEvent.type(email, 'it@acme.example');
    expect(within(dialog).queryByText('Not an e-mail address')).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Activate PPK' })).toBeEnabled();
  });

  it('shows progress from jobProgress events for its own job only', async () => {
    let release: (v: Result<'activatePpk'>) => void = () => {};
    const fake = fakeBridge(base({ activatePpk: () => new Promise((r) => (release = r)) }));
    renderApp(fake, { page: 'instance', instanceId: 'in_qm' });
    const dialog = await openActivateFromInstancePage();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Activate PPK' })).toBeEnabled());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Activate PPK' }));
    await waitFor(() => expect(fake.callsOf('activatePpk')).toHaveLength(1));
    const jobId = (fake.callsOf('activatePpk')[0] as Input<'activatePpk'>).jobId!;
    fake.emit('jobProgress', { jobId: 'someone-else', done: 1, total: 4, ok: 1, failed: 0, current: 'other', message: 'not mine' });
    fake.emit('jobProgress', { jobId, done: 1, total: 4, ok: 1, failed: 0, current: 'qm-acme', message: 'converted on the key server' });
    fake.emit('jobProgress', { jobId, done: 2, total: 4, ok: 2, failed: 0, current: 'qm-acme', message: 'installing; QueueMetrics restarts' });
    const log = await within(dialog).findByRole('log', { name: 'Steps' });
    expect(log).toHaveTextContent('converted on the key server');
    expect(log).toHaveTextContent('installing; QueueMetrics restarts');
    expect(log).not.toHaveTextContent('not mine');
    expect(within(dialog).getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('aria-valuenow', '50');
    release({ license: license('l_new'), installed: true, verified: false, ppk: null, warnings: ['QueueMetrics did not come back within 60 s'] });
    expect(await within(dialog).findByText('Key installed, not verified yet')).toBeInTheDocument();
    expect(within(dialog).getByText('QueueMetrics did not come back within 60 s')).toBeInTheDocument();
  });

  it('offers to install the stored key when installing failed after the conversion', async () => {
    const fake = fakeBridge(
      base({
        activatePpk: () => {
          throw new BridgeError('NETWORK', 'instance qm-acme: connect ECONNREFUSED 10.0.0.5:8080', { licenseId: 'l_saved' });
        },
        installStoredKey: (input) => ({ license: license(input.license), installed: true, verified: true, ppk: null, warnings: [] }),
      }),
    );
    renderApp(fake, { page: 'instance', instanceId: 'in_qm' });
    const dialog = await openActivateFromInstancePage();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Activate PPK' })).toBeEnabled());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Activate PPK' }));
    expect(await within(dialog).findByText('Server unreachable')).toBeInTheDocument();
    expect(within(dialog).getByText(/connect ECONNREFUSED 10\.0\.0\.5:8080/)).toBeInTheDocument();
    expect(within(dialog).getByText('The key was created and saved')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Install stored key' }));
    expect(await within(dialog).findByText('Key installed and verified')).toBeInTheDocument();
    expect(fake.callsOf('installStoredKey')).toMatchObject([{ license: 'l_saved', instance: 'in_qm' }]);
  });
});

describe('Key stock: a PPK converted before Keyfleet', () => {
  const ELSEWHERE: PpkView = { ...PPK, id: 'pk_2', ppk: 'XQI-LOWAY-9ZZQ2CONVERTED1:QM-50/1/90', state: 'converted', convertedElsewhere: true };

  it('is never offered for activation, by its menu or by opening its row; a PPK in stock is', async () => {
    const fake = fakeBridge(base({ listPpks: () => [PPK, ELSEWHERE] }));
    renderApp(fake, { page: 'stock', stockTab: 'ppks' });
    const grid = await screen.findByRole('grid', { name: 'PPKs' });
    const elsewhereRow = (await within(grid).findByText(ELSEWHERE.ppk)).closest('[role="row"]') as HTMLElement;
    expect(within(elsewhereRow).getByText('converted before Keyfleet')).toBeTruthy();

    await userEvent.click(within(elsewhereRow).getByRole('button', { name: `Actions for PPK ${ELSEWHERE.ppk}` }));
    const menu = await screen.findByRole('menu');
    expect(within(menu).queryByRole('menuitem', { name: 'Activate on instance…' })).toBeNull();
    expect(within(menu).getByRole('menuitem', { name: 'Remove from stock…' })).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());

    // Enter on the active row opens it: nothing for this PPK.
    await userEvent.click(within(elsewhereRow).getByText(ELSEWHERE.ppk));
    await userEvent.keyboard('{Enter}');
    expect(screen.queryByRole('dialog', { name: 'Activate PPK' })).toBeNull();

    const stockRow = within(grid).getByText(PPK.ppk).closest('[role="row"]') as HTMLElement;
    await userEvent.click(within(stockRow).getByRole('button', { name: `Actions for PPK ${PPK.ppk}` }));
    expect(within(await screen.findByRole('menu')).getByRole('menuitem', { name: 'Activate on instance…' })).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
    await userEvent.click(within(stockRow).getByText(PPK.ppk));
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Activate PPK' })).toBeTruthy();
  });
});
