// The Electron host's security settings, asserted on the real main-process code. Electron itself
// cannot start here, so `electron` is replaced by a recording fake; everything behind it is real:
// main.ts's lifecycle, the window options, the app:// file server on real files, the navigation
// and window.open guards, the IPC sender check, dispatch into a real core on a real SQLite file,
// and the preload's bridge talking to the IPC handlers through the fake's channels.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PostdeskBridge as RendererBridge } from '../../renderer/api/electron-transport';
import { tempDir } from '../helpers/db';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    private readonly handlers = new Map<string, { fn: Listener; once: boolean }[]>();
    on(event: string, fn: Listener): this {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), { fn, once: false }]);
      return this;
    }
    once(event: string, fn: Listener): this {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), { fn, once: true }]);
      return this;
    }
    off(event: string, fn: Listener): this {
      this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h.fn !== fn));
      return this;
    }
    removeListener(event: string, fn: Listener): this {
      return this.off(event, fn);
    }
    emit(event: string, ...args: unknown[]): boolean {
      const hs = this.handlers.get(event) ?? [];
      this.handlers.set(event, hs.filter((h) => !h.once));
      for (const h of hs) h.fn(...args);
      return hs.length > 0;
    }
    listenerCount(event: string): number {
      return (this.handlers.get(event) ?? []).length;
    }
  }

  class Preventable {
    defaultPrevented = false;
    constructor(readonly url?: string) {}
    preventDefault(): void {
      this.defaultPrevented = true;
    }
  }

  class FakeFrame {
    constructor(
      public url: string,
      public parent: FakeFrame | null = null,
      public processId = 1,
      public routingId = 1,
    ) {}
  }

  let nextId = 1;
  class FakeWebContents extends Emitter {
    readonly id = nextId++;
    readonly mainFrame = new FakeFrame('about:blank', null, 100 + this.id, 1);
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    readonly sent: [string, unknown][] = [];
    setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
      this.openHandler = h;
    }
    send(channel: string, message: unknown): void {
      this.sent.push([channel, message]);
      // The renderer of this webContents, if the test bound the preload's ipcRenderer to it.
      if (ipcRenderer.boundTo === this) ipcRenderer.emit(channel, { sender: ipcRenderer, ports: [] }, message);
    }
    getURL(): string {
      return this.mainFrame.url;
    }
    isDestroyed(): boolean {
      return false;
    }
  }

  class FakeBrowserWindow extends Emitter {
    static readonly created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    visible = false;
    destroyed = false;
    focused = 0;
    loadedUrl: string | undefined;
    constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
      this.emit('ready-to-show');
    }
    show(): void {
      this.visible = true;
    }
    hide(): void {
      this.visible = false;
    }
    focus(): void {
      this.focused++;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    isDestroyed(): boolean {
      return this.destroyed;
    }
    close(): void {
      const ev = new Preventable();
      this.emit('close', ev);
      if (!ev.defaultPrevented) {
        this.destroyed = true;
        this.emit('closed');
      }
    }
  }

  const calls: string[] = [];

  class FakeApp extends Emitter {
    isPackaged = false;
    name = 'electron';
    lock = true;
    quitted = false;
    exitCode: number | undefined;
    readonly paths = new Map<string, string>();
    setName(n: string): void {
      this.name = n;
    }
    getPath(n: string): string {
      const p = this.paths.get(n);
      if (!p) throw new Error(`fake app: no path ${n}`);
      return p;
    }
    setPath(n: string, p: string): void {
      calls.push(`setPath:${n}`);
      this.paths.set(n, p);
    }
    requestSingleInstanceLock(): boolean {
      calls.push('requestSingleInstanceLock');
      return this.lock;
    }
    enableSandbox(): void {
      calls.push('enableSandbox');
    }
    setAppUserModelId(): void {}
    whenReady(): Promise<void> {
      calls.push('whenReady');
      return Promise.resolve();
    }
    quit(): void {
      calls.push('quit');
      const ev = new Preventable();
      this.emit('before-quit', ev);
      if (ev.defaultPrevented) return;
      this.quitted = true;
      for (const w of FakeBrowserWindow.created) if (!w.destroyed) w.close();
    }
    exit(code: number): void {
      this.exitCode = code;
    }
  }
  const app = new FakeApp();

  const protocol = {
    privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
      calls.push('registerSchemesAsPrivileged');
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
      protocol.handlers.set(scheme, handler);
    },
  };

  type PermissionRequest = (wc: unknown, permission: string, cb: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
  type PermissionCheck = (wc: unknown, permission: string, origin: string) => boolean;
  type HeadersListener = (
    details: { responseHeaders?: Record<string, string[]> },
    cb: (r: { responseHeaders?: Record<string, string | string[]> }) => void,
  ) => void;
  const defaultSession = {
    permissionRequest: null as PermissionRequest | null,
    permissionCheck: null as PermissionCheck | null,
    headers: null as HeadersListener | null,
    setPermissionRequestHandler(h: PermissionRequest): void {
      defaultSession.permissionRequest = h;
    },
    setPermissionCheckHandler(h: PermissionCheck): void {
      defaultSession.permissionCheck = h;
    },
    webRequest: {
      onHeadersReceived(l: HeadersListener): void {
        defaultSession.headers = l;
      },
    },
  };

  type InvokeHandler = (event: unknown, input: unknown) => Promise<unknown>;
  const ipcMain = {
    handlers: new Map<string, InvokeHandler>(),
    handle(channel: string, h: InvokeHandler): void {
      // As Electron does: a second handler for one channel is a programming error.
      if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcMain.handlers.set(channel, h);
    },
    removeHandler(channel: string): void {
      ipcMain.handlers.delete(channel);
    },
  };

  class FakeIpcRenderer extends Emitter {
    boundTo: FakeWebContents | null = null;
    readonly invoked: string[] = [];
    // Electron's invoke: the main side sees the bound webContents' top frame as the sender.
    async invoke(channel: string, input: unknown): Promise<unknown> {
      this.invoked.push(channel);
      const h = ipcMain.handlers.get(channel);
      if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      const sender = this.boundTo;
      return h({ sender, senderFrame: sender?.mainFrame ?? null }, structuredClone(input));
    }
  }
  const ipcRenderer = new FakeIpcRenderer();

  const contextBridge = {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(key: string, api: unknown): void {
      contextBridge.exposed.set(key, api);
    },
  };

  class FakeTray extends Emitter {
    static readonly created: FakeTray[] = [];
    menu: { items: { label?: string; type?: string; click?: () => void }[] } | null = null;
    destroyed = false;
    constructor(readonly image: { path: string }) {
      super();
      FakeTray.created.push(this);
    }
    setToolTip(): void {}
    setContextMenu(menu: { items: { label?: string; type?: string; click?: () => void }[] }): void {
      this.menu = menu;
    }
    destroy(): void {
      this.destroyed = true;
    }
  }

  const Menu = {
    applicationMenu: null as { items: unknown[] } | null,
    buildFromTemplate(items: unknown[]): { items: unknown[] } {
      return { items };
    },
    setApplicationMenu(m: { items: unknown[] }): void {
      Menu.applicationMenu = m;
    },
  };

  class FakeNotification {
    static readonly shown: { title: string; body: string }[] = [];
    static isSupported(): boolean {
      return true;
    }
    constructor(readonly opts: { title: string; body: string }) {}
    show(): void {
      FakeNotification.shown.push(this.opts);
    }
  }

  const shell = { openExternal: vi.fn(async (_url: string) => undefined), openPath: vi.fn(async (_p: string) => '') };
  const dialog = { showErrorBox: vi.fn((_title: string, _message: string) => undefined) };
  const powerMonitor = new Emitter();

  return {
    Emitter,
    Preventable,
    FakeFrame,
    FakeWebContents,
    FakeBrowserWindow,
    FakeTray,
    FakeNotification,
    calls,
    app,
    protocol,
    defaultSession,
    ipcMain,
    ipcRenderer,
    contextBridge,
    Menu,
    shell,
    dialog,
    powerMonitor,
    module: {
      app,
      BrowserWindow: FakeBrowserWindow,
      protocol,
      session: { defaultSession },
      ipcMain,
      ipcRenderer,
      contextBridge,
      webUtils: { getPathForFile: () => '' },
      shell,
      dialog,
      Menu,
      Tray: FakeTray,
      Notification: FakeNotification,
      nativeImage: { createFromPath: (path: string) => ({ path, isEmpty: () => false }) },
      nativeTheme: { shouldUseDarkColors: false },
      powerMonitor,
      // What Electron reports on a Linux desktop with no GNOME Keyring or KWallet running: encryption
      // "works", with a key that is the same on every machine.
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'basic_text',
        encryptString: (text: string) => Buffer.from(`v10${text}`),
        decryptString: (data: Buffer) => data.toString().slice(3),
      },
    },
  };
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

