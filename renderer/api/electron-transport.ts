// Electron: the preload exposes `window.postdesk` (contextBridge) with one call path and events.
import type { ApiErrorBody, EventName } from '../../electron/api';
import { ApiCallError, errorFromBody } from './errors';
import type { Transport } from './transport';

export type BridgeResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** What electron/preload.ts exposes as `window.postdesk`. */
export interface PostdeskBridge {
  call(method: string, input: unknown): Promise<BridgeResult>;
  on(event: string, listener: (payload: unknown) => void): (() => void) | void;
}

declare global {
  interface Window {
    postdesk?: PostdeskBridge;
  }
}

export function createElectronTransport(bridge: PostdeskBridge): Transport {
  return {
    kind: 'electron',
    async call(method, input) {
      let r: BridgeResult;
      try {
        r = await bridge.call(method, input ?? {});
      } catch (err) {
        throw new ApiCallError('unreachable', `Postdesk's engine did not answer (${err instanceof Error ? err.message : String(err)}). Restart the app.`, [], method);
      }
      if (r && r.ok === true) return r.result;
      throw errorFromBody(r, method);
    },
    on(event: EventName, listener) {
      const off = bridge.on(event, listener);
      return typeof off === 'function' ? off : () => undefined;
    },
    // IPC has no connection to lose while the window exists.
    onStatus: () => () => undefined,
    status: () => 'open',
    close: () => undefined,
  };
}
