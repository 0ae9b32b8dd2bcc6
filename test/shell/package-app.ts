import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractAll } from '@electron/asar';

export const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');
/** Where `npm run package:offline` (run by `npm test` before the tests) has Forge package the app. */
export const PACKAGE_DIR = path.join(PROJECT_DIR, 'out', 'Keyfleet-linux-x64');
/** The stand-in Electron zip it packages against (KEYFLEET_ELECTRON_ZIP_DIR). */
export const STAND_IN_ZIP_DIR = path.join(PROJECT_DIR, 'out', 'electron-stand-in');

/** The Electron version Forge packages for: the one installed in node_modules. */
export function electronVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

export interface PackagedApp {
  /** out/Keyfleet-linux-x64: the folder electron-builder installs. */
  outDir: string;
  /** The packaged executable, where the fuses are. */
  executable: string;
  /** out/Keyfleet-linux-x64/resources: app.asar, app.asar.unpacked, icon.png. */
  resourcesDir: string;
  /** A copy of resourcesDir whose app.asar is extracted into a folder of that name (unpacked files included, as Electron presents it). */
  extractedResourcesDir: string;
  /** extractedResourcesDir/app.asar */
  appDir: string;
  /** Deletes the extracted copy. */
  remove(): void;
}

/**
 * The package `npm run package:offline` made, with a fresh extracted copy of its app.asar beside
 * its app.asar.unpacked, so a test can read the app's files or boot its main bundle as they ship.
 * `installDir` (a relative name: spaces and non-ASCII welcome) is where the copy's resources
 * folder sits under its temp folder, as an install path would.
 */
export function packageApp(opts: { installDir?: string } = {}): PackagedApp & { root: string } {
  const resourcesDir = path.join(PACKAGE_DIR, 'resources');
  const asar = path.join(resourcesDir, 'app.asar');
  if (!fs.existsSync(asar)) {
    throw new Error(`No packaged app at ${PACKAGE_DIR}: run "npm run package:offline" (npm test runs it before the tests) to have Forge package it.`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-packaged-'));
  const extractedResourcesDir = path.join(root, opts.installDir ?? '', 'resources');
  fs.mkdirSync(extractedResourcesDir, { recursive: true });
  for (const entry of fs.readdirSync(resourcesDir)) {
    if (entry !== 'app.asar') fs.cpSync(path.join(resourcesDir, entry), path.join(extractedResourcesDir, entry), { recursive: true });
  }
  const appDir = path.join(extractedResourcesDir, 'app.asar');
  extractAll(asar, appDir);
  return {
    outDir: PACKAGE_DIR,
    executable: path.join(PACKAGE_DIR, 'keyfleet-desktop'),
    resourcesDir,
    extractedResourcesDir,
    appDir,
    root,
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
