import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import forgeConfig from '../../forge.config.ts';
import { keyringBindingPackage, placeKeyringBinding } from '../../build/keyring-binding.ts';
import { applySigning, SigningConfigError } from '../../build/signing.ts';
import { PACKAGE_DIR, PROJECT_DIR } from './package-app.ts';

/**
 * Installers per OS: the path `npm run dist:*` hands electron-builder, the keychain binding each
 * target gets, the Debian dependencies electron-builder writes, and where signing comes from.
 */
const run = promisify(execFile);
const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

interface DistPlan {
  target: string;
  arch: string;
  steps: Array<{ command: string; args: string[] }>;
}

async function distPlan(script: string, arch: string): Promise<DistPlan> {
  const { stdout } = await run('npm', ['run', '--silent', script, '--', '--arch', arch, '--dry-run'], { cwd: PROJECT_DIR });
  return JSON.parse(stdout) as DistPlan;
}

describe('npm run dist:*', () => {
  it.each([
    ['dist:linux', 'x64', 'linux', '--linux', 'out/Keyfleet-linux-x64'],
    ['dist:win', 'x64', 'win32', '--win', 'out/Keyfleet-win32-x64'],
    ['dist:mac', 'x64', 'darwin', '--mac', 'out/Keyfleet-darwin-x64/Keyfleet.app'],
    ['dist:mac', 'arm64', 'darwin', '--mac', 'out/Keyfleet-darwin-arm64/Keyfleet.app'],
  ])('%s --arch %s packages for %s and gives electron-builder %s --prepackaged %s', async (script, arch, platform, builderFlag, prepackaged) => {
    const plan = await distPlan(script, arch);
    expect(plan.steps).toEqual([
      { command: 'electron-forge', args: ['package', '--platform', platform, '--arch', arch] },
      { command: 'electron-builder', args: [builderFlag, `--${arch}`, '--prepackaged', prepackaged] },
    ]);
  });

  it('names the folder Forge really writes', async () => {
    const plan = await distPlan('dist:linux', 'x64');
    expect(path.resolve(PROJECT_DIR, plan.steps[1]!.args.at(-1)!)).toBe(PACKAGE_DIR);
    expect(fs.existsSync(path.join(PACKAGE_DIR, 'resources', 'app.asar'))).toBe(true);
  });

  it('refuses an unknown architecture with the usage, running nothing', async () => {
    const err = await run('npm', ['run', '--silent', 'dist:linux', '--', '--arch', 'sparc'], { cwd: PROJECT_DIR }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('--arch must be one of x64, arm64, ia32, armv7l, not sparc');
  });
});

/** A temp app folder as Forge has it after copying on this (linux-x64) machine. */
function copiedApp(): string {
  const build = tempDir('kf-build-');
  for (const pkg of ['keyring', 'keyring-linux-x64-gnu']) {
    fs.cpSync(path.join(PROJECT_DIR, 'node_modules', '@napi-rs', pkg), path.join(build, 'node_modules', '@napi-rs', pkg), { recursive: true });
  }
  return build;
}

const keyringVersion = () => (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'node_modules/@napi-rs/keyring/package.json'), 'utf8')) as { version: string }).version;

function bindingFiles(build: string): string[] {
  return fs.readdirSync(path.join(build, 'node_modules', '@napi-rs')).sort();
}

