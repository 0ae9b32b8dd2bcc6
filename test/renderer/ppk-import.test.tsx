// @vitest-environment jsdom
import './setup.ts';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeBridge } from './fakeBridge.ts';
import { emptyFleet } from './fixtures.ts';
import { renderApp } from './render.tsx';

const GOOD = 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90';
const BAD = 'not-a-ppk';

describe('Import PPKs dialog', () => {
  it('sends the pasted keys with the "Already converted" tick, then shows what was added and why a key was rejected', async () => {
    const fake = fakeBridge({
      ...emptyFleet,
      addPpks: () => ({ added: 1, skipped: 0, marked: 0, rejected: [{ ppk: BAD, reason: 'not a PPK: expected PREFIX:PRODUCT-AGENTS/SERVERS/DAYS' }] }),
    });
    renderApp(fake);
    await userEvent.click(await screen.findByRole('button', { name: 'Import PPKs' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import PPKs' });
    const box = within(dialog).getByRole('textbox', { name: 'Pre-purchased keys' });
    expect(box).toHaveFocus();
    await userEvent.click(box);
    await userEvent.paste(`${GOOD}\n${BAD}`);
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Already converted' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Import 2 keys' }));

    expect(await within(dialog).findByText('1 added')).toBeInTheDocument();
    expect(fake.callsOf('addPpks')).toEqual([{ text: `${GOOD}\n${BAD}`, converted: true }]);
    expect(within(dialog).getByRole('table', { name: 'Rejected keys' })).toHaveTextContent(`${BAD}not a PPK: expected PREFIX:PRODUCT-AGENTS/SERVERS/DAYS`);
    // The dialog keeps the pasted text, to fix the rejected key and import again.
    expect(box).toHaveValue(`${GOOD}\n${BAD}`);
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
  });
});
