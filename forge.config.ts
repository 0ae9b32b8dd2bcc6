import type { ForgeConfig } from '@electron-forge/shared-types';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { placeKeyringBinding } from './build/keyring-binding.ts';
import { applySigning } from './build/signing.ts';

/**
 * Forge runs (`npm start`) and packages the app; electron-builder turns the packaged app into
 * installers (electron-builder.yml, `npm run dist:*` through build/dist.ts). Native modules are
 * kept outside the Vite bundle and copied into the package next to it.
 */
const keepInPackage = [/^\/\.vite(\/|$)/, /^\/package\.json$/, /^\/node_modules(\/|$)$/, /^\/node_modules\/@napi-rs(\/|$)/];

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Keyfleet',
    executableName: 'keyfleet-desktop',
    appBundleId: 'com.keyfleet.app',
    appCategoryType: 'public.app-category.business',
    icon: 'build/icon',
    // The tray icon, read at run time from process.resourcesPath.
    extraResource: ['build/icon.png'],
    // The keychain binding is a .node file: it must live outside the asar archive to load.
    asar: { unpack: '**/node_modules/@napi-rs/**' },
    ignore: (file: string) => (file ? !keepInPackage.some((re) => re.test(file)) : false),
    // Offline packaging: a folder holding electron-v<version>-<platform>-<arch>.zip (the release
    // zip for the Electron version in node_modules) is used instead of downloading it.
    electronZipDir: process.env.KEYFLEET_ELECTRON_ZIP_DIR || undefined,
  },
  rebuildConfig: {},
  hooks: {
    // Signing is read from the environment only when packaging for macOS or Windows (build/signing.ts).
    prePackage: async (forgeConfig, platform) => {
      for (const note of applySigning(forgeConfig.packagerConfig, platform, process.env)) console.warn(`note: ${note}`);
    },
    // The target OS's keychain binding, not the build machine's (build/keyring-binding.ts).
    packageAfterPrune: async (_forgeConfig, buildPath, _electronVersion, platform, arch) => {
      const { binding, source } = await placeKeyringBinding(buildPath, platform, arch, { projectDir: import.meta.dirname });
      if (source === 'registry' || source === 'cache') console.log(`Packaged ${binding} for ${platform}-${arch} (from the npm ${source === 'cache' ? 'tarball cache' : 'registry'}).`);
    },
  },
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main/index.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    // Fuses are flipped in the packaged binary, so they hold even if someone edits the app.
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
