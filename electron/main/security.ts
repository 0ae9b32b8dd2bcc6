import type { Session, WebContents } from 'electron';
import { originOf } from './app-protocol.ts';

/** The only permission the page is ever granted: writing to the clipboard (the Copy buttons). */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Whether a page at `requestingUrl` may have `permission`: only ours, only the clipboard write. */
export function isPermissionGranted(permission: string, requestingUrl: string | undefined, appOrigin: string): boolean {
  return GRANTED_PERMISSIONS.has(permission) && !!requestingUrl && originOf(requestingUrl) === appOrigin;
}

/**
 * Every response gets the app's Content-Security-Policy (the app:// handler sets it too; this
 * covers the dev server's pages), and the page gets no permission but the clipboard write.
 */
export function installSessionPolicy(session: Session, csp: string, appOrigin: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(isPermissionGranted(permission, details?.requestingUrl, appOrigin)));
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin, appOrigin));
}

/** Only http(s) links leave the app, and only through the OS browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The window never navigates (the UI is one page) and never opens another window. */
export function lockDownWebContents(contents: WebContents, openExternal: (url: string) => unknown): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (isSafeExternalUrl(url)) void openExternal(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
