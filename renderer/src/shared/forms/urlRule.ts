/**
 * What a URL field says before anything is sent: the services accept only http:// and https://
 * URLs without credentials in them, and answer with the same rule in their own words.
 */
export function urlProblem(url: string): string | null {
  const u = url.trim();
  if (u === '') return null;
  if (!/^https?:\/\//i.test(u)) return 'URL must start with http:// or https://';
  try {
    const parsed = new URL(u);
    if (!parsed.username && !parsed.password && parsed.hostname) return null;
  } catch {
    // Falls through to the same message as a URL with credentials in it.
  }
  return 'URL is not valid (put user names and passwords in their own fields)';
}
