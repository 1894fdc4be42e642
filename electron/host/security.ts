// The Electron host's security rules in one place: what the app's own origin is, the CSP, which
// external links may leave the app, and the guards every webContents and the session get.
// The renderer shows untrusted text (DMs, comments, scraped pages), so it is treated as hostile:
// it may not navigate away, open windows, attach <webview>s, or ask for device permissions.
import { shell, type App, type HandlerDetails, type Session, type WebContents, type WindowOpenHandlerResponse } from 'electron';
import { externalHref, isAllowedExternalUrl } from './external-url';

/** The renderer is served from `app://postdesk/` (see window.ts), never from file:// or http. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'postdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is on the app's own origin. Compared by scheme and host rather than
 * `URL.origin`, which is "null" for schemes WHATWG does not know (like app:).
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

// The check itself is pure (external-url.ts) so the renderer can apply the same rule before it
// makes a stranger's text clickable; the main side keeps importing it from here.
export { isAllowedExternalUrl };

/** Open an allowed link in the user's browser or mail app; anything else is refused. */
export async function openExternalSafely(url: string): Promise<boolean> {
  // Re-serialised, so what the OS receives is exactly what was checked.
  const normalised = externalHref(url);
  if (normalised === null) return false;
  try {
    await shell.openExternal(normalised);
    return true;
  } catch (err) {
    console.error('[security] could not open link in the system browser:', err);
    return false;
  }
}

/** window.open and target=_blank: never a new Electron window; allowed links go to the browser. */
export function windowOpenHandler(details: HandlerDetails): WindowOpenHandlerResponse {
  void openExternalSafely(details.url);
  return { action: 'deny' };
}

interface PreventableEvent {
  preventDefault(): void;
  url?: string;
}

/** will-navigate / will-redirect: the renderer stays on the app origin. */
export function guardNavigation(event: PreventableEvent, legacyUrl?: string): void {
  const url = event.url ?? legacyUrl ?? '';
  if (isAppUrl(url)) return;
  event.preventDefault();
  // A plain link click (no target=_blank) to a web page still reaches the browser.
  void openExternalSafely(url);
}

const hardened = new WeakSet<WebContents>();

/**
 * The guards every webContents gets, the main window's and any other that might appear.
 * Idempotent: a second call would otherwise open an external link twice.
 */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-navigate', (event, url) => guardNavigation(event, url));
  contents.on('will-redirect', (event, url) => guardNavigation(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler);
}

/** Applies hardenWebContents to every webContents the app ever creates. */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** Adds the CSP to a response's headers, replacing any other CSP header. */
export function withCsp(headers: Record<string, string | string[]> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

// The one permission the UI uses ("Copy" buttons write text to the clipboard), and only for the
// app's own pages. Everything else (camera, microphone, page notifications, geolocation, USB...)
// is denied.
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return APP_PERMISSIONS.has(permission) && typeof requestingUrl === 'string' && isAppUrl(requestingUrl);
}

/**
 * Session-wide rules: permissions denied by default, and every response carries the CSP even if
 * something other than the app protocol answers.
 */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}
