import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { packageApp } from '../package-app.ts';

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
 * The package Forge made, installed into a fresh folder as a user's machine would have it (see
 * packageApp), with a data directory beside it and the fuses the packaged binary carries.
 * `installDir` and `userDataDir` are relative names (spaces and non-ASCII welcome).
 */
export function installedApp(opts: { installDir: string; userDataDir: string }): InstalledApp & { ready: Promise<void> } {
  const pkg = packageApp({ installDir: opts.installDir });
  const fuses = { onlyLoadAppFromAsar: true, grantFileProtocolExtraPrivileges: true };
  const ready = getCurrentFuseWire(pkg.executable).then((wire) => {
    fuses.onlyLoadAppFromAsar = wire[FuseV1Options.OnlyLoadAppFromAsar] === FuseState.ENABLE;
    fuses.grantFileProtocolExtraPrivileges = wire[FuseV1Options.GrantFileProtocolExtraPrivileges] !== FuseState.DISABLE;
  });
  return { resourcesPath: pkg.extractedResourcesDir, appPath: pkg.appDir, userData: path.join(pkg.root, opts.userDataDir), fuses, ready, remove: pkg.remove };
}
