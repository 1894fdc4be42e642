// The main window and the app:// protocol that serves the built renderer to it. Serving from a
// privileged standard scheme (rather than file://) gives the page a real origin, so the CSP's
// 'self', the IPC sender check and the navigation guard all mean "Postdesk's own files" and
// nothing else on the disk.
import { BrowserWindow, net, protocol, type BrowserWindowConstructorOptions } from 'electron';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { mediaCacheControl } from '../core/media/thumbnails';
import { contentTypeOf, findRendererFile, isWithin } from './renderer-files';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, hardenWebContents, isAppUrl } from './security';

export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface MainWindowConfig {
  /** Absolute path of dist/electron/preload.cjs. */
  preload: string;
  icon?: string;
  /** Developer tools: on in development, off in the packaged app. */
  devTools: boolean;
  dark?: boolean;
}

/** The main window's options. Every security-relevant preference is spelled out, not defaulted. */
export function mainWindowOptions(cfg: MainWindowConfig): BrowserWindowConstructorOptions {
  return {
    title: 'Postdesk',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown on ready-to-show, so the user never sees a blank white frame.
    show: false,
    backgroundColor: cfg.dark ? '#15171c' : '#ffffff',
    ...(cfg.icon ? { icon: cfg.icon } : {}),
    webPreferences: {
      preload: cfg.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      devTools: cfg.devTools,
    },
  };
}

/** Must run before the app is ready: app:// behaves like https (standard, secure, fetch-able). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  });
}

/**
 * Answers one app:// request from the files in `rendererDir` (dist/renderer). Anything outside
 * the folder, on another host, or not a GET/HEAD gets an error response, never a file.
 */
export async function serveAppRequest(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  if (!isAppUrl(request.url)) return plain(404, 'Not found');
  const root = resolve(rendererDir);
  const { pathname } = new URL(request.url);
  const wanted = pathname === '/' || pathname === '' ? '/index.html' : pathname;
  let file = (await findRendererFile(root, wanted))?.file;
  // Client-side routes (no file extension) get the app shell, as a web server would.
  if (!file && extname(wanted) === '' && new URL(request.url).host === APP_HOST) {
    const lexical = resolve(root, '.' + wanted);
    if (isWithin(root, lexical)) file = (await findRendererFile(root, '/index.html'))?.file;
  }
  if (!file) return plain(404, 'Not found');
  const body = await readFile(file);
  const headers = {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

type MediaLookup = (
  mediaId: string,
  opts: { thumbnail: boolean },
) => Promise<{ path: string; mimeType: string; variant: 'original' | 'thumbnail'; sha256: string | null } | null>;
let mediaLookup: MediaLookup | null = null;

/**
 * Once the core is up: app://postdesk/media/<id> serves the library file, and
 * app://postdesk/media/<id>?thumb=<version> its thumbnail (or the picture itself while it has
 * none), as /media/<id> does in web mode.
 */
export function setMediaLookup(lookup: MediaLookup): void {
  mediaLookup = lookup;
}

async function serveMedia(request: Request, mediaId: string): Promise<Response> {
  const thumb = new URL(request.url).searchParams.get('thumb');
  const found = mediaLookup ? await mediaLookup(mediaId, { thumbnail: thumb !== null }) : null;
  if (!found) return plain(404, 'Not found');
  // net.fetch on the file honours Range, so video seeks without reading the whole file.
  const res = await net.fetch(pathToFileURL(found.path).toString(), { headers: request.headers });
  const headers = new Headers(res.headers);
  headers.set('Content-Type', found.mimeType);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Cache-Control', mediaCacheControl(found, thumb));
  return new Response(res.body, { status: res.status, headers });
}

/** Serves app:// from `rendererDir` on the default session. Call once the app is ready. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const media = /^\/media\/([0-9a-f-]{36})$/i.exec(new URL(request.url).pathname);
    if (media?.[1] && isAppUrl(request.url) && (request.method === 'GET' || request.method === 'HEAD')) return serveMedia(request, media[1]);
    return serveAppRequest(rendererDir, request);
  });
}

/** Creates the hardened main window and loads the app into it. */
export function createMainWindow(cfg: MainWindowConfig): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(cfg));
  // Also applied through app 'web-contents-created'; repeated here so the main window never
  // depends on that listener having been installed first.
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
    console.error('[window] the app page did not load:', err);
  });
  return win;
}
