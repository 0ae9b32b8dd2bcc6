#!/usr/bin/env node
// `npm run package:offline`: Forge packages the app for linux-x64 exactly as `npm run package`
// does (its Vite build of main, preload and renderer, the packager, the fuses, the hooks),
// against a stand-in Electron zip, since no Electron binary can be downloaded here. `npm test`
// runs it once before the tests, which read its output (test/shell/package-app.ts): the package
// in out/Keyfleet-linux-x64 and the renderer build in .vite/renderer/main_window.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeStandInElectronZip } from './package-electron-zip.ts';
import { PACKAGE_DIR, PROJECT_DIR, STAND_IN_ZIP_DIR, electronVersion } from './package-app.ts';

const started = Date.now();
const zip = makeStandInElectronZip(STAND_IN_ZIP_DIR, electronVersion());
const forge = path.join(PROJECT_DIR, 'node_modules', '@electron-forge', 'cli', 'dist', 'electron-forge.js');
fs.rmSync(PACKAGE_DIR, { recursive: true, force: true });
const result = spawnSync(process.execPath, [forge, 'package', '--platform', 'linux', '--arch', 'x64'], {
  cwd: PROJECT_DIR,
  env: { ...process.env, KEYFLEET_ELECTRON_ZIP_DIR: path.dirname(zip) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (result.status !== 0) {
  console.error(`package:offline: electron-forge package failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  process.exit(1);
}
if (!fs.existsSync(path.join(PACKAGE_DIR, 'resources', 'app.asar'))) {
  console.error(`package:offline: electron-forge package succeeded but ${PACKAGE_DIR} has no resources/app.asar`);
  process.exit(1);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`package:offline: ${path.relative(PROJECT_DIR, PACKAGE_DIR)} packaged in ${seconds} s with a stand-in Electron ${electronVersion()}, for the tests: it does not run`);