describe('the keychain binding packaged for another OS', () => {
  it('is the Windows x64 binary when Forge packages for win32-x64 (its packageAfterPrune hook)', async () => {
    const build = copiedApp();
    await forgeConfig.hooks!.packageAfterPrune!(forgeConfig as never, build, '45.4.1', 'win32', 'x64');
    expect(bindingFiles(build)).toEqual(['keyring', 'keyring-win32-x64-msvc']);
    const dir = path.join(build, 'node_modules/@napi-rs/keyring-win32-x64-msvc');
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version).toBe(keyringVersion());
    const dll = fs.readFileSync(path.join(dir, 'keyring.win32-x64-msvc.node'));
    expect(dll.subarray(0, 2).toString()).toBe('MZ');
    const pe = dll.readUInt32LE(0x3c);
    expect(dll.subarray(pe, pe + 4)).toEqual(Buffer.from('PE\0\0', 'latin1'));
    expect(dll.readUInt16LE(pe + 4)).toBe(0x8664); // AMD64
  });

  it('is the Apple silicon binary for darwin-arm64, fetched with npm pack into an empty cache', async () => {
    const build = copiedApp();
    const cacheDir = tempDir('kf-keyring-cache-');
    const placed = await placeKeyringBinding(build, 'darwin', 'arm64', { projectDir: PROJECT_DIR, cacheDir });
    expect(placed).toEqual({ binding: '@napi-rs/keyring-darwin-arm64', source: 'registry' });
    expect(fs.readdirSync(cacheDir)).toEqual([`@napi-rs-keyring-darwin-arm64-${keyringVersion()}.tgz`]);
    expect(bindingFiles(build)).toEqual(['keyring', 'keyring-darwin-arm64']);
    const dylib = fs.readFileSync(path.join(build, 'node_modules/@napi-rs/keyring-darwin-arm64/keyring.darwin-arm64.node'));
    expect(dylib.readUInt32LE(0)).toBe(0xfeedfacf); // Mach-O 64-bit
    expect(dylib.readUInt32LE(4)).toBe(0x0100000c); // CPU_TYPE_ARM64

    // A second build reads the cache instead of the registry.
    const again = copiedApp();
    expect(await placeKeyringBinding(again, 'darwin', 'arm64', { projectDir: PROJECT_DIR, cacheDir })).toEqual({ binding: '@napi-rs/keyring-darwin-arm64', source: 'cache' });
    expect(bindingFiles(again)).toEqual(['keyring', 'keyring-darwin-arm64']);
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
  });

  it('stays the installed one when the target is this machine', async () => {
    const build = copiedApp();
    expect(await placeKeyringBinding(build, 'linux', 'x64', { projectDir: PROJECT_DIR, cacheDir: tempDir('kf-keyring-cache-') })).toEqual({ binding: '@napi-rs/keyring-linux-x64-gnu', source: 'copied' });
    expect(bindingFiles(build)).toEqual(['keyring', 'keyring-linux-x64-gnu']);
  });

  it('refuses a target without a binding, naming the ones there are', () => {
    expect(() => keyringBindingPackage('darwin', 'universal')).toThrow(/no keychain binding for darwin-universal.*darwin-arm64.*package x64 and arm64 separately/);
  });
});

