import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractAll } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { PACKAGE_DIR } from '../package-app.ts';

export interface InstalledApp {
  /** …/<install dir>/resources */
  resourcesPath: string;
  /** …/resources/app.asar, unpacked into a folder of that name (Electron reads it as one). */
  appPath: string;
  userData: string;
  fuses: { onlyLoadAppFromAsar: boolean; grantFileProtocolExtraPrivileges: boolean };
  remove(): void;
}

/**
 * Installs the package Forge made into a fresh folder, as a user's machine would have it:
 * `resources/app.asar` (extracted into a folder of the same name, unpacked files included, as
 * Electron's asar support presents it), `resources/app.asar.unpacked`, the extra resources, and
 * the fuses the packaged binary carries. `installDir` and `userDataDir` are relative names
 * (spaces and non-ASCII welcome) under a new temp folder.
 */
export function installedApp(opts: { installDir: string; userDataDir: string }): InstalledApp & { ready: Promise<void> } {
  const resourcesSrc = path.join(PACKAGE_DIR, 'resources');
  const asar = path.join(resourcesSrc, 'app.asar');
  if (!fs.existsSync(asar)) {
    throw new Error(`No package at ${PACKAGE_DIR}: run "npm run package:offline" (npm test runs it before the tests) to have Forge package the app.`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-installed-'));
  const install = path.join(root, opts.installDir);
  const resourcesPath = path.join(install, 'resources');
  fs.mkdirSync(resourcesPath, { recursive: true });
  for (const entry of fs.readdirSync(resourcesSrc)) {
    if (entry === 'app.asar') continue;
    fs.cpSync(path.join(resourcesSrc, entry), path.join(resourcesPath, entry), { recursive: true });
  }
  const appPath = path.join(resourcesPath, 'app.asar');
  extractAll(asar, appPath);
  const userData = path.join(root, opts.userDataDir);
  const exe = path.join(PACKAGE_DIR, 'keyfleet-desktop');
  const fuses = { onlyLoadAppFromAsar: true, grantFileProtocolExtraPrivileges: true };
  const ready = getCurrentFuseWire(exe).then((wire) => {
    fuses.onlyLoadAppFromAsar = wire[FuseV1Options.OnlyLoadAppFromAsar] === FuseState.ENABLE;
    fuses.grantFileProtocolExtraPrivileges = wire[FuseV1Options.GrantFileProtocolExtraPrivileges] !== FuseState.DISABLE;
  });
  return { resourcesPath, appPath, userData, fuses, ready, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
