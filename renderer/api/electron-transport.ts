// Electron: the preload exposes `window.postdesk` (contextBridge) with one call path and events.
import type { EventName } from '../../electron/api';
import type { BridgeResult, PostdeskBridge } from '../../electron/api/bridge';
import { ApiCallError, errorFromBody } from './errors';
import type { Transport } from './transport';

export type { BridgeResult, PostdeskBridge };

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
