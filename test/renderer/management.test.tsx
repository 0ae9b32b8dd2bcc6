// @vitest-environment jsdom
import './setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../electron/core/api/contract.ts';
import { BridgeError, fakeBridge, type FakeImpl } from './fakeBridge.ts';
import { appInfo, client, dashboard, instance, license, NOW } from './fixtures.ts';
import { renderApp } from './render.tsx';

type SourceView = Result<'listSources'>[number];

const QLM_SOURCE: SourceView = {
  id: 'src_q',
  name: 'qlm-main',
  kind: 'qlm',
  url: 'https://qlm.example/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi',
  vendor: 'ResellerCo',
  user: 'api',
  hasSecret: true,
  productDefaults: { productId: 7, major: 3, minor: 1 },
  createdAt: NOW,
};
const LOWAY_SOURCE: SourceView = { id: 'src_l', name: 'loway', kind: 'loway-keyserver', url: 'https://keys.loway.example/llm/licence_wsvc_gen.do', email: 'keys@reseller.example', createdAt: NOW };

function base(extra: FakeImpl): FakeImpl {
  return {
    getDashboard: () => dashboard({ clients: 1, instances: 1 }),
    getAppInfo: () => appInfo,
    listLicenses: () => [],
    listClients: () => [client('cl_a', 'Acme', { email: 'it@acme.example' })],
    listInstances: () => [],
    listCredentials: () => [],
    listSources: () => [QLM_SOURCE, LOWAY_SOURCE],
    listPpks: () => [],
    ppkStock: () => [],
    ...extra,
  };
}

describe('key sources: edit and test', () => {
  it('edits a QLM source: the password is sent only when a new one is typed', async () => {
    const fake = fakeBridge(base({ updateSource: ({ patch }) => ({ ...QLM_SOURCE, ...(patch.name ? { name: patch.name } : {}) }) }));
    renderApp(fake, { page: 'stock', stockTab: 'sources' });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit source qlm-main' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit key source qlm-main' });
    expect(within(dialog).getByRole('textbox', { name: /Vendor/ })).toHaveValue('ResellerCo');
    expect(within(dialog).getByRole('textbox', { name: /Default product ID/ })).toHaveValue('7');
    // No kind switch when editing; the empty password keeps the stored one.
    expect(within(dialog).queryByRole('radiogroup', { name: 'Source kind' })).toBeNull();
    expect(within(dialog).getByText('Leave empty to keep the stored one')).toBeInTheDocument();

    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await userEvent.clear(name);
    await userEvent.type(name, 'qlm-eu');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Edit key source/ })).toBeNull());
    expect(fake.callsOf('updateSource')).toEqual([
      { ref: 'src_q', patch: { name: 'qlm-eu', url: QLM_SOURCE.url, vendor: 'ResellerCo', user: 'api', productDefaults: { productId: 7, major: 3, minor: 1 } } },
    ]);

    await userEvent.click(await screen.findByRole('button', { name: 'Edit source qlm-main' }));
    const again = await screen.findByRole('dialog', { name: 'Edit key source qlm-main' });
    await userEvent.type(within(again).getByLabelText(/Password \(is_pwd\)/), 'n3w-pass');
    await userEvent.click(within(again).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsOf('updateSource')).toHaveLength(2));
    expect(fake.callsOf('updateSource')[1]).toMatchObject({ ref: 'src_q', patch: { secret: 'n3w-pass' } });
  });

  it('tests a Loway key server and shows its status line and clock, or the error', async () => {
    let fail = false;
    const fake = fakeBridge(
      base({
        testSource: ({ ref }) => {
          if (fail) throw new BridgeError('NETWORK', `key source loway: keys.loway.example could not be reached (ECONNREFUSED)`);
          return { ok: true, summary: `key server keys.loway.example answered (${ref === 'src_l' ? 'S:KO - Missing parameter K_enduser' : '?'})`, skewMs: -4_000 };
        },
      }),
    );
    renderApp(fake, { page: 'stock', stockTab: 'sources' });
    await userEvent.click(await screen.findByRole('button', { name: 'Test key source loway' }));
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('key server keys.loway.example answered (S:KO - Missing parameter K_enduser)');
    expect(status).toHaveTextContent('Server clock 4 s behind.');
    expect(fake.callsOf('testSource')).toEqual([{ ref: 'src_l' }]);

    fail = true;
    await userEvent.click(screen.getByRole('button', { name: 'Test key source loway' }));
    expect(await screen.findByText(/could not be reached: key source loway/)).toBeInTheDocument();
  });
});

