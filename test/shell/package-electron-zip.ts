import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A stand-in for Electron's Linux release zip, for packaging where no Electron binary can be
 * downloaded. It holds the files @electron/packager and electron-builder handle in a real zip,
 * and an `electron` executable that carries Electron's fuse wire where the real binary does, so
 * Forge's FusesPlugin flips fuses in it exactly as in a real build and @electron/fuses reads
 * them back. It cannot run the app: running it prints why and exits 1.
 */

/**
 * The wire as Electron 45 ships it, one byte per fuse in @electron/fuses' FuseV1Options order
 * ('1' on, '0' off): RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect,
 * EmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar, BrowserProcessSpecificV8Snapshot,
 * GrantFileProtocolExtraPrivileges, WasmTrapHandlers. Shipping Electron's defaults means every
 * fuse Keyfleet changes must really be flipped for the packaging test to pass.
 */
export const ELECTRON_DEFAULT_FUSE_WIRE = '101100011';
/** What @electron/fuses searches the binary for; the wire's version and length bytes follow it. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_WIRE_VERSION = 1;

export function standInExecutable(wire = ELECTRON_DEFAULT_FUSE_WIRE): Buffer {
  const head = [
    '#!/bin/sh',
    '# Stand-in for the Electron executable (Keyfleet packaging tests). It carries the fuse wire',
    '# below so fuses can be flipped and read, and cannot run the app.',
    '# ',
  ].join('\n');
  const tail = ['', 'echo "keyfleet: this package was made with a stand-in Electron; package with a real Electron to run it" >&2', 'exit 1', ''].join('\n');
  return Buffer.concat([Buffer.from(head), Buffer.from(FUSE_SENTINEL), Buffer.from([FUSE_WIRE_VERSION, wire.length]), Buffer.from(wire), Buffer.from(tail)]);
}

/** The name @electron/packager looks for in its electronZipDir option. */
export function electronZipName(version: string, platform: string, arch: string): string {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/**
 * Writes the stand-in zip into zipDir (made if missing) and returns its path. Uses the system's
 * `zip`, which keeps the executable bit that packager's extraction restores.
 */
export function makeStandInElectronZip(zipDir: string, version: string, arch = 'x64'): string {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-electron-stand-in-'));
  try {
    const put = (rel: string, content: string | Buffer, mode = 0o644) => {
      const file = path.join(staging, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { mode });
    };
    put('electron', standInExecutable(), 0o755);
    put('chrome-sandbox', '', 0o755);
    put('chrome_crashpad_handler', '', 0o755);
    put('resources/default_app.asar', 'stand-in default app\n');
    put('locales/en-US.pak', '');
    put('resources.pak', '');
    put('icudtl.dat', '');
    put('LICENSE', 'Stand-in for the Electron release used in Keyfleet packaging tests.\n');
    put('LICENSES.chromium.html', '<!doctype html><title>stand-in</title>\n');
    put('version', version);
    fs.mkdirSync(zipDir, { recursive: true });
    const zipPath = path.resolve(zipDir, electronZipName(version, 'linux', arch));
    fs.rmSync(zipPath, { force: true });
    execFileSync('zip', ['-q', '-r', '-X', zipPath, '.'], { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'] });
    return zipPath;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
