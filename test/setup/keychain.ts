import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Tests talk to a real Secret Service, but never to the developer's own login keychain:
 * on Linux this starts a private D-Bus session with its own gnome-keyring, unlocked with a
 * throwaway password, and points every test worker at it. Elsewhere the OS keychain is used
 * with a test-only service name.
 */
let children: ChildProcess[] = [];
let home: string | undefined;

function readLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not print its address')), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl).trim());
      }
    });
    child.once('error', reject);
  });
}

export async function setup(): Promise<void> {
  process.env.KEYFLEET_KEYCHAIN_SERVICE ??= `keyfleet-test-${process.pid}`;
  if (process.platform !== 'linux') return;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-keyring-'));
  const dbus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(dbus);
  const address = await readLine(dbus, 5000);
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, HOME: home, XDG_RUNTIME_DIR: home, XDG_DATA_HOME: path.join(home, 'data') };
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    stdio: ['pipe', 'ignore', 'ignore'],
    env,
  });
  children.push(keyring);
  keyring.stdin!.end('test-keyring-password');
  // Wait until the Secret Service name is owned on the private bus.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const owned = await new Promise<boolean>((resolve) => {
      const probe = spawn('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      probe.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      probe.on('close', () => resolve(out.includes('boolean true')));
      probe.on('error', () => resolve(false));
    });
    if (owned) break;
    if (Date.now() > deadline) throw new Error('gnome-keyring-daemon did not register the Secret Service on the test bus');
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
}

export async function teardown(): Promise<void> {
  for (const c of children.reverse()) c.kill('SIGTERM');
  children = [];
  if (home) fs.rmSync(home, { recursive: true, force: true });
}
