import { KeyfleetError } from '../../errors.ts';
import { excerpt } from '../excerpt.ts';

/** How one vendor reads the server address a person typed. */
export interface VendorUrlRules {
  /** How messages name the address: "Webitel URL". */
  name: string;
  /** `details.field` of the BAD_INPUT errors (the form field to fix). */
  field?: string;
  /** Shown when the text is not a URL at all: "https://pbx.example/api". */
  example?: string;
  /** Read text without a scheme as `http://…`; otherwise it is refused. */
  schemeless?: boolean;
  /**
   * The vendor's own port, used when none is typed, unless a scheme is typed (the scheme then
   * implies its port) or unless a path is typed (a path means a reverse proxy on the scheme's port).
   */
  defaultPort?: { port: number; unless: 'scheme' | 'path' };
  /** What a query string means: dropped (default; a pasted one may carry a password), refused, or kept. */
  query?: 'drop' | 'refuse' | 'keep';
  /** Refuse a user or password inside the address, with this hint on where they belong. */
  credentialsBelong?: string;
}

export interface VendorUrl {
  /** The address with scheme, default port and query applied; never a fragment. */
  url: URL;
  schemeTyped: boolean;
  /** The path without trailing slashes ('' for none). */
  path: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether text starts with a scheme (`https://`). */
export function hasScheme(text: string): boolean {
  return SCHEME.test(text);
}

/** The address a person typed, checked and completed under one vendor's rules; BAD_INPUT names what is wrong. */
export function parseVendorUrl(input: string, rules: VendorUrlRules): VendorUrl {
  const fail = (message: string) => new KeyfleetError('BAD_INPUT', message, rules.field ? { field: rules.field } : undefined);
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') throw fail(`${rules.name} is empty`);
  const schemeTyped = hasScheme(text);
  if (!schemeTyped && !rules.schemeless) throw fail(notUrl(text, rules));
  let url: URL;
  try {
    url = new URL(schemeTyped ? text : `http://${text}`);
  } catch {
    throw fail(notUrl(text, rules));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`${rules.name} must start with https:// or http://, got ${url.protocol}//`);
  if (!url.hostname) throw fail(`${rules.name} ${JSON.stringify(excerpt(text, 80))} has no host`);
  if (rules.credentialsBelong && (url.username || url.password)) throw fail(`${rules.name} must not contain a user name or password; ${rules.credentialsBelong}`);
  if (rules.query === 'refuse' && (url.search || url.hash)) throw fail(`${rules.name} must not have a query or fragment: ${url.host}`);
  // Each setter re-serialises the URL: set only what is there to clear (an instance's address is
  // parsed once per request of a refresh).
  // (An empty `?` or `#` still shows in the href, so the typed text decides, not url.search.)
  if (text.includes('#')) url.hash = '';
  if (rules.query !== 'keep' && text.includes('?')) url.search = '';
  const path = url.pathname.replace(/\/+$/, '');
  const port = rules.defaultPort;
  // Whether a port was typed is asked last: a typed scheme or path already excuses the default.
  if (port && !(port.unless === 'scheme' ? schemeTyped : path !== '') && !portTyped(text, schemeTyped)) url.port = String(port.port);
  return { url, schemeTyped, path };
}

function notUrl(text: string, rules: VendorUrlRules): string {
  return `${rules.name} ${JSON.stringify(excerpt(text, 80))} is not a valid URL${rules.example ? ` (expected e.g. ${rules.example})` : ''}`;
}

/** Whether the text names a port itself (URL drops one equal to the scheme's default). */
function portTyped(text: string, schemeTyped: boolean): boolean {
  const authority = (schemeTyped ? text.replace(SCHEME, '') : text).split(/[/?#]/, 1)[0] ?? '';
  return /:\d+$/.test(authority);
}
