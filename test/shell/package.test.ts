import fs from 'node:fs';
import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR, packageApp, type PackagedApp } from './package-app.ts';

/**
 * The app as Forge packages it (`npm run package:offline`, run by `npm test` before the tests):
 * Forge's own Vite build of main, preload and renderer, @electron/packager's asar, the fuses
 * Forge's FusesPlugin flipped in the executable, and the files main reads at run time.
 */
let app: PackagedApp;
let mainBundle: string;

beforeAll(() => {
  app = packageApp();
  const pkg = JSON.parse(fs.readFileSync(path.join(app.appDir, 'package.json'), 'utf8')) as { main: string };
  mainBundle = path.join(app.appDir, pkg.main);
});
afterAll(() => app?.remove());

function filesUnder(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

describe('the packaged executable', () => {
  it('carries the fuses forge.config.ts sets, flipped from Electron defaults', async () => {
    const wire = await getCurrentFuseWire(app.executable);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('is the executable electron-builder.yml installs (its shortcuts and /usr/bin link point at it)', () => {
    const yml = fs.readFileSync(path.join(PROJECT_DIR, 'electron-builder.yml'), 'utf8');
    const name = /^executableName:\s*(\S+)\s*$/m.exec(yml)?.[1];
    expect(name).toBeDefined();
    const exe = path.join(app.outDir, name!);
    expect(exe).toBe(app.executable);
    expect(fs.statSync(exe).mode & 0o111).not.toBe(0);
  });
});

describe('app.asar', () => {
  it('holds the bundle package.json names as main', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(app.appDir, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('.vite/build/index.cjs');
    expect(fs.statSync(mainBundle).size).toBeGreaterThan(10_000);
  });

  it('has a preload bundle that requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    const preload = fs.readFileSync(path.join(path.dirname(mainBundle), 'preload.cjs'), 'utf8');
    const calls = [...preload.matchAll(/\brequire\s*\(/g)].length;
    const literal = [...preload.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g)].map((m) => m[2]);
    expect(calls).toBe(literal.length);
    expect(new Set(literal)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/\bimport\s*\(/);
  });

  it('has every file the main bundle reads at run time where it looks for it', () => {
    const main = fs.readFileSync(mainBundle, 'utf8');
    // The preload, beside the main bundle (path.join(__dirname, 'preload.cjs')).
    expect(main).toContain('preload.cjs');
    expect(fs.existsSync(path.join(path.dirname(mainBundle), 'preload.cjs'))).toBe(true);
    // The renderer, in ../renderer/<MAIN_WINDOW_VITE_NAME>/ from the main bundle.
    expect(main).toContain('../renderer/main_window');
    const rendererDir = path.join(path.dirname(mainBundle), '../renderer/main_window');
    const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/\b(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.some((r) => /^assets\/.+\.js$/.test(r))).toBe(true);
    expect(refs.some((r) => /^assets\/.+\.css$/.test(r))).toBe(true);
    for (const ref of refs) expect(fs.existsSync(path.join(rendererDir, ref)), ref).toBe(true);
    // The tray icon, in process.resourcesPath (packagerConfig.extraResource).
    expect(main).toContain('icon.png');
    expect(fs.readFileSync(path.join(app.resourcesDir, 'icon.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('ships the keychain binding for linux-x64 outside the archive, where a .node file can load', () => {
    const unpacked = path.join(app.resourcesDir, 'app.asar.unpacked', 'node_modules', '@napi-rs');
    expect(fs.readdirSync(unpacked).sort()).toEqual(['keyring', 'keyring-linux-x64-gnu']);
    expect(fs.existsSync(path.join(unpacked, 'keyring', 'index.js'))).toBe(true);
    const binary = fs.readFileSync(path.join(unpacked, 'keyring-linux-x64-gnu', 'keyring.linux-x64-gnu.node'));
    expect(binary.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    expect(binary.readUInt16LE(18)).toBe(0x3e); // x86-64
    const version = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version(path.join(unpacked, 'keyring-linux-x64-gnu'))).toBe(version(path.join(unpacked, 'keyring')));
  });

  it('ships only the bundles, package.json and the keychain binding', () => {
    const shipped = filesUnder(app.appDir).filter((f) => !f.startsWith('.vite/') && f !== 'package.json');
    expect(shipped.length).toBeGreaterThan(0);
    for (const file of shipped) expect(file).toMatch(/^node_modules\/@napi-rs\/keyring(-linux-x64-gnu)?\//);
  });

  it('holds the same renderer build the end-to-end tests drive in .vite/renderer/main_window', () => {
    const packaged = path.join(path.dirname(mainBundle), '../renderer/main_window');
    const built = path.join(PROJECT_DIR, '.vite/renderer/main_window');
    expect(filesUnder(built).sort()).toEqual(filesUnder(packaged).sort());
    expect(fs.readFileSync(path.join(built, 'index.html'))).toEqual(fs.readFileSync(path.join(packaged, 'index.html')));
  });
});
