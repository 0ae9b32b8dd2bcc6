/**
 * A value as one word a POSIX shell reads back unchanged: bare when it holds only characters a
 * shell leaves alone, else single-quoted. Every command Keyfleet suggests (in errors, next steps
 * and onboarding's list of what is left) quotes names and paths with this, so it can be pasted.
 */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