describe('shared credentials: remove', () => {
  it('removes a credential after confirming, and shows the refusal when instances still use one', async () => {
    const credentials = [
      { id: 'cr_1', name: 'qm-robots', user: 'keyupdater', createdAt: NOW },
      { id: 'cr_2', name: 'old-robots', createdAt: NOW },
    ];
    const fake = fakeBridge(
      base({
        getSettings: () => ({ reminderStages: [30, 7], lowStockThreshold: 2, stockThresholds: {}, refreshConcurrency: 32, perHostConcurrency: 2, keepRunningInTray: false, trayNoticeShown: false, startAtLogin: false, scheduledRefreshHours: 0 }),
        listCredentials: () => credentials,
        removeCredential: ({ ref }) => {
          if (ref === 'cr_1') throw new BridgeError('CONFLICT', 'credential "qm-robots" is used by 2 instance(s) (qm-a, qm-b); give them another secret first');
          credentials.splice(credentials.findIndex((c) => c.id === ref), 1);
          return { removed: true };
        },
      }),
    );
    renderApp(fake, { page: 'settings' });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove credential qm-robots' }));
    let confirm = await screen.findByRole('dialog', { name: 'Remove credential qm-robots?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove credential' }));
    expect(await within(confirm).findByText(/is used by 2 instance\(s\) \(qm-a, qm-b\)/)).toBeInTheDocument();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));

    await userEvent.click(screen.getByRole('button', { name: 'Remove credential old-robots' }));
    confirm = await screen.findByRole('dialog', { name: 'Remove credential old-robots?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove credential' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove credential old-robots' })).toBeNull());
    expect(fake.callsOf('removeCredential')).toEqual([{ ref: 'cr_1' }, { ref: 'cr_2' }]);
  });
});

describe('instance form: detach from the client', () => {
  it('sends client: null when the client is cleared while editing', async () => {
    const inst = instance('in_1', 'qm-acme', { clientId: 'cl_a', client: 'Acme', hasSecret: true, secret: { type: 'own' } });
    const fake = fakeBridge(
      base({
        listInstances: () => [inst],
        listHistory: () => ({ events: [], warnings: [] }),
        updateInstance: () => ({ ...inst, clientId: undefined, client: null }),
      }),
    );
    renderApp(fake, { page: 'instance', instanceId: 'in_1' });
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit instance qm-acme' });
    const clientField = within(dialog).getByRole('combobox', { name: 'Client' });
    expect(clientField).toHaveValue('Acme');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Detach from client' }));
    expect(within(dialog).getByText('Saving detaches the instance from its client')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsOf('updateInstance')).toHaveLength(1));
    expect(fake.callsOf('updateInstance')[0]).toMatchObject({ ref: 'in_1', patch: { client: null } });
  });
});

describe('licenses: snooze and own reminder stages', () => {
  const SNOOZED = license('l_s', { client: 'Acme', clientId: 'cl_a', instance: 'qm-acme', instanceId: 'in_1', snoozedUntil: '2099-03-01', reminderStages: [60, 30, 7] });
  const PAST = license('l_p', { client: 'Acme', clientId: 'cl_a', product: 'Dialer Pro', vendor: 'qlm', origin: 'qlm', snoozedUntil: '2001-01-01', daysLeft: 200 });

  it('shows "snoozed until" in the row and its menu, with the license\'s own stages', async () => {
    const fake = fakeBridge(base({ listLicenses: () => [SNOOZED, PAST], listInstances: () => [instance('in_1', 'qm-acme')] }));
    renderApp(fake, { page: 'licenses' });
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    expect(await within(grid).findByRole('img', { name: 'Reminders snoozed until 2099-03-01' })).toBeInTheDocument();
    // A snooze that has ended says nothing.
    expect(within(grid).getAllByRole('img', { name: /snoozed/ })).toHaveLength(1);

    await userEvent.click(within(grid).getByRole('button', { name: 'Actions for license QueueMetrics on qm-acme' }));
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('Snoozed until 2099-03-01');
    expect(note).toHaveTextContent('Own stages: 60, 30, 7 days before expiry');
  });

  it('edits the own stages in the settings dialog; emptying them goes back to the client\'s or global ones', async () => {
    const fake = fakeBridge(base({ listLicenses: () => [SNOOZED], listInstances: () => [instance('in_1', 'qm-acme')], updateLicense: () => SNOOZED }));
    renderApp(fake, { page: 'licenses' });
    const grid = await screen.findByRole('grid', { name: 'Licenses' });
    const openSettings = async () => {
      await userEvent.click(await within(grid).findByRole('button', { name: 'Actions for license QueueMetrics on qm-acme' }));
      await userEvent.click(await screen.findByRole('menuitem', { name: 'Client and reminder stages…' }));
      return screen.findByRole('dialog', { name: 'License settings: QueueMetrics' });
    };
    let dialog = await openSettings();
    const stages = within(dialog).getByRole('textbox', { name: 'Reminder stages for this license' });
    expect(stages).toHaveValue('60, 30, 7');
    expect(within(dialog).getByText('Reminders are snoozed until 2099-03-01.')).toBeInTheDocument();
    await userEvent.clear(stages);
    await userEvent.type(stages, '90, 14, 14');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsOf('updateLicense')).toHaveLength(1));
    expect(fake.callsOf('updateLicense')[0]).toEqual({ id: 'l_s', reminderStages: [90, 14] });

    dialog = await openSettings();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Clear own stages' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsOf('updateLicense')).toHaveLength(2));
    expect(fake.callsOf('updateLicense')[1]).toEqual({ id: 'l_s', reminderStages: null });
  });
});
