// The renderer's only door to the main process: `window.postdesk` with `call` and `on`, nothing
// else. ipcRenderer itself never crosses the bridge, and the renderer never sees an
// IpcRendererEvent (its `sender` would be ipcRenderer). This file runs in a sandboxed preload, so
// it imports nothing at run time but `electron`; the channel names repeat electron/host/ipc.ts.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { BridgeResult, PostdeskBridge } from './api/bridge';
import type { ApiErrorBody } from './api/errors';

export type { BridgeResult, PostdeskBridge };

const API_CHANNEL_PREFIX = 'api:';
const EVENT_CHANNEL = 'postdesk:event';

/** `area.verb`: what the registry's names look like, and all that may reach an IPC channel name. */
const NAME = /^[a-z][a-zA-Z0-9]{0,63}\.[a-z][a-zA-Z0-9]{0,63}$/;

export function isWellFormedName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

function failure(code: ApiErrorBody['code'], message: string): BridgeResult {
  return { ok: false, error: { code, message } };
}

async function call(method: string, input?: unknown): Promise<BridgeResult> {
  if (!isWellFormedName(method)) {
    return failure('unknown_method', `"${String(method).slice(0, 100)}" is not an API method name (expected area.verb).`);
  }
  try {
    return (await ipcRenderer.invoke(API_CHANNEL_PREFIX + method, input === undefined ? {} : input)) as BridgeResult;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes('No handler registered')) return failure('unknown_method', `There is no API method called "${method}".`);
    if (message.includes('could not be cloned')) {
      return failure('invalid_input', `The input for ${method} contains values that cannot be sent (functions, DOM nodes or class instances). Send plain data.`);
    }
    throw err;
  }
}

type Listener = (payload: unknown) => void;
// One IPC listener for all subscriptions, so many `on` calls do not pile up ipcRenderer listeners.
const subscriptions = new Map<string, Set<{ listener: Listener }>>();
let attached = false;

function deliver(_event: IpcRendererEvent, message: unknown): void {
  if (typeof message !== 'object' || message === null) return;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string') return;
  for (const sub of [...(subscriptions.get(event) ?? [])]) {
    try {
      sub.listener(payload);
    } catch (err) {
      console.error(`[postdesk] a listener for ${event} failed:`, err);
    }
  }
}

function on(event: string, listener: Listener): () => void {
  if (!isWellFormedName(event)) throw new TypeError(`"${String(event).slice(0, 100)}" is not an event name (expected area.name).`);
  if (typeof listener !== 'function') throw new TypeError('The event listener must be a function.');
  if (!attached) {
    ipcRenderer.on(EVENT_CHANNEL, deliver);
    attached = true;
  }
  const sub = { listener };
  let set = subscriptions.get(event);
  if (!set) subscriptions.set(event, (set = new Set()));
  set.add(sub);
  return () => {
    set.delete(sub);
  };
}

function pathForFile(file: File): string {
  try {
    return webUtils.getPathForFile(file);
  } catch {
    return '';
  }
}

const bridge: PostdeskBridge = { call, on, pathForFile };

contextBridge.exposeInMainWorld('postdesk', bridge);
