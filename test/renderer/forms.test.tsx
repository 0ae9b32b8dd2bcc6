// @vitest-environment jsdom
import './setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Input, Result } from '../../electron/core/api/contract.ts';
import { BridgeError, fakeBridge } from './fakeBridge.ts';
import { appInfo, client, dashboard, instance } from './fixtures.ts';
import { renderApp } from './render.tsx';

type InstanceView = Result<'listInstances'>[number];

function setup(extra: Parameters<typeof fakeBridge>[0] = {}) {
  const instances: InstanceView[] = [];
  const fake = fakeBridge({
    getDashboard: () => dashboard({ clients: 1, instances: instances.length }),
    getAppInfo: () => appInfo,
    listLicenses: () => [],
    listClients: () => [client('cl_a', 'Acme', { email: 'it@acme.example' })],
    listCredentials: () => [],
    listInstances: () => instances,
    addInstance: (input: Input<'addInstance'>) => {
      const created = instance(`in_${instances.length + 1}`, input.name, { kind: input.kind, url: input.url, hasSecret: Boolean(input.secret), client: 'Acme', clientId: input.client ?? undefined });
      instances.push(created);
      return created;
    },
    ...extra,
  });
  renderApp(fake, { page: 'instances' });
  return fake;
}

async function openAddInstance() {
  await userEvent.click(await screen.findByRole('button', { name: 'Add instance' }));
  return screen.findByRole('dialog', { name: 'Add instance' });
}

describe('instance form', () => {
  it('says next to each field what is wrong and sends nothing', async () => {
    const fake = setup();
    const dialog = await openAddInstance();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add instance' }));
    expect(within(dialog).getByText('Name is required')).toBeInTheDocument();
    expect(within(dialog).getByText('URL is required')).toBeInTheDocument();

    const url = within(dialog).getByRole('textbox', { name: /URL/ });
    await userEvent.type(url, 'ftp://pbx.acme.example');
    await userEvent.tab();
    expect(within(dialog).getByText('URL must start with http:// or https://')).toBeInTheDocument();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(fake.callsOf('addInstance')).toEqual([]);

    // Typing into a field clears its message until it is checked again.
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'qm-acme');
    expect(within(dialog).queryByText('Name is required')).toBeNull();
  });

  it('adds a QueueMetrics instance with a secret and lists it as "secret stored"', async () => {
    const fake = setup();
    const dialog = await openAddInstance();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'qm-acme');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /URL/ }), 'https://pbx.acme.example/queuemetrics');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /User/ }), 'keyupdater');
    await userEvent.type(within(dialog).getByLabelText('Password'), 's3cret!');
    await userEvent.click(within(dialog).getByRole('combobox', { name: 'Client' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Acme' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add instance' }));

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add instance' })).toBeNull());
    expect(fake.callsOf('addInstance')).toEqual([
      { name: 'qm-acme', kind: 'queuemetrics', url: 'https://pbx.acme.example/queuemetrics', client: 'cl_a', user: 'keyupdater', secret: 's3cret!', tags: [] },
    ]);
    const grid = await screen.findByRole('grid', { name: 'Instances' });
    expect(await within(grid).findByText('qm-acme')).toBeInTheDocument();
    expect(within(grid).getByRole('img', { name: 'secret stored in keychain' })).toBeInTheDocument();
  });

  it('shows the server refusal in the form: field errors next to the field, others above the buttons', async () => {
    let answer = new BridgeError('BAD_INPUT', 'addInstance: user: the user keyupdater is disabled on this server');
    setup({
      addInstance: () => {
        throw answer;
      },
    });
    const dialog = await openAddInstance();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'qm-acme');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /URL/ }), 'http://pbx:8080/queuemetrics');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /User/ }), 'keyupdater');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add instance' }));
    expect(await within(dialog).findByText('the user keyupdater is disabled on this server')).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: /User/ })).toHaveAttribute('aria-invalid', 'true');

    answer = new BridgeError('CONFLICT', 'an instance named "qm-acme" already exists');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add instance' }));
    expect(await within(dialog).findByText('an instance named "qm-acme" already exists')).toBeInTheDocument();
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Conflict');
  });

  it('offers to trust an untrusted certificate and pins its fingerprint', async () => {
    const fp = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
    const fake = setup({
      testInstance: (input: Input<'testInstance'>) => {
        if (!input.draft?.pinSha256) throw new BridgeError('TLS_UNTRUSTED', 'pbx.acme.example: self-signed certificate', { fingerprint: fp });
        return { ok: true as const, summary: 'QueueMetrics 24.02 answered; the key is readable', certSha256: fp };
      },
    });
    const dialog = await openAddInstance();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /URL/ }), 'https://pbx.acme.example/queuemetrics');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Test connection' }));
    expect(await within(dialog).findByText('Certificate not trusted')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Certificate fingerprint')).toHaveTextContent(fp);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Trust this certificate' }));
    expect(within(dialog).getByRole('textbox', { name: /Pinned certificate/ })).toHaveValue(fp);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Test connection' }));
    expect(await within(dialog).findByText('QueueMetrics 24.02 answered; the key is readable')).toBeInTheDocument();
    expect(fake.callsOf('testInstance')).toHaveLength(2);
    expect((fake.callsOf('testInstance')[1] as Input<'testInstance'>).draft?.pinSha256).toBe(fp);
  });
});

describe('client form', () => {
  it('rejects a malformed e-mail and adds a valid client', async () => {
    const clients: Result<'listClients'> = [];
    const fake = fakeBridge({
      getDashboard: () => dashboard({ clients: clients.length }),
      getAppInfo: () => appInfo,
      listLicenses: () => [],
      listInstances: () => [],
      listClients: () => clients,
      addClient: (input) => {
        const c = client(`cl_${clients.length + 1}`, input.name, input.email ? { email: input.email } : {});
        clients.push(c);
        return c;
      },
    });
    renderApp(fake, { page: 'clients' });
    await userEvent.click((await screen.findAllByRole('button', { name: 'Add client' }))[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Add client' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Globex');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /e-mail/ }), 'not-an-address');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add client' }));
    expect(within(dialog).getByText('Not an e-mail address')).toBeInTheDocument();
    expect(fake.callsOf('addClient')).toEqual([]);

    await userEvent.clear(within(dialog).getByRole('textbox', { name: /e-mail/ }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /e-mail/ }), 'it@globex.example');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add client' }));
    await waitFor(() => expect(fake.callsOf('addClient')).toEqual([{ name: 'Globex', email: 'it@globex.example', notes: '', tags: [] }]));
    expect(await screen.findByText('Globex')).toBeInTheDocument();
  });
});
