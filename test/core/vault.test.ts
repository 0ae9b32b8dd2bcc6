import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KeyringVault } from '../../electron/core/vault/vault.ts';

const execFileP = promisify(execFile);

/** Against the real Secret Service (a private gnome-keyring started for the test run). */
describe('KeyringVault', () => {
  const vault = new KeyringVault(process.env.KEYFLEET_KEYCHAIN_SERVICE);

  it('round-trips, overwrites and deletes a secret', async () => {
    const owner = { type: 'instance' as const, id: `in_${Date.now()}` };
    expect(await vault.get(owner)).toBeNull();
    await vault.set(owner, 'first päss');
    expect(await vault.get(owner)).toBe('first päss');
    await vault.set(owner, 'second');
    expect(await vault.get(owner)).toBe('second');
    expect(await vault.delete(owner)).toBe(true);
    expect(await vault.get(owner)).toBeNull();
    expect(await vault.delete(owner)).toBe(false);
  });

  it('keeps owners apart', async () => {
    const a = { type: 'instance' as const, id: `a_${Date.now()}` };
    const b = { type: 'source' as const, id: a.id };
    await vault.set(a, 'A');
    await vault.set(b, 'B');
    expect(await vault.get(a)).toBe('A');
    expect(await vault.get(b)).toBe('B');
    await vault.delete(a);
    await vault.delete(b);
  });

  it('refuses an empty secret', async () => {
    await expect(vault.set({ type: 'instance', id: 'x' }, '')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('with no keychain reachable, says so and names the Secret Service (no plaintext fallback)', async () => {
    // The D-Bus address is read when the library first connects, so this runs in a fresh process.
    const script = `
      import { KeyringVault } from ${JSON.stringify(path.resolve('electron/core/vault/vault.ts'))};
      const v = new KeyringVault('keyfleet-test-nobus');
      const out = {};
      for (const [name, op] of [['set', () => v.set({ type: 'instance', id: 'x' }, 's')], ['get', () => v.get({ type: 'instance', id: 'x' })]]) {
        try { await op(); out[name] = 'no error'; } catch (e) { out[name] = { code: e.code, message: e.message }; }
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const { stdout } = await execFileP(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keyfleet-test-bus' },
    });
    const out = JSON.parse(stdout);
    expect(out.set).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/Secret Service/) });
    // It names the bus it tried and what to start or unlock there.
    expect(out.set.message).toContain('no unlocked Secret Service answered on the session bus unix:path=/nonexistent/keyfleet-test-bus');
    expect(out.set.message).toContain('gnome-keyring-daemon --unlock --components=secrets');
    expect(out.get).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });
});