// Imported after the mock is in place (vi.mock is hoisted above these).
import { methods } from '../../electron/api/index';
import { CONTENT_SECURITY_POLICY, appMenuTemplate, appPaths, mainWindowOptions, onResume, startDesktopApp, type DesktopApp } from '../../electron/main';
import { isAllowedExternalUrl } from '../../electron/host/security';
import type { PostdeskBridge } from '../../electron/preload';

type FakeWindow = InstanceType<typeof fake.FakeBrowserWindow>;
type FakeContents = InstanceType<typeof fake.FakeWebContents>;

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; img-src 'self' data: blob:; style-src 'self'";

const tmp = tempDir('postdesk-electron-');
const appRoot = join(tmp.dir, 'app');
const rendererDir = join(appRoot, 'dist', 'renderer');
const appData = join(tmp.dir, 'appData');
let desktop: DesktopApp;
let win: FakeWindow;

function invoke(channel: string, event: { sender: unknown; senderFrame: unknown }, input: unknown): Promise<unknown> {
  const h = fake.ipcMain.handlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h(event, input);
}

function trustedEvent() {
  return { sender: win.webContents, senderFrame: win.webContents.mainFrame };
}

function serve(url: string, method = 'GET'): Promise<Response> {
  const handler = fake.protocol.handlers.get('app');
  if (!handler) throw new Error('app:// is not handled');
  return handler(new Request(url, { method }));
}

