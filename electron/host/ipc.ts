// The API over Electron IPC: one `ipcMain.handle('api:<method>')` per method of the registry,
// each guarded by a sender check, and the core's events forwarded to the window. The list of
// channels is derived from `methods`, so a new API method is reachable from the desktop app
// without touching this file.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { dispatch, type CallResult } from '../api/dispatch';
import type { EventName } from '../api/events';
import { methods } from '../api/index';
import type { ApiContext } from '../core/context';
import type { EventBus } from '../core/events';
import { isAppUrl } from './security';

/** Channel names; electron/preload.ts uses the same strings (it cannot import main-side code). */
export const API_CHANNEL_PREFIX = 'api:';
export const EVENT_CHANNEL = 'postdesk:event';

export const apiChannel = (method: string): string => API_CHANNEL_PREFIX + method;

export type GetWindow = () => BrowserWindow | null;

export interface WireEvent {
  event: EventName;
  payload: unknown;
}

/**
 * True only for calls from the top frame of the main window while it shows the app's own page.
 * Everything else (a subframe, another webContents, a page that somehow navigated away, a frame
 * already gone) is refused.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, win: BrowserWindow | null): boolean {
  try {
    const frame = event.senderFrame;
    if (!frame || !win || win.isDestroyed()) return false;
    const contents = win.webContents;
    if (event.sender !== contents && event.sender.id !== contents.id) return false;
    if (frame.parent !== null) return false;
    const top = contents.mainFrame;
    const isTop = frame === top || (frame.processId === top.processId && frame.routingId === top.routingId);
    return isTop && isAppUrl(frame.url);
  } catch {
    // Reading a disposed frame throws; a frame that is gone cannot be trusted.
    return false;
  }
}

const forbidden: CallResult = {
  ok: false,
  error: {
    code: 'forbidden',
    message: "This request did not come from Postdesk's own window, so it was refused. Restart Postdesk if you see this in the app.",
  },
};

function frameUrl(event: IpcMainInvokeEvent): string {
  try {
    return event.senderFrame?.url ?? '(no frame)';
  } catch {
    return '(frame gone)';
  }
}

/** Registers a handler for every API method. Returns a function that removes them all. */
export function registerApiHandlers(ctx: ApiContext, getWindow: GetWindow): () => void {
  const channels = Object.keys(methods).map(apiChannel);
  for (const name of Object.keys(methods)) {
    ipcMain.handle(apiChannel(name), async (event: IpcMainInvokeEvent, input: unknown): Promise<CallResult> => {
      if (!isTrustedSender(event, getWindow())) {
        console.warn(`[ipc] refused ${name} from ${frameUrl(event).slice(0, 200)}`);
        return forbidden;
      }
      return dispatch(ctx, name, input);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Sends every core event to the main window while it shows the app. Returns unsubscribe. */
export function forwardEvents(events: EventBus, getWindow: GetWindow): () => void {
  return events.subscribe((event, payload) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    const contents = win.webContents;
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
    const message: WireEvent = { event, payload };
    contents.send(EVENT_CHANNEL, message);
  });
}
