import type { Migration } from './index.ts';

/**
 * Version 4: a PPK the key server refused (S:KO) is marked `refused`, with the server's words,
 * instead of staying in stock to be picked again. Nothing in a version-3 file changes; the
 * version moves so that an older Keyfleet, which knows no such state, refuses the file with a
 * clear "update Keyfleet" instead of failing on the first refused PPK.
 */
export const m004PpkRefused: Migration = {
  version: 4,
  name: 'ppk-refused',
  up(data) {
    return { ...data, schemaVersion: 4 };
  },
};
