import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The keychain binding, @napi-rs/keyring, loads a prebuilt `.node` file from a per-platform
 * package (`@napi-rs/keyring-win32-x64-msvc`, …). npm installs only the build machine's, so a
 * Windows or macOS app packaged on Linux would ship the Linux binary and fail every secret
 * operation. After Forge copies the app, this puts the target's binding package in its place:
 * from the project when it is installed, else fetched from the registry with `npm pack` (at the
 * exact version of @napi-rs/keyring being packaged) into a cache. Other platforms' bindings are
 * removed, so an installer carries only the binary it can load.
 */
const run = promisify(execFile);
const SCOPE = '@napi-rs';
const BINDING_PREFIX = 'keyring-';

const BINDINGS: Record<string, Record<string, string>> = {
  // Electron runs on glibc on Linux; Electron's own Linux builds need it.
  linux: { x64: 'linux-x64-gnu', arm64: 'linux-arm64-gnu', armv7l: 'linux-arm-gnueabihf' },
  win32: { x64: 'win32-x64-msvc', arm64: 'win32-arm64-msvc', ia32: 'win32-ia32-msvc' },
  darwin: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
  mas: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
};

export class KeyringBindingError extends Error {}

/** The binding package an app for platform/arch needs, e.g. `@napi-rs/keyring-win32-x64-msvc`. */
export function keyringBindingPackage(platform: string, arch: string): string {
  const triple = BINDINGS[platform]?.[arch];
  if (!triple) {
    const supported = Object.entries(BINDINGS).flatMap(([p, archs]) => Object.keys(archs).map((a) => `${p}-${a}`));
    throw new KeyringBindingError(`There is no keychain binding for ${platform}-${arch}; Keyfleet packages for ${supported.join(', ')}. A universal macOS app is not supported: package x64 and arm64 separately.`);
  }
  return `${SCOPE}/${BINDING_PREFIX}${triple}`;
}

export interface PlaceOptions {
  /** The project whose node_modules may already hold the binding (and whose npm config applies). */
  projectDir: string;
  /** Where fetched binding tarballs are kept between builds. */
  cacheDir?: string;
}

async function readVersion(packageDir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** npm as the running npm script uses it, else the one on PATH. */
function npmCommand(): { file: string; prefix: string[]; shell: boolean } {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.(c|m)?js$/.test(npmCli)) return { file: process.execPath, prefix: [npmCli], shell: false };
  return { file: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [], shell: process.platform === 'win32' };
}

/** The binding's tarball, from the cache (`<name>-<version>.tgz`) or else the registry. */
async function fetchTarball(spec: string, fileName: string, opts: Required<PlaceOptions>): Promise<{ tarball: string; source: 'cache' | 'registry' }> {
  const tarball = path.join(opts.cacheDir, fileName);
  try {
    await fs.access(tarball);
    return { tarball, source: 'cache' };
  } catch {
    // not cached yet
  }
  await fs.mkdir(opts.cacheDir, { recursive: true });
  const npm = npmCommand();
  try {
    const { stdout } = await run(npm.file, [...npm.prefix, 'pack', spec, '--json', '--pack-destination', opts.cacheDir], { cwd: opts.projectDir, shell: npm.shell, maxBuffer: 16 * 1024 * 1024 });
    const packed = (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename;
    if (!packed) throw new Error('npm pack named no file');
    const packedPath = path.join(opts.cacheDir, path.basename(packed));
    if (packedPath !== tarball) await fs.rename(packedPath, tarball);
    return { tarball, source: 'registry' };
  } catch (e) {
    throw new KeyringBindingError(`Could not fetch ${spec} from the npm registry (${(e as Error).message.split('\n')[0]}). Packaging for another OS needs the registry once per binding; or package on that OS.`);
  }
}

/**
 * Makes `buildPath` (the app folder Forge is packaging) hold exactly the keychain binding for
 * platform/arch, at the version of the @napi-rs/keyring it holds.
 */
/** Where the binding in the package came from. */
export type BindingSource = 'copied' | 'project' | 'cache' | 'registry';

export async function placeKeyringBinding(buildPath: string, platform: string, arch: string, options: PlaceOptions): Promise<{ binding: string; source: BindingSource }> {
  const opts: Required<PlaceOptions> = { cacheDir: path.join(options.projectDir, 'node_modules', '.cache', 'keyfleet-keyring'), ...options };
  const scopeDir = path.join(buildPath, 'node_modules', SCOPE);
  const version = await readVersion(path.join(scopeDir, 'keyring'));
  if (!version) throw new KeyringBindingError(`${SCOPE}/keyring is not in the app being packaged (${scopeDir}); check packagerConfig.ignore in forge.config.ts.`);
  const binding = keyringBindingPackage(platform, arch);
  const bindingDir = path.join(buildPath, 'node_modules', binding);

  for (const entry of await fs.readdir(scopeDir)) {
    if (entry.startsWith(BINDING_PREFIX) && `${SCOPE}/${entry}` !== binding) await fs.rm(path.join(scopeDir, entry), { recursive: true, force: true });
  }
  let source: BindingSource = 'copied';
  if ((await readVersion(bindingDir)) !== version) {
    await fs.rm(bindingDir, { recursive: true, force: true });
    const installed = path.join(opts.projectDir, 'node_modules', binding);
    if ((await readVersion(installed)) === version) {
      await fs.cp(installed, bindingDir, { recursive: true });
      source = 'project';
    } else {
      const fetched = await fetchTarball(`${binding}@${version}`, `${binding.replace('/', '-')}-${version}.tgz`, opts);
      await unpackInto(bindingDir, fetched.tarball, binding, version);
      source = fetched.source;
    }
  }
  await assertLoadable(bindingDir, binding, opts.cacheDir);
  return { binding, source };
}

async function unpackInto(bindingDir: string, tarball: string, binding: string, version: string): Promise<void> {
  const unpackDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-keyring-'));
  try {
    await run('tar', ['-xzf', tarball, '-C', unpackDir]);
    const unpacked = path.join(unpackDir, 'package');
    const got = await readVersion(unpacked);
    if (got !== version) throw new KeyringBindingError(`${tarball} holds ${binding} ${got ?? '(no version)'}, not ${version}; delete it and package again.`);
    await fs.cp(unpacked, bindingDir, { recursive: true });
  } finally {
    await fs.rm(unpackDir, { recursive: true, force: true });
  }
}

/** The binding package names its .node file as `main`; without it every secret operation fails. */
async function assertLoadable(bindingDir: string, binding: string, cacheDir: string): Promise<void> {
  const { main } = JSON.parse(await fs.readFile(path.join(bindingDir, 'package.json'), 'utf8')) as { main?: string };
  try {
    if (!main?.endsWith('.node')) throw new Error('no .node main');
    await fs.access(path.join(bindingDir, main));
  } catch {
    throw new KeyringBindingError(`${binding} has no native binary (${main ?? 'no main'} is missing); reinstall it with npm ci, or delete its tarball in ${cacheDir}, and package again.`);
  }
}
