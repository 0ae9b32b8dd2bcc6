// @vitest-environment jsdom
import './setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { filterCommands, type Command } from '../../renderer/src/app/CommandPalette.tsx';
import { fakeBridge } from './fakeBridge.ts';
import { appInfo, client, dashboard, instance } from './fixtures.ts';
import { renderApp } from './render.tsx';

function setup() {
  const fake = fakeBridge({
    getDashboard: () => dashboard({ clients: 1, instances: 1 }),
    getAppInfo: () => appInfo,
    listLicenses: () => [],
    listClients: () => [client('cl_a', 'Acme')],
    listCredentials: () => [],
    listHistory: () => ({ events: [], warnings: [] }),
    listInstances: () => [instance('in_qm', 'qm-acme', { client: 'Acme', clientId: 'cl_a', tags: ['eu'] })],
  });
  renderApp(fake);
  return fake;
}

const selected = () => screen.getAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true');

describe('command palette', () => {
  it('opens with Ctrl+K, filters as you type, and Enter goes to the page', async () => {
    setup();
    await screen.findByRole('heading', { name: 'Dashboard' });
    await userEvent.keyboard('{Control>}k{/Control}');
    const palette = await screen.findByRole('dialog', { name: 'Command palette' });
    const input = within(palette).getByRole('combobox', { name: 'Command' });
    await waitFor(() => expect(input).toHaveFocus());

    await userEvent.keyboard('Licenses');
    expect(selected()).toHaveTextContent('Licenses');
    expect(input).toHaveAttribute('aria-activedescendant', selected()!.id);
    await userEvent.keyboard('{Enter}');

    expect(await screen.findByRole('heading', { name: 'Licenses' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull());
  });

  it('moves with the arrow keys and runs actions that open dialogs', async () => {
    setup();
    await screen.findByRole('heading', { name: 'Dashboard' });
    await userEvent.keyboard('{Control>}k{/Control}');
    await screen.findByRole('dialog', { name: 'Command palette' });
    await userEvent.keyboard('add');
    const labels = screen.getAllByRole('option').map((o) => o.textContent);
    expect(labels.slice(0, 3)).toEqual(['Add client…', 'Add instance…', 'Add key source…']);
    expect(selected()).toHaveTextContent('Add client…');
    await userEvent.keyboard('{ArrowDown}');
    expect(selected()).toHaveTextContent('Add instance…');
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    // Wraps around to the last entry.
    expect(selected()).toHaveTextContent(labels[labels.length - 1]!);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Add instance' })).toBeInTheDocument();
  });

  it('lists each instance and says when nothing matches', async () => {
    setup();
    await screen.findByRole('heading', { name: 'Dashboard' });
    await userEvent.keyboard('{Control>}k{/Control}');
    await screen.findByRole('dialog', { name: 'Command palette' });
    await userEvent.keyboard('qm-acme');
    await waitFor(() => expect(selected()).toHaveTextContent('Open qm-acme'));
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: /qm-acme/ })).toBeInTheDocument();

    await userEvent.keyboard('{Control>}k{/Control}');
    await screen.findByRole('dialog', { name: 'Command palette' });
    await userEvent.keyboard('zzzz');
    expect(screen.getByText('No command matches “zzzz”.')).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull());
  });

  it('ranks label prefixes before other matches and needs every word', () => {
    const c = (label: string, keywords = ''): Command => ({ id: label, label, group: 'g', keywords, run: () => {} });
    const all = [c('Export licenses…'), c('Licenses'), c('Open qm-licenses-box', 'queuemetrics'), c('History', 'events log')];
    expect(filterCommands(all, 'lic').map((x) => x.label)).toEqual(['Licenses', 'Export licenses…', 'Open qm-licenses-box']);
    expect(filterCommands(all, 'events log').map((x) => x.label)).toEqual(['History']);
    expect(filterCommands(all, 'licenses queuemetrics').map((x) => x.label)).toEqual(['Open qm-licenses-box']);
  });
});