describe('the deb package', () => {
  it("depends on electron-builder's Electron runtime libraries and libsecret, and recommends a Secret Service", async () => {
    const tools = tempDir('kf-fpm-');
    // electron-builder runs fpm (CUSTOM_FPM_PATH) with every dependency as `-d NAME`; this one
    // records its arguments beside the package it was asked for.
    const fpm = path.join(tools, 'fpm');
    fs.writeFileSync(fpm, ['#!/bin/sh', 'prev=""', 'for a in "$@"; do', '  if [ "$prev" = "--package" ]; then pkg="$a"; fi', '  prev="$a"', 'done', ': > "$pkg"', 'for a in "$@"; do printf \'%s\\0\' "$a"; done > "$pkg.fpm-args"', 'prev=""', 'for a in "$@"; do', '  if [ "$prev" = "--after-install" ]; then cp "$a" "$pkg.after-install"; fi', '  prev="$a"', 'done', ''].join('\n'), { mode: 0o755 });
    const output = path.join(tools, 'dist');
    const builder = path.join(PROJECT_DIR, 'node_modules/electron-builder/cli.js');
    await run(process.execPath, [builder, '--linux', 'deb', '--x64', '--prepackaged', PACKAGE_DIR, `-c.directories.output=${output}`], {
      cwd: PROJECT_DIR,
      env: { ...process.env, CUSTOM_FPM_PATH: fpm },
    });
    const args = fs.readFileSync(path.join(output, 'keyfleet_0.1.0_amd64.deb.fpm-args'), 'utf8').split('\0');
    const valuesOf = (flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
    const depends = valuesOf('-d');
    for (const lib of ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0']) {
      expect(depends).toContain(lib);
    }
    expect(depends.join(' ')).not.toContain('kwalletmanager');
    expect(valuesOf('--deb-recommends')).toEqual(['libappindicator3-1', 'gnome-keyring']);
    expect(args).toContain(`${PACKAGE_DIR}/=/opt/Keyfleet`);
    // The desktop app goes on PATH as keyfleet-desktop: `keyfleet` is the command's name.
    const postinst = fs.readFileSync(path.join(output, 'keyfleet_0.1.0_amd64.deb.after-install'), 'utf8');
    expect(postinst).toMatch(/ln -sf '\/opt\/Keyfleet\/keyfleet-desktop' '\/usr\/bin\/keyfleet-desktop'/);
    expect(postinst).not.toMatch(/\/usr\/bin\/keyfleet'/);
  });
});

describe('signing', () => {
  const packagerConfig = () => ({ ...forgeConfig.packagerConfig });

  it('signs and notarizes the macOS app while Forge packages it, with the identity and profile the environment names', async () => {
    const config = { ...forgeConfig, packagerConfig: packagerConfig() };
    const saved = { ...process.env };
    Object.assign(process.env, { APPLE_SIGNING_IDENTITY: 'Developer ID Application: Keyfleet (TEAM123456)', APPLE_KEYCHAIN_PROFILE: 'keyfleet-notary' });
    try {
      await forgeConfig.hooks!.prePackage!(config as never, 'darwin', 'arm64');
    } finally {
      process.env = saved;
    }
    expect(config.packagerConfig.osxSign).toEqual({ identity: 'Developer ID Application: Keyfleet (TEAM123456)', continueOnError: false });
    expect(config.packagerConfig.osxNotarize).toEqual({ keychainProfile: 'keyfleet-notary' });
  });

  it('notarizes with an Apple ID or an API key, and leaves the app unsigned with a note when nothing is set', () => {
    const withId = packagerConfig();
    expect(applySigning(withId, 'darwin', { APPLE_SIGNING_IDENTITY: 'Developer ID Application: K', APPLE_ID: 'ops@example.com', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh', APPLE_TEAM_ID: 'TEAM123456' })).toEqual([]);
    expect(withId.osxNotarize).toEqual({ appleId: 'ops@example.com', appleIdPassword: 'abcd-efgh', teamId: 'TEAM123456' });

    const keyFile = path.join(tempDir('kf-apple-'), 'AuthKey.p8');
    fs.writeFileSync(keyFile, 'key');
    const withKey = packagerConfig();
    applySigning(withKey, 'darwin', { APPLE_SIGNING_IDENTITY: 'Developer ID Application: K', APPLE_API_KEY: keyFile, APPLE_API_KEY_ID: 'KEY123', APPLE_API_ISSUER: 'issuer-uuid' });
    expect(withKey.osxNotarize).toEqual({ appleApiKey: keyFile, appleApiKeyId: 'KEY123', appleApiIssuer: 'issuer-uuid' });

    const unsigned = packagerConfig();
    const notes = applySigning(unsigned, 'darwin', {});
    expect(unsigned.osxSign).toBeUndefined();
    expect(unsigned.osxNotarize).toBeUndefined();
    expect(notes.join(' ')).toMatch(/not signed or notarized.*APPLE_SIGNING_IDENTITY/);
  });

  it('stops on a half-set credential, naming what is missing', () => {
    expect(() => applySigning(packagerConfig(), 'darwin', { APPLE_SIGNING_IDENTITY: 'Developer ID Application: K', APPLE_ID: 'ops@example.com', APPLE_TEAM_ID: 'T' })).toThrow(SigningConfigError);
    expect(() => applySigning(packagerConfig(), 'darwin', { APPLE_SIGNING_IDENTITY: 'Developer ID Application: K', APPLE_ID: 'ops@example.com', APPLE_TEAM_ID: 'T' })).toThrow(/APPLE_APP_SPECIFIC_PASSWORD is not set/);
    expect(() => applySigning(packagerConfig(), 'darwin', { APPLE_KEYCHAIN_PROFILE: 'p' })).toThrow(/Notarizing needs a signed app: set APPLE_SIGNING_IDENTITY/);
    expect(() => applySigning(packagerConfig(), 'win32', { WIN_CSC_LINK: '/nowhere/cert.pfx', WIN_CSC_KEY_PASSWORD: 'x' })).toThrow(/WIN_CSC_LINK names \/nowhere\/cert.pfx, which does not exist/);
  });

  it('signs keyfleet.exe with the certificate electron-builder signs the installer with', () => {
    const pfx = path.join(tempDir('kf-win-'), 'keyfleet.pfx');
    fs.writeFileSync(pfx, 'cert');
    const config = packagerConfig();
    expect(applySigning(config, 'win32', { WIN_CSC_LINK: pfx, WIN_CSC_KEY_PASSWORD: 'pfx-password' })).toEqual([]);
    expect(config.windowsSign).toEqual({ certificateFile: pfx, certificatePassword: 'pfx-password', continueOnError: false });
    expect(applySigning(packagerConfig(), 'win32', {}).join(' ')).toMatch(/not signed.*WIN_CSC_LINK/);
  });

  it('reads nothing for Linux, so half-set macOS variables never stop a Linux build or npm start', async () => {
    const config = { ...forgeConfig, packagerConfig: packagerConfig() };
    const warn = vi.spyOn(console, 'warn');
    const saved = { ...process.env };
    process.env.APPLE_ID = 'ops@example.com';
    let warnings: unknown[][];
    try {
      await forgeConfig.hooks!.prePackage!(config as never, 'linux', 'x64');
    } finally {
      warnings = [...warn.mock.calls];
      process.env = saved;
      warn.mockRestore();
    }
    expect(config.packagerConfig.osxSign).toBeUndefined();
    expect(warnings).toEqual([]);
  });
});
