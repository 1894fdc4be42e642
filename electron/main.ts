// The desktop app's main process: one instance, one hardened window on app://postdesk/, the core
// (database, events, scheduler) served over IPC, a tray that keeps Postdesk running after the
// window closes, and a clean shutdown that closes the database.
import {
  app,
  dialog,
  Menu,
  nativeTheme,
  Notification,
  powerMonitor,
  safeStorage,
  session,
  shell,
  type BrowserWindow,
  type MenuItemConstructorOptions,
  type Tray,
} from 'electron';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from './core/app';
import { APP_NAME, defaultDataDir } from './core/paths';
import { forwardEvents, registerApiHandlers } from './host/ipc';
import { watchInbox } from './host/notifications';
import { guardAllWebContents, hardenSession, openExternalSafely } from './host/security';
import { createTray } from './host/tray';
import { createMainWindow, handleAppProtocol, mainWindowOptions, registerAppScheme, setMediaLookup } from './host/window';
import { mediaForServing } from './core/media/library';

export { mainWindowOptions };
export { CONTENT_SECURITY_POLICY } from './host/security';

/** Same id as `appId` in build/electron-builder.yml (Windows notifications and taskbar grouping). */
export const APP_ID = 'com.postdesk.app';

export interface AppPaths {
  /** The folder holding package.json and dist/ (app.asar when packaged). */
  root: string;
  preload: string;
  rendererDir: string;
  trayIcon: string;
  windowIcon: string;
}

/**
 * Where the app's files are, from the directory of the running main module: dist/electron when
 * bundled (the normal case), electron/ when the source is loaded directly (tests).
 */
export function appPaths(mainDir: string, packaged: boolean, resourcesPath: string): AppPaths {
  const bundled = basename(mainDir) === 'electron' && basename(dirname(mainDir)) === 'dist';
  const root = bundled ? resolve(mainDir, '..', '..') : resolve(mainDir, '..');
  // Icons are copied next to app.asar by electron-builder (extraResources), outside the archive.
  const icons = packaged ? resourcesPath : join(root, 'build');
  return {
    root,
    preload: join(root, 'dist', 'electron', 'preload.cjs'),
    rendererDir: join(root, 'dist', 'renderer'),
    trayIcon: join(icons, 'tray.png'),
    windowIcon: join(icons, 'icon.png'),
  };
}

/** `--data <dir>` or `--data=<dir>` on the command line, as in web mode. */
export function dataDirArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--data=')) return a.slice('--data='.length) || undefined;
    if (a === '--data' && argv[i + 1] && !argv[i + 1]?.startsWith('--')) return argv[i + 1];
  }
  return undefined;
}

// System resume: the scheduler re-arms its timers here (they do not fire while the machine sleeps).
type ResumeListener = () => void;
const resumeListeners = new Set<ResumeListener>();

/** Runs `listener` every time the computer wakes from sleep. Returns the unsubscribe function. */
export function onResume(listener: ResumeListener): () => void {
  resumeListeners.add(listener);
  return () => resumeListeners.delete(listener);
}

function emitResume(): void {
  for (const l of [...resumeListeners]) {
    try {
      l();
    } catch (err) {
      console.error('[main] a resume listener failed:', err);
    }
  }
}

export interface AppMenuActions {
  open(): void;
  openDataFolder(): void;
  quit(): void;
}

