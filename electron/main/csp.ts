import { createHash } from 'node:crypto';

/**
 * The renderer's Content-Security-Policy: our own scripts only, no eval, no remote code.
 * Inline styles are allowed because the component library sets style attributes.
 *
 * In development the page comes from Vite's dev server, which puts one inline module script
 * (React Refresh's preamble) into index.html; `scriptHashes` lets exactly those scripts run and
 * nothing else inline. The installed app passes none and stays `script-src 'self'`.
 */
export interface CspOptions {
  /** The dev server's origin (`http://localhost:5173`), when the page comes from it. */
  devOrigin?: string;
  /** `sha256-…` sources for the dev server's inline scripts. */
  scriptHashes?: readonly string[];
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const scripts = ["'self'", ...(opts.scriptHashes ?? []).map((h) => `'${h}'`)].join(' ');
  const connect = opts.devOrigin ? `'self' ${opts.devOrigin} ${opts.devOrigin.replace(/^http/, 'ws')}` : "'self'";
  return [
    "default-src 'none'",
    `script-src ${scripts}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The policy as a <meta> tag can carry it (frame-ancestors is ignored there, so it is left out). */
export function metaContentSecurityPolicy(): string {
  return contentSecurityPolicy()
    .split('; ')
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
}

/** `sha256-…` of every inline <script> in a page, as a CSP source expects it. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]!) || m[2]!.length === 0) continue;
    hashes.push(`sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}`);
  }
  return hashes;
}
