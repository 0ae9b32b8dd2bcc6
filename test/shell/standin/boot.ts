import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { createElectronStandin, type StandinOptions, type StandinState } from './electron.ts';

export const PROJECT = path.resolve(import.meta.dirname, '../../..');
export const BUILD_DIR = path.join(PROJECT, '.vite/build');

export interface BootedMain {
  state: StandinState;
  /** The main bundle that was loaded (…/.vite/build/index.cjs). */
  bundle: string;
  /** Resolves once the first window exists, or start-up failed. */
  started: Promise<void>;
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * Loads the app's `main` bundle, as package.json names it, under the stand-in electron, in
 * this process. One boot per process: the bundle holds the app's state at module level, as
 * Electron's main process does.
 */
export function bootMain(opts: StandinOptions & { bundle?: string }): BootedMain {
  const pkg = JSON.parse(fs.readFileSync(path.join(opts.appPath, 'package.json'), 'utf8')) as { main: string };
  // `bundle` is for a development build written elsewhere; an app starts from package.json's main.
  const bundle = opts.bundle ?? path.join(opts.appPath, pkg.main);
  if (!fs.existsSync(bundle)) throw new Error(`package.json main names ${pkg.main}, which does not exist in ${opts.appPath}: Electron would say "Cannot find module"`);
  const { electron, state } = createElectronStandin(opts);
  const mod = Module as unknown as { _load: Load };
  const load = mod._load;
  mod._load = function (request, parent, isMain) {
    if (request === 'electron') return electron;
    return load.call(this, request, parent, isMain);
  };
  const started = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('main neither opened a window nor failed within 20 s')), 20_000);
    const poll = setInterval(() => {
      if (state.windows.length > 0 || state.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve();
      }
    }, 10);
  });
  createRequire(bundle)(bundle);
  return { state, bundle, started };
}
