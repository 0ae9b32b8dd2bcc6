// @vitest-environment jsdom
import './setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Input } from '../../electron/core/api/contract.ts';
import { fakeBridge } from './fakeBridge.ts';
import { appInfo, client, dashboard, license } from './fixtures.ts';
import { renderApp } from './render.tsx';

const KEY = 'FGGH0-S0K00-71B18-S868R-1F1J2-UQKPUN';

function setup() {
  const fake = fakeBridge({
    getDashboard: () => dashboard({ licenses: 1 }),
    getAppInfo: () => appInfo,
    listInstances: () => [],
    listClients: () => [client('cl_a', 'Acme')],
    listSources: () => [{ id: 'src_q', name: 'qlm-main', kind: 'qlm', url: 'https://qlm.example/api', vendor: 'Loway', user: 'api', hasSecret: true, productDefaults: { productId: 7, major: 2, minor: 1 }, createdAt: '2026-01-01T00:00:00.000Z' }],
    listLicenses: () => [license('l_q', { vendor: 'qlm', product: 'Dialer Pro', client: 'Acme', clientId: 'cl_a', key: KEY, origin: 'qlm' })],
    qlmUpdate: (input: Input<'qlmUpdate'>) => ({ license: license('l_q', { vendor: 'qlm', product: 'Dialer Pro', key: input.key }) }),
    qlmCreate: () => ({ licenses: [license('l_new', { vendor: 'qlm', key: 'AAAAA-BBBBB-CCCCC-DDDDD', product: 'Dialer Pro' })] }),
  });
  renderApp(fake, { page: 'licenses' });
  return fake;
}

describe('QLM dialogs', () => {
  it('builds features from bit checkboxes and product properties with relative changes, and confirms before sending', async () => {
    const fake = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for license Dialer Pro for Acme' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Update on QLM…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Update a QLM key' });
    expect(within(dialog).getByRole('textbox', { name: /Activation key/ })).toHaveValue(KEY);

    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Change features' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Set 0 feature 0' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Set 0 feature 2' }));
    expect(within(dialog).getByText('0:5')).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Product properties' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Property 1 category' }), 'limits');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Property 1 name' }), 'agents');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Property 1 value' }), '5');
    expect(within(dialog).getByText('limits.agents::+5')).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Update…' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Relative changes add up each time they are sent');
    expect(fake.callsOf('qlmUpdate')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Update key' }));
    await waitFor(() =>
      expect(fake.callsOf('qlmUpdate')).toEqual([{ key: KEY, features: [{ set: 0, mask: 5 }], productProperties: [{ category: 'limits', name: 'agents', value: { relative: 5 } }] }]),
    );
    expect(await within(dialog).findByText('Updated')).toBeInTheDocument();
  });

  it('creates keys with the source defaults and every option given, after one confirmation', async () => {
    const fake = setup();
    await userEvent.keyboard('{Control>}k{/Control}');
    await userEvent.keyboard('Create QLM keys{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Create QLM keys' });
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: 'Product ID' })).toHaveValue('7'));
    await userEvent.clear(within(dialog).getByRole('textbox', { name: 'Quantity (seats)' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Quantity (seats)' }), '3');
    await userEvent.click(within(dialog).getByRole('radio', { name: 'Cloud' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add feature set' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Set 0 feature 1' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create keys…' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Create 1 key for 3 seats?');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create keys' }));
    await waitFor(() => expect(fake.callsOf('qlmCreate')).toHaveLength(1));
    expect(fake.callsOf('qlmCreate')[0]).toEqual({
      expiry: { days: 365 },
      oneKeyForAllSeats: true,
      floating: false,
      computerType: 'none',
      productId: 7,
      major: 2,
      minor: 1,
      quantity: 3,
      features: [{ set: 0, mask: 2 }],
      licenseModel: 'subscription_cloud',
    });
    expect(await within(dialog).findByText('1 key created and saved')).toBeInTheDocument();
  });
  it('holds back what the contract refuses when creating keys, naming the field, and sends nothing', async () => {
    const fake = setup();
    await userEvent.keyboard('{Control>}k{/Control}');
    await userEvent.keyboard('Create QLM keys{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Create QLM keys' });
    await userEvent.click(within(dialog).getByRole('switch', { name: 'Maintenance plan' }));
    const days = within(dialog).getByRole('textbox', { name: 'Maintenance days' });
    await userEvent.clear(days);
    await userEvent.type(days, '200000');
    await userEvent.click(within(dialog).getByRole('textbox', { name: 'Affiliate ID' }));
    await userEvent.paste('A'.repeat(101));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create keys…' }));
    expect(within(dialog).getByText('Maintenance days must be at most 100000')).toBeInTheDocument();
    expect(within(dialog).getByText('Affiliate ID is too long (100 characters at most)')).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Create keys' })).toBeNull();
    expect(fake.callsOf('qlmCreate')).toEqual([]);
  });

  it('names a change the contract refuses in place of the count and does not send the update', async () => {
    const fake = setup();
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for license Dialer Pro for Acme' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Update on QLM…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Update a QLM key' });
    expect(within(dialog).getByText('Tick at least one thing to change')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Quantity' }));
    expect(within(dialog).getByText('1 change will be sent')).toBeInTheDocument();
    await userEvent.clear(within(dialog).getByRole('textbox', { name: 'Quantity' }));
    expect(within(dialog).getByText('Quantity must be at least 1')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Update' })).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Quantity' }), '4');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Update' }));
    await waitFor(() => expect(fake.callsOf('qlmUpdate')).toEqual([{ key: KEY, quantity: 4 }]));
  });
});
