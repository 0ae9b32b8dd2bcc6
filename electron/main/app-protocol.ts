import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The renderer is served over `app://keyfleet/`, a privileged standard scheme, instead of
 * `file://`: the origin is the same on every OS and install path (no drive letters, spaces or
 * percent-encoding to compare), the page never needs the file-protocol fuse, and only files of
 * the packaged renderer folder can be reached.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'keyfleet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * The origin of a URL as `scheme://host[:port]`. WHATWG URL gives "null" as the origin of every
 * non-special scheme (app:, file:), so the origin is rebuilt from its parts; file: URLs have no
 * host and never equal an app origin.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (!u.host) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/**
 * The file under `root` an app:// URL names, or null when it names none: another host, a
 * traversal (`..`, encoded or not, either slash), an absolute or drive path, a NUL. `p` is the
 * path flavour of the OS the app runs on (tests pass path.win32 to check Windows installs).
 */
export function rendererFileFor(url: string, root: string, p: path.PlatformPath = path): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const segments: string[] = [];
  for (const raw of u.pathname.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '.' || seg === '..' || /[/\\\0:]/.test(seg)) return null;
    segments.push(seg);
  }
  if (segments.length === 0) segments.push('index.html');
  const file = p.join(root, ...segments);
  const rel = p.relative(root, file);
  if (rel === '' || rel.startsWith('..') || p.isAbsolute(rel)) return null;
  return file;
}

export interface AppProtocolOptions {
  /** The packaged renderer folder (…/.vite/renderer/main_window). */
  root: string;
  /** The Content-Security-Policy every page response carries. */
  csp: string;
  readFile?: (file: string) => Promise<Uint8Array>;
}

/** The handler for protocol.handle(APP_SCHEME, …): files of the renderer folder, nothing else. */
export function appProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const readFile = opts.readFile ?? ((f: string) => fs.readFile(f));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = rendererFileFor(request.url, opts.root);
    if (!file) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    }
    const headers = {
      'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': opts.csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers });
  };
}
