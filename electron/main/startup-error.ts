/**
 * What the user reads when Keyfleet cannot start (a damaged store, one written by a newer
 * Keyfleet, a data directory it cannot write): what is wrong, where the data is, what to do.
 * Nothing is overwritten on the way out.
 */
export const STARTUP_ERROR_TITLE = 'Keyfleet could not start';

export function startupErrorMessage(error: unknown, dataDir: string | undefined): string {
  const what = error instanceof Error ? error.message : String(error);
  const lines = [what, ''];
  if (dataDir) {
    lines.push(`Your data directory is ${dataDir}. Keyfleet did not change anything in it.`);
    if (/newer Keyfleet/.test(what)) lines.push('Install the newer Keyfleet that wrote it, then start again.');
    else lines.push('Restore the file named above from a backup (or move it aside to start with an empty fleet), then start Keyfleet again.');
  } else {
    lines.push('Start Keyfleet again; if this keeps happening, reinstall it.');
  }
  return lines.join('\n');
}
