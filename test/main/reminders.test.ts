import { describe, expect, it, vi } from 'vitest';
import { openContext } from '../../electron/core/open.ts';
import { MemoryVault } from '../../electron/core/vault/vault.ts';
import { BackgroundChecks, dueSoonCount } from '../../electron/main/background.ts';
import { tempDir } from '../helpers/tmp.ts';
import type { License } from '../../electron/core/store/schema.ts';

vi.mock('electron', async () => {
  const fake = await import('./electron-fake.ts');
  return { default: fake.electronFake, ...fake.electronFake };
});
const fake = await import('./electron-fake.ts');
const { electronNotifier } = await import('../../electron/main/notifier.ts');

function license(id: string, expiresAt: string | null): License {
  const at = '2026-11-01T00:00:00.000Z';
  return { id, vendor: 'queuemetrics', key: `K-${id}`, product: 'QueueMetrics', limits: {}, expiresAt, origin: 'ppk', status: 'active', replaces: [], createdAt: at, updatedAt: at };
}

describe('reminders in the running app', () => {
  it('a license 7 days from expiry produces one OS notification; a second evaluation produces none, also after a restart', () => {
    const dir = tempDir();
    let now = new Date('2026-11-22T09:00:00Z');
    const open = () => openContext({ dataDir: dir, vault: new MemoryVault(), now: () => now, timeZone: 'Europe/Rome' });
    const ctx = open();
    ctx.store.update((d) => ({ ...d, licenses: [license('lic_a', '2026-11-29'), license('lic_b', '2027-06-01'), license('lic_p', null)] }));
    const opened: string[] = [];
    const checks = new BackgroundChecks(ctx, electronNotifier({ openLicense: (id) => opened.push(id), openStock: () => undefined, showWindow: () => undefined }), () => undefined);
    const before = fake.calls.notifications.length;

    const first = checks.checkReminders();
    expect(first.map((n) => [n.target, n.stage])).toEqual([['lic_a', 7]]);
    const shown = fake.calls.notifications.slice(before);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.shown).toBe(true);
    expect(shown[0]!.options.title).toBe('QueueMetrics license expires in 7 days (2026-11-29)');
    shown[0]!.emit('click');
    expect(opened).toEqual(['lic_a']);

    expect(checks.checkReminders()).toEqual([]);
    now = new Date('2026-11-22T18:00:00Z');
    const reopened = new BackgroundChecks(open(), electronNotifier({ openLicense: () => undefined, openStock: () => undefined, showWindow: () => undefined }), () => undefined);
    expect(reopened.checkReminders()).toEqual([]);
    expect(fake.calls.notifications.length).toBe(before + 1);

    // Six days later the 1-day stage fires, once.
    now = new Date('2026-11-28T08:00:00Z');
    expect(reopened.checkReminders().map((n) => n.stage)).toEqual([1]);
    expect(reopened.checkReminders()).toEqual([]);
  });

  it('a click on a notice goes where its kind says: a license, the stock, or just the window for an app notice', () => {
    const went: string[] = [];
    const notifier = electronNotifier({ openLicense: (id) => went.push(`license ${id}`), openStock: () => went.push('stock'), showWindow: () => went.push('window') });
    const before = fake.calls.notifications.length;
    notifier.notify({ kind: 'expiry', target: 'lic_a', stage: 7, daysLeft: 7, expiresAt: '2026-11-29', title: 'expires', body: '' });
    notifier.notify({ kind: 'low-stock', target: 'QM-10/1/365', stage: null, daysLeft: null, expiresAt: null, title: 'low stock', body: '' });
    notifier.notify({ kind: 'app', title: 'Keyfleet keeps running in the tray', body: 'Reminders still arrive while the window is closed.' });
    for (const n of fake.calls.notifications.slice(before)) n.emit('click');
    expect(went).toEqual(['license lic_a', 'stock', 'window']);
    expect(notifier.pending).toBe(0);
  });

  it('counts licenses due within 7 days for the tray', () => {
    const now = new Date('2026-11-22T09:00:00Z');
    const ctx = openContext({ dataDir: tempDir(), vault: new MemoryVault(), now: () => now, timeZone: 'UTC' });
    ctx.store.update((d) => ({ ...d, licenses: [license('a', '2026-11-23'), license('b', '2026-11-29'), license('c', '2026-11-30'), license('d', '2026-11-01'), { ...license('e', '2026-11-24'), muted: true }] }));
    expect(dueSoonCount(ctx)).toBe(2);
  });
});
