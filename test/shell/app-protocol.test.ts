import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { originOf, rendererFileFor } from '../../electron/main/app-protocol.ts';
import { originPolicy } from '../../electron/main/ipc.ts';

/**
 * Where app:// URLs lead on each OS's paths, and who counts as the app. The install folders are
 * the ones that broke the file:// prefix: a Windows drive, a mounted DMG with a space, a
 * profile folder with non-ASCII letters.
 */
const frame = (url: string, parent: object | null = null) => ({ url, parent }) as unknown as Parameters<ReturnType<typeof originPolicy>['isTrusted']>[0];

describe('app:// on every install path', () => {
  it.each([
    ['win32', 'C:\\Program Files\\Keyfleet\\resources\\app.asar\\.vite\\renderer\\main_window', path.win32],
    ['win32', 'C:\\Users\\Jürgen Müller\\AppData\\Local\\Programs\\Keyfleet\\resources\\app.asar\\.vite\\renderer\\main_window', path.win32],
    ['darwin', '/Volumes/Keyfleet 0.1.0/Keyfleet.app/Contents/Resources/app.asar/.vite/renderer/main_window', path.posix],
    ['linux', '/opt/Keyfleet/resources/app.asar/.vite/renderer/main_window', path.posix],
  ])('%s: %s', (_os, root, p) => {
    expect(rendererFileFor('app://keyfleet/index.html', root, p)).toBe(p.join(root, 'index.html'));
    expect(rendererFileFor('app://keyfleet/', root, p)).toBe(p.join(root, 'index.html'));
    expect(rendererFileFor('app://keyfleet/assets/index-x1.js', root, p)).toBe(p.join(root, 'assets', 'index-x1.js'));
    expect(rendererFileFor('app://keyfleet/assets/font%20name.woff2', root, p)).toBe(p.join(root, 'assets', 'font name.woff2'));
    // A literal ../ is resolved by the URL parser before anything else sees it: it stays inside.
    expect(rendererFileFor('app://keyfleet/../../package.json', root, p)).toBe(p.join(root, 'package.json'));
    for (const escape of [
      'app://keyfleet/..%2f..%2fpackage.json',
      'app://keyfleet/..%5c..%5cpackage.json',
      'app://keyfleet/assets%5c..%5c..%5c..%5cpackage.json',
      'app://keyfleet/C:%5cWindows%5cwin.ini',
      'app://keyfleet/%2fetc%2fpasswd',
      'app://keyfleet/index.html%00.png',
      'app://keyfleet/%E0%A4%A',
      'app://elsewhere/index.html',
      'file:///etc/passwd',
    ]) {
      expect(rendererFileFor(escape, root, p), escape).toBeNull();
    }
  });

  it('trusts the app origin wherever the app is installed, and nothing else', () => {
    const policy = originPolicy('app://keyfleet');
    const ev = {} as never;
    expect(policy.isTrusted(frame('app://keyfleet/index.html'), ev)).toBe(true);
    expect(policy.isTrusted(frame('app://keyfleet/index.html#/licenses?q=a%20b'), ev)).toBe(true);
    for (const url of [
      'file:///C:/Program%20Files/Keyfleet/resources/app.asar/.vite/renderer/main_window/index.html',
      'file:///Volumes/Keyfleet%200.1.0/Keyfleet.app/Contents/Resources/app.asar/.vite/renderer/main_window/index.html',
      'app://keyfleet.evil/index.html',
      'app://evil/keyfleet/index.html',
      'http://keyfleet/index.html',
      'https://app.keyfleet.example/',
      'about:blank',
      'not a url',
    ]) {
      expect(policy.isTrusted(frame(url), ev), url).toBe(false);
    }
    expect(policy.isTrusted(frame('app://keyfleet/index.html', { url: 'app://keyfleet/index.html' }), ev)).toBe(false);
    expect(policy.isTrusted(null, ev)).toBe(false);
  });

  it('compares dev-server origins exactly (port included)', () => {
    const policy = originPolicy(originOf('http://localhost:5173/')!);
    expect(policy.isTrusted(frame('http://localhost:5173/index.html'), {} as never)).toBe(true);
    expect(policy.isTrusted(frame('http://localhost:5174/'), {} as never)).toBe(false);
    expect(policy.isTrusted(frame('http://localhost.evil:5173/'), {} as never)).toBe(false);
  });
});
