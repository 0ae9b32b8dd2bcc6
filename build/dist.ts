#!/usr/bin/env node
// `npm run dist:linux | dist:win | dist:mac [-- --arch x64|arm64] [--dry-run]`: Forge packages
// the app (building it, flipping fuses, signing where the environment says how), then
// electron-builder makes the installers from that package with `--prepackaged`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const PROJECT_DIR = path.resolve(import.meta.dirname, '..');
const PRODUCT_NAME = 'Keyfleet';

export const TARGETS = {
  linux: { platform: 'linux', builderFlag: '--linux' },
  win: { platform: 'win32', builderFlag: '--win' },
  mac: { platform: 'darwin', builderFlag: '--mac' },
} as const;
export type TargetName = keyof typeof TARGETS;

const ARCHS = ['x64', 'arm64', 'ia32', 'armv7l'] as const;
type Arch = (typeof ARCHS)[number];

/**
 * Where Forge leaves the packaged app, in the form electron-builder's `--prepackaged` wants:
 * the app folder on Linux and Windows, the `.app` bundle itself on macOS. Forge names the folder
 * `<productName>-<platform>-<arch>`, so an Apple silicon build is `…-darwin-arm64`.
 */
export function prepackagedPath(target: TargetName, arch: string, outDir = 'out'): string {
  const folder = path.join(outDir, `${PRODUCT_NAME}-${TARGETS[target].platform}-${arch}`);
  return target === 'mac' ? path.join(folder, `${PRODUCT_NAME}.app`) : folder;
}

/** The host's architecture as Forge names it when `--arch` is not given. */
export function hostArch(): Arch {
  return process.arch === 'arm' ? 'armv7l' : (process.arch as Arch);
}

export interface Step {
  command: string;
  args: string[];
}

/** The two commands a dist run executes, in order. */
export function distSteps(target: TargetName, arch: string): Step[] {
  return [
    { command: 'electron-forge', args: ['package', '--platform', TARGETS[target].platform, '--arch', arch] },
    { command: 'electron-builder', args: [TARGETS[target].builderFlag, `--${arch}`, '--prepackaged', prepackagedPath(target, arch)] },
  ];
}

/** A dev dependency's command, run with this Node (no shell, same on every OS). */
function binScript(pkg: string, bin: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  if (!rel) throw new Error(`${pkg} has no ${bin} command; run npm ci`);
  return path.join(PROJECT_DIR, 'node_modules', pkg, rel);
}

const BIN_PACKAGES: Record<string, string> = { 'electron-forge': '@electron-forge/cli', 'electron-builder': 'electron-builder' };

function main(argv: string[]): number {
  const usage = 'usage: node build/dist.ts linux|win|mac [--arch x64|arm64|ia32|armv7l] [--dry-run]';
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { arch: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
  } catch (e) {
    console.error(`dist: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  const [target, ...rest] = parsed.positionals;
  if (!target || !(target in TARGETS) || rest.length) {
    console.error(`dist: name one target, linux, win or mac\n${usage}`);
    return 2;
  }
  const arch = parsed.values.arch ?? hostArch();
  if (!(ARCHS as readonly string[]).includes(arch)) {
    console.error(`dist: --arch must be one of ${ARCHS.join(', ')}, not ${arch}\n${usage}`);
    return 2;
  }
  const steps = distSteps(target as TargetName, arch);
  if (parsed.values['dry-run']) {
    console.log(JSON.stringify({ target, arch, steps }, null, 2));
    return 0;
  }
  for (const step of steps) {
    console.log(`dist: ${step.command} ${step.args.join(' ')}`);
    const result = spawnSync(process.execPath, [binScript(BIN_PACKAGES[step.command]!, step.command), ...step.args], { cwd: PROJECT_DIR, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`dist: ${step.command} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); nothing after it ran.`);
      return 1;
    }
  }
  console.log(`dist: installers are in ${path.join(PROJECT_DIR, 'dist')}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
