import fs from 'node:fs';
import type { ForgeConfig } from '@electron-forge/shared-types';

/**
 * Code signing from environment variables. electron-builder signs nothing it is handed with
 * `--prepackaged` (its signing runs only after it packs the app itself), so the app is signed
 * while Forge packages it: @electron/osx-sign and @electron/notarize on macOS,
 * @electron/windows-sign on Windows. electron-builder then signs only what it makes itself, the
 * NSIS installer and uninstaller, from WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD.
 *
 * Without the variables the app is packaged unsigned and `notes` says what to set.
 */
type PackagerConfig = NonNullable<ForgeConfig['packagerConfig']>;
export type Env = Record<string, string | undefined>;

export interface MacSigning {
  osxSign?: PackagerConfig['osxSign'];
  osxNotarize?: PackagerConfig['osxNotarize'];
  notes: string[];
}

export interface WindowsSigning {
  windowsSign?: PackagerConfig['windowsSign'];
  notes: string[];
}

export class SigningConfigError extends Error {}

function set(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** All of `names` or none: a partial set is a mistake worth stopping the build for. */
function group(env: Env, what: string, names: string[]): Record<string, string> | undefined {
  const values = Object.fromEntries(names.map((n) => [n, set(env, n)]));
  const missing = names.filter((n) => !values[n]);
  if (missing.length === names.length) return undefined;
  if (missing.length) throw new SigningConfigError(`${what} needs ${names.join(', ')}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`);
  return values as Record<string, string>;
}

export function macSigning(env: Env): MacSigning {
  const identity = set(env, 'APPLE_SIGNING_IDENTITY');
  const keychainProfile = set(env, 'APPLE_KEYCHAIN_PROFILE');
  const apiKey = group(env, 'Notarizing with an App Store Connect API key', ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER']);
  const appleId = group(env, 'Notarizing with an Apple ID', ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']);
  const wantsNotarizing = Boolean(keychainProfile || apiKey || appleId);
  if (!identity) {
    if (wantsNotarizing) throw new SigningConfigError('Notarizing needs a signed app: set APPLE_SIGNING_IDENTITY to the "Developer ID Application: …" identity in the keychain.');
    return { notes: ['macOS: the app is not signed or notarized (set APPLE_SIGNING_IDENTITY, and APPLE_KEYCHAIN_PROFILE or the APPLE_API_KEY or APPLE_ID variables, to sign and notarize it).'] };
  }
  if (apiKey && !fs.existsSync(apiKey.APPLE_API_KEY!)) throw new SigningConfigError(`APPLE_API_KEY names ${apiKey.APPLE_API_KEY}, which does not exist: it must be the path of the .p8 key file.`);
  // Hardened runtime and Electron's own entitlements are @electron/osx-sign's defaults; a
  // failed signature must fail the build, not leave an unsigned app behind a warning.
  const osxSign = { identity, continueOnError: false };
  const osxNotarize = keychainProfile
    ? { keychainProfile }
    : apiKey
      ? { appleApiKey: apiKey.APPLE_API_KEY!, appleApiKeyId: apiKey.APPLE_API_KEY_ID!, appleApiIssuer: apiKey.APPLE_API_ISSUER! }
      : appleId
        ? { appleId: appleId.APPLE_ID!, appleIdPassword: appleId.APPLE_APP_SPECIFIC_PASSWORD!, teamId: appleId.APPLE_TEAM_ID! }
        : undefined;
  if (!osxNotarize) {
    return { osxSign, notes: ['macOS: the app is signed but not notarized, so Gatekeeper will block it on other Macs (set APPLE_KEYCHAIN_PROFILE, or the APPLE_API_KEY or APPLE_ID variables).'] };
  }
  return { osxSign, osxNotarize, notes: [] };
}

export function windowsSigning(env: Env): WindowsSigning {
  const cert = group(env, 'Signing for Windows', ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD']);
  if (!cert) return { notes: ['Windows: keyfleet.exe and the installer are not signed (set WIN_CSC_LINK to a .pfx file and WIN_CSC_KEY_PASSWORD to sign them).'] };
  if (!fs.existsSync(cert.WIN_CSC_LINK!)) throw new SigningConfigError(`WIN_CSC_LINK names ${cert.WIN_CSC_LINK}, which does not exist: it must be the path of the .pfx certificate file.`);
  return { windowsSign: { certificateFile: cert.WIN_CSC_LINK!, certificatePassword: cert.WIN_CSC_KEY_PASSWORD!, continueOnError: false }, notes: [] };
}

/**
 * Puts the signing options for `platform` into Forge's packager options, just before Forge
 * packages for it, and returns what was left unsigned. Reading the variables only then means a
 * half-set macOS variable never stops `npm start` or a Linux build.
 */
export function applySigning(packagerConfig: PackagerConfig, platform: string, env: Env): string[] {
  if (platform === 'darwin' || platform === 'mas') {
    const { notes, ...options } = macSigning(env);
    Object.assign(packagerConfig, options);
    return notes;
  }
  if (platform === 'win32') {
    const { notes, ...options } = windowsSigning(env);
    Object.assign(packagerConfig, options);
    return notes;
  }
  return [];
}