function navigate(contents: FakeContents, kind: 'will-navigate' | 'will-redirect', url: string) {
  const ev = new fake.Preventable(url);
  contents.emit(kind, ev, url);
  return ev.defaultPrevented;
}

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Postdesk</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("postdesk")');
  writeFileSync(join(appRoot, 'secret.txt'), 'TOP SECRET outside the renderer');
  symlinkSync(join(appRoot, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  fake.app.setPath('appData', appData);
  fake.calls.length = 0;
});

afterAll(() => {
  tmp.cleanup();
});

describe('Electron host: single instance', () => {
  it('given another instance holds the lock, when the app starts, then it quits without opening a window or the database', async () => {
    fake.app.lock = false;
    const before = fake.FakeBrowserWindow.created.length;
    const result = await startDesktopApp({ argv: ['electron', '.'], env: { XDG_CONFIG_HOME: appData }, mainDir: join(appRoot, 'dist', 'electron'), handleSignals: false });
    expect(result).toBeNull();
    expect(fake.calls).toContain('quit');
    expect(fake.FakeBrowserWindow.created.length).toBe(before);
    expect(fake.ipcMain.handlers.size).toBe(0);
    fake.app.lock = true;
    fake.app.quitted = false;
  });
});

describe('Electron host: the running app', () => {
  beforeAll(async () => {
    fake.calls.length = 0;
    const started = await startDesktopApp({
      argv: ['electron', '.'],
      env: { XDG_CONFIG_HOME: appData },
      mainDir: join(appRoot, 'dist', 'electron'),
      handleSignals: false,
    });
    if (!started) throw new Error('the app did not start');
    desktop = started;
    const w = fake.FakeBrowserWindow.created.at(-1);
    if (!w) throw new Error('no window was created');
    win = w;
  });

  it('given a start, then the app is named Postdesk, keeps its data in userData, and locks before anything else', () => {
    expect(fake.app.name).toBe('Postdesk');
    expect(desktop.dataDir).toBe(join(appData, 'Postdesk'));
    expect(fake.app.getPath('userData')).toBe(desktop.dataDir);
    expect(desktop.core.ctx.host).toBe('electron');
    expect(desktop.core.ctx.db.file).toBe(join(desktop.dataDir, 'postdesk.db'));
    // userData must be final before the lock (the lock lives in it); the scheme before ready.
    expect(fake.calls.indexOf('setPath:userData')).toBeLessThan(fake.calls.indexOf('requestSingleInstanceLock'));
    expect(fake.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(fake.calls.indexOf('whenReady'));
    expect(fake.calls).toContain('enableSandbox');
  });

  it('given --data on the command line, then that folder is the data folder', async () => {
    const { dataDirArgument } = await import('../../electron/main');
    expect(dataDirArgument(['electron', '.', '--data', '/tmp/x'])).toBe('/tmp/x');
    expect(dataDirArgument(['electron', '.', '--data=/tmp/y'])).toBe('/tmp/y');
    expect(dataDirArgument(['electron', '.', '--data', '--other'])).toBeUndefined();
  });

  it('given the main window, then its webPreferences isolate and sandbox the renderer', () => {
    const prefs = win.options.webPreferences ?? {};
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    });
    expect(prefs.preload).toBe(join(appRoot, 'dist', 'electron', 'preload.cjs'));
    expect(isAbsolute(String(prefs.preload))).toBe(true);
    // The exported options function is what the window was built from.
    expect(mainWindowOptions({ preload: String(prefs.preload), devTools: true, icon: desktop.paths.windowIcon }).webPreferences).toEqual(prefs);
  });

  it('given the bundled layout, then the preload is the CommonJS bundle next to main.js', () => {
    const p = appPaths('/opt/postdesk/dist/electron', false, '');
    expect(p.preload).toBe('/opt/postdesk/dist/electron/preload.cjs');
    expect(p.rendererDir).toBe('/opt/postdesk/dist/renderer');
    expect(appPaths('/r/app.asar/dist/electron', true, '/r').trayIcon).toBe('/r/tray.png');
  });

  it('given the window, then it loads the app from app://postdesk/, a privileged secure standard scheme', () => {
    expect(win.loadedUrl).toBe('app://postdesk/index.html');
    expect(win.visible).toBe(true);
    const scheme = fake.protocol.privileged.find((s) => s.scheme === 'app');
    expect(scheme?.privileges).toMatchObject({ standard: true, secure: true });
    expect(scheme?.privileges.bypassCSP).toBeFalsy();
    expect(fake.protocol.handlers.has('app')).toBe(true);
  });

  it('then the CSP is the strict one, on every app:// response and on any other response', async () => {
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
    const res = await serve('app://postdesk/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(await res.text()).toContain('<title>Postdesk</title>');

    const listener = fake.defaultSession.headers;
    if (!listener) throw new Error('no onHeadersReceived listener');
    let out: Record<string, string | string[]> | undefined;
    listener({ responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Kept': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'X-Kept': ['1'], 'Content-Security-Policy': [EXPECTED_CSP] });
  });

  it('given app:// requests, then only files inside dist/renderer are ever served', async () => {
    const js = await serve('app://postdesk/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);

    for (const url of [
      'app://postdesk/..%2fsecret.txt',
      'app://postdesk/%2e%2e/secret.txt',
      'app://postdesk/assets/..%2f..%2fsecret.txt',
      'app://postdesk/..%5csecret.txt',
      'app://postdesk/assets/link.txt', // a symlink pointing outside
      'app://postdesk/%00index.html',
      'app://elsewhere/index.html',
    ]) {
      const res = await serve(url);
      const body = await res.text();
      expect(body, url).not.toContain('TOP SECRET');
      expect(res.status, url).toBe(404);
    }
    expect((await serve('app://postdesk/index.html', 'POST')).status).toBe(405);
    // A client-side route gets the app shell.
    expect(await (await serve('app://postdesk/inbox')).text()).toContain('<title>Postdesk</title>');
  });

  it('given a navigation away from the app, then it is prevented and only web links reach the browser', () => {
    fake.shell.openExternal.mockClear();
    const wc = win.webContents;
    expect(navigate(wc, 'will-navigate', 'app://postdesk/index.html#/inbox')).toBe(false);
    expect(navigate(wc, 'will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(navigate(wc, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(wc, 'will-navigate', 'app://postdesk.evil.example/')).toBe(true);
    expect(navigate(wc, 'will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(fake.shell.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://evil.example/phish', 'http://127.0.0.1:9/']);
  });

  it('given window.open, then no window is created and only allow-listed links go to openExternal', () => {
    const handler = win.webContents.openHandler;
    if (!handler) throw new Error('no window open handler');
    fake.shell.openExternal.mockClear();
    for (const url of [
      'https://example.com/a?b=1',
      'http://example.com/',
      'mailto:hello@example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'slack://open',
      'app://postdesk/index.html',
      'https://user:pw@evil.example/',
      'data:text/html,<script>alert(1)</script>',
    ]) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    expect(fake.shell.openExternal.mock.calls.map((c) => c[0])).toEqual([
      'https://example.com/a?b=1',
      'http://example.com/',
      'mailto:hello@example.com',
    ]);
    expect(isAllowedExternalUrl('vbscript:msgbox')).toBe(false);
  });

  it('given any other webContents (e.g. a devtools or future window), then the same guards apply and <webview> cannot attach', () => {
    const other = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', new fake.Preventable(), other);
    expect(other.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(navigate(other, 'will-navigate', 'https://evil.example/')).toBe(true);
    const attach = new fake.Preventable();
    other.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('given permission requests, then they are denied unless the app itself copies to the clipboard', () => {
    const request = fake.defaultSession.permissionRequest;
    const check = fake.defaultSession.permissionCheck;
    if (!request || !check) throw new Error('permission handlers missing');
    const ask = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      request(win.webContents, permission, (g) => (granted = g), { requestingUrl });
      return granted;
    };
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'hid', 'fullscreen']) {
      expect(ask(p, 'app://postdesk/index.html'), p).toBe(false);
    }
    expect(ask('clipboard-sanitized-write', 'app://postdesk/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check(win.webContents, 'geolocation', 'app://postdesk')).toBe(false);
  });

  it('given the API registry, then every method has exactly one IPC handler, derived from it', () => {
    const channels = [...fake.ipcMain.handlers.keys()].filter((c) => c.startsWith('api:')).sort();
    expect(channels).toEqual(Object.keys(methods).map((m) => `api:${m}`).sort());
    expect(channels.length).toBeGreaterThan(0);
  });

  it('given a call from the app window top frame, then it is dispatched to the real core', async () => {
    const r = await invoke('api:app.info', trustedEvent(), {});
    expect(r).toMatchObject({ ok: true, result: { host: 'electron', dataDir: desktop.dataDir } });
    const bad = await invoke('api:workspaces.get', trustedEvent(), { workspaceId: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it.runIf(process.platform === 'linux')('given Linux with no secret service (basic_text), when the desktop app starts, then tokens are not left to the fixed key and Settings is told why', async () => {
    const r = await invoke('api:security.status', trustedEvent(), {});
    expect(r).toMatchObject({ ok: true, result: { state: 'unlocked', kind: 'key-file', warning: { code: 'linux_no_secret_service' } } });
  });

  it('given a call from a foreign frame, a subframe, another webContents or no frame, then it is refused before dispatch', async () => {
    const wc = win.webContents;
    const evilTop = new fake.FakeFrame('https://evil.example/', null, wc.mainFrame.processId, wc.mainFrame.routingId);
    const appSubframe = new fake.FakeFrame('app://postdesk/index.html', wc.mainFrame, wc.mainFrame.processId, 7);
    const other = new fake.FakeWebContents();
    other.mainFrame.url = 'app://postdesk/index.html';
    const cases = [
      { sender: wc, senderFrame: evilTop },
      { sender: wc, senderFrame: appSubframe },
      { sender: wc, senderFrame: null },
      { sender: other, senderFrame: other.mainFrame },
    ];
    const before = await invoke('api:workspaces.list', trustedEvent(), {});
    expect(before).toMatchObject({ ok: true });
    for (const event of cases) {
      const r = await invoke('api:workspaces.create', event, { name: 'Injected', timezone: 'UTC' });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // Nothing reached the database.
    expect(await invoke('api:workspaces.list', trustedEvent(), {})).toEqual(before);
  });

  it('given a core event, then the window receives it on postdesk:event, and not once it shows a foreign page', () => {
    const wc = win.webContents;
    wc.sent.length = 0;
    desktop.core.ctx.events.emit('app.notice', { level: 'info', message: 'Queue resumed' });
    expect(wc.sent).toEqual([['postdesk:event', { event: 'app.notice', payload: { level: 'info', message: 'Queue resumed' } }]]);
    const url = wc.mainFrame.url;
    wc.mainFrame.url = 'https://evil.example/';
    desktop.core.ctx.events.emit('app.notice', { level: 'info', message: 'secret' });
    wc.mainFrame.url = url;
    expect(wc.sent).toHaveLength(1);
  });

  describe('preload', () => {
    let bridge: PostdeskBridge;
    beforeAll(async () => {
      fake.ipcRenderer.boundTo = win.webContents;
      await import('../../electron/preload');
      bridge = fake.contextBridge.exposed.get('postdesk') as PostdeskBridge;
    });

    it('given the preload ran, then it exposes window.postdesk with only call, on and pathForFile, and never ipcRenderer', () => {
      expect([...fake.contextBridge.exposed.keys()]).toEqual(['postdesk']);
      expect(Object.keys(bridge).sort()).toEqual(['call', 'on', 'pathForFile']);
      for (const v of Object.values(bridge)) {
        expect(typeof v).toBe('function');
        expect(v).not.toBe(fake.ipcRenderer);
      }
      // The renderer's view of the bridge is satisfied by what the preload exposes.
      const asRenderer: RendererBridge = bridge;
      expect(asRenderer).toBe(bridge);
    });

    it('given every registry method name, then the preload accepts it as area.verb', async () => {
      const { isWellFormedName } = await import('../../electron/preload');
      for (const name of Object.keys(methods)) expect(isWellFormedName(name), name).toBe(true);
      for (const bad of ['', 'app', 'app.info.extra', '__proto__.x', 'app.info; x', 'api:app.info', 'App.info', 'a.b\n']) {
        expect(isWellFormedName(bad), bad).toBe(false);
      }
    });

    it('given call, then a well-formed method goes to api:<method> and comes back as {ok, result}', async () => {
      const r = await bridge.call('app.info', {});
      expect(r).toMatchObject({ ok: true, result: { host: 'electron' } });
      expect(fake.ipcRenderer.invoked.at(-1)).toBe('api:app.info');
    });

    it('given a malformed method name, then nothing is sent over IPC', async () => {
      const n = fake.ipcRenderer.invoked.length;
      for (const m of ['../x', 'app.info:evil', 'ipcRenderer', 'postdesk:event']) {
        const r = await bridge.call(m, {});
        expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
      }
      expect(fake.ipcRenderer.invoked.length).toBe(n);
      expect(await bridge.call('nothing.here', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    });

    it('given on, then the listener gets only the payload, never the IPC event, until it unsubscribes', () => {
      const seen: unknown[][] = [];
      const off = bridge.on('app.notice', (...args: unknown[]) => void seen.push(args));
      const other: unknown[] = [];
      bridge.on('workspaces.changed', (p) => void other.push(p));
      desktop.core.ctx.events.emit('app.notice', { level: 'warning', message: 'Offline' });
      expect(seen).toEqual([[{ level: 'warning', message: 'Offline' }]]);
      expect(other).toEqual([]);
      off();
      desktop.core.ctx.events.emit('app.notice', { level: 'info', message: 'again' });
      expect(seen).toHaveLength(1);
      expect(() => bridge.on('bad name', () => undefined)).toThrow(TypeError);
    });
  });

  it('given a second launch, then the existing window is shown and focused', () => {
    win.hide();
    const focused = win.focused;
    fake.app.emit('second-instance', new fake.Preventable(), ['electron', '.'], appRoot);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(focused + 1);
  });

  it('given the window is closed, then the app keeps running in the tray and says so once', () => {
    const shown = fake.FakeNotification.shown.length;
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
    expect(fake.app.quitted).toBe(false);
    win.close();
    expect(fake.FakeNotification.shown.length).toBe(shown + 1);
  });

  it('given the tray, then it offers Open Postdesk and Quit, and Open brings the window back', () => {
    const tray = fake.FakeTray.created.at(-1);
    if (!tray?.menu) throw new Error('no tray menu');
    expect(tray.image.path).toBe(join(appRoot, 'build', 'tray.png'));
    const items = tray.menu.items.filter((i) => i.type !== 'separator');
    expect(items.map((i) => i.label)).toEqual(['Open Postdesk', 'Quit']);
    items[0]?.click?.();
    expect(win.visible).toBe(true);
  });

  it('given the app menu, then it can quit and hides developer tools in the packaged app', () => {
    const labels = (t: ReturnType<typeof appMenuTemplate>) => JSON.stringify(t, (_k, v: unknown) => (typeof v === 'function' ? undefined : v));
    const noop = () => undefined;
    const packaged = appMenuTemplate({ open: noop, quit: noop, openDataFolder: noop }, { mac: false, devTools: false });
    expect(labels(packaged)).toContain('Quit Postdesk');
    expect(labels(packaged)).not.toContain('toggleDevTools');
    expect(fake.Menu.applicationMenu).not.toBeNull();
  });

  it('given the computer wakes from sleep, then resume listeners run until they unsubscribe', () => {
    const woke = vi.fn();
    const off = onResume(woke);
    fake.powerMonitor.emit('resume');
    off();
    fake.powerMonitor.emit('resume');
    expect(woke).toHaveBeenCalledTimes(1);
  });

  it('given Quit from the tray, then the core is closed before the app exits and the handlers are gone', async () => {
    const tray = fake.FakeTray.created.at(-1);
    const quit = tray?.menu?.items.find((i) => i.label === 'Quit');
    expect(fake.powerMonitor.listenerCount('shutdown')).toBe(1);
    quit?.click?.();
    // The first quit is held until the database is closed.
    await desktop.stopped;
    expect(desktop.core.ctx.db.sqlite.open).toBe(false);
    expect(fake.app.quitted).toBe(true);
    expect(win.destroyed).toBe(true);
    expect(tray?.destroyed).toBe(true);
    expect(fake.powerMonitor.listenerCount('shutdown')).toBe(0);
    expect([...fake.ipcMain.handlers.keys()].filter((c) => c.startsWith('api:'))).toEqual([]);
    // The database file is intact after the shutdown.
    expect(readFileSync(desktop.core.ctx.db.file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});

describe('Electron host: a data folder that cannot be opened', () => {
  it('given the data folder is unusable, when the app starts, then the user is told what happened and what to do, and it exits 1', async () => {
    const notAFolder = join(tmp.dir, 'not-a-folder');
    writeFileSync(notAFolder, 'a file where the data folder should be');
    fake.dialog.showErrorBox.mockClear();
    const windows = fake.FakeBrowserWindow.created.length;
    const result = await startDesktopApp({
      argv: ['electron', '.', '--data', notAFolder],
      env: {},
      mainDir: join(appRoot, 'dist', 'electron'),
      handleSignals: false,
    });
    expect(result).toBeNull();
    expect(fake.app.exitCode).toBe(1);
    expect(fake.FakeBrowserWindow.created.length).toBe(windows);
    const [title, message] = fake.dialog.showErrorBox.mock.calls[0] ?? [];
    expect(title).toBe('Postdesk could not start');
    expect(message).toContain(notAFolder);
    expect(message).toMatch(/Check that the folder exists/);
  });
});