export function appMenuTemplate(actions: AppMenuActions, opts: { mac: boolean; devTools: boolean }): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Postdesk', click: () => actions.open() },
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
      { type: 'separator' },
      { label: 'Close Window', role: 'close' },
      ...(opts.mac ? [] : [{ type: 'separator' } as const, { label: 'Quit Postdesk', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() }]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(opts.devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [...(opts.mac ? [{ role: 'appMenu' } as const] : []), file, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}

export interface StartOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Directory of the main module (default: this file's). */
  mainDir?: string;
  /** Quit cleanly on SIGINT/SIGTERM (`npm start` then Ctrl+C). Default true. */
  handleSignals?: boolean;
}

export interface DesktopApp {
  core: Core;
  dataDir: string;
  paths: AppPaths;
  window(): BrowserWindow | null;
  tray(): Tray | null;
  /** Shows (creating if needed) and focuses the main window. */
  showWindow(): void;
  /** Resolves when the core has been closed during quit. */
  stopped: Promise<void>;
}

/**
 * Starts the desktop app. Resolves to null when another instance already runs (it is focused
 * instead) or when the core could not start (the user has been told why).
 */
export async function startDesktopApp(opts: StartOptions = {}): Promise<DesktopApp | null> {
  const argv = opts.argv ?? process.argv;
  const env = opts.env ?? process.env;
  const paths = appPaths(opts.mainDir ?? dirname(fileURLToPath(import.meta.url)), app.isPackaged, process.resourcesPath ?? '');

  app.setName(APP_NAME);
  // userData (Chromium's profile, the single-instance lock and Postdesk's database) is set before
  // anything reads it. A --data folder gets its own profile and lock, so two data folders can be
  // open at once while the same one cannot.
  const override = dataDirArgument(argv) ?? env.POSTDESK_DATA_DIR;
  app.setPath('userData', override ? resolve(override) : join(app.getPath('appData'), APP_NAME));
  const dataDir = app.getPath('userData');
  if (!override && dataDir !== defaultDataDir(env)) {
    console.warn(`[main] desktop data folder ${dataDir} differs from web mode's default ${defaultDataDir(env)}`);
  }

  if (!app.requestSingleInstanceLock()) {
    // The running instance gets 'second-instance' and shows its window.
    app.quit();
    return null;
  }

  registerAppScheme();
  app.enableSandbox();
  guardAllWebContents(app);
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  let win: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let ready = false;
  let quitting = false;
  let toldAboutTray = false;
  let running: Core | null = null;
  const devTools = !app.isPackaged;

  const tellAboutTray = () => {
    if (toldAboutTray || !Notification.isSupported()) return;
    toldAboutTray = true;
    new Notification({
      title: 'Postdesk is still running',
      body: 'Scheduled posts keep publishing. Reopen or quit Postdesk from its tray icon.',
    }).show();
  };

  const showWindow = () => {
    if (!ready || quitting) return;
    if (!win || win.isDestroyed()) {
      const created = createMainWindow({ preload: paths.preload, icon: paths.windowIcon, devTools, dark: nativeTheme.shouldUseDarkColors });
      created.on('close', (event) => {
        if (quitting) return;
        // Closing the window is not quitting: the scheduler keeps publishing in the background.
        event.preventDefault();
        created.hide();
        tellAboutTray();
      });
      created.on('closed', () => {
        if (win === created) win = null;
      });
      // Windows log-off or shutdown skips before-quit: close the database while we still can.
      created.on('session-end', () => {
        void running?.close();
      });
      win = created;
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  app.on('second-instance', () => showWindow());
  // macOS: clicking the dock icon with no visible window.
  app.on('activate', () => showWindow());
  // Without this listener Electron quits when the last window closes; Postdesk lives in the tray.
  app.on('window-all-closed', () => undefined);

  await app.whenReady();
  hardenSession(session.defaultSession);
  handleAppProtocol(paths.rendererDir);

  const nativeBinding = !app.isPackaged ? env.POSTDESK_SQLITE_BINDING : undefined;
  let core: Core;
  try {
    core = await createCore({
      dataDir,
      host: 'electron',
      ...(nativeBinding ? { nativeBinding } : {}),
      // Tokens are sealed by the OS keychain; on Linux without a secret service the core notices
      // Electron's fixed 'basic_text' key and uses its own key file (and tells the user).
      safeStorage,
      // Sign-in pages open in the system browser (RFC 8252: never an embedded web view).
      openExternal: async (url) => {
        if (!(await openExternalSafely(url))) throw new Error('The sign-in page could not be opened in your browser.');
      },
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox(
      'Postdesk could not start',
      `Postdesk could not open its data in ${dataDir}:\n\n${detail}\n\n` +
        'Check that the folder exists, that you can write to it and that the disk is not full, then start Postdesk again. ' +
        'Nothing has been deleted; backups are kept in the "backups" folder next to the database.',
    );
    app.exit(1);
    return null;
  }

  running = core;
  setMediaLookup((mediaId, opts) => mediaForServing(core.ctx, mediaId, opts));
  const getWindow = () => (win && !win.isDestroyed() ? win : null);
  const disposeIpc = registerApiHandlers(core.ctx, getWindow);
  const disposeEvents = forwardEvents(core.ctx.events, getWindow);
  const disposeInboxWatch = watchInbox(core.ctx, showWindow);
  powerMonitor.on('resume', emitResume);
  // Timers do not fire while the machine sleeps: on wake the scheduler catches up and re-arms.
  const disposeSchedulerResume = onResume(() => core.resume());
  // Linux and macOS shutdown or log-out: quit through the clean path (closes the database).
  const onShutdown = () => app.quit();
  powerMonitor.on('shutdown', onShutdown);

  const quit = () => app.quit();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(
        { open: showWindow, quit, openDataFolder: () => void shell.openPath(dataDir) },
        { mac: process.platform === 'darwin', devTools },
      ),
    ),
  );
  tray = createTray(paths.trayIcon, { open: showWindow, quit });

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let closed = false;
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed) return;
    // Hold the quit until the database is closed, then quit for real.
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    void (async () => {
      try {
        powerMonitor.off('resume', emitResume);
        disposeSchedulerResume();
        powerMonitor.off('shutdown', onShutdown);
        disposeEvents();
        disposeInboxWatch();
        disposeIpc();
        tray?.destroy();
        tray = null;
        await core.close();
      } catch (err) {
        console.error('[main] shutdown did not finish cleanly:', err);
      } finally {
        closed = true;
        resolveStopped();
        app.quit();
      }
    })();
  });

  if (opts.handleSignals ?? true) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, quit);
  }

  // Only now may a window appear (also via 'second-instance'): the API it calls is registered.
  ready = true;
  showWindow();
  return {
    core,
    dataDir,
    paths,
    window: getWindow,
    tray: () => tray,
    showWindow,
    stopped,
  };
}

// Only Electron's main process starts the app; importing this module elsewhere (tests) does not.
if (process.versions.electron && process.type === 'browser') {
  startDesktopApp().catch((err: unknown) => {
    console.error('[main] Postdesk failed to start:', err);
    dialog.showErrorBox('Postdesk could not start', `${err instanceof Error ? err.message : String(err)}\n\nStart Postdesk again; if this keeps happening, run it from a terminal and report the output.`);
    app.exit(1);
  });
}
