// The typed API client. Method names, inputs and results come from the contract's types
// (electron/api), so a renamed method or changed field fails the renderer's type check.
import type { ApiInput, ApiOutput, EventName, EventPayload, MethodName } from '../../electron/api';
import { createElectronTransport } from './electron-transport';
import { setHostKind } from './errors';
import { bootToken } from './token';
import type { ConnectionStatus, Transport } from './transport';
import { createWebTransport } from './web-transport';

export { ApiCallError, hintFor, messageOf } from './errors';
export type { ConnectionStatus } from './transport';

let transport: Transport | null = null;

function current(): Transport {
  if (!transport) throw new Error('The API client is not started (startClient was not called).');
  return transport;
}

/** Use a given transport (tests, or a host that builds its own). */
export function useTransport(t: Transport): void {
  transport?.close();
  transport = t;
  setHostKind(t.kind);
}

/** Pick the transport for this window: the Electron bridge when present, otherwise web mode. */
export function startClient(win: Window = window): Transport {
  if (win.postdesk) {
    useTransport(createElectronTransport(win.postdesk));
  } else {
    const token = bootToken({ location: win.location, history: win.history, storage: win.sessionStorage });
    useTransport(createWebTransport({ baseUrl: win.location.origin, token }));
  }
  return current();
}

export function transportKind(): Transport['kind'] {
  return current().kind;
}

export async function call<M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  // The transport returns the wire JSON; its type is the contract's output for this method.
  return (await current().call(method, input)) as ApiOutput<M>;
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return current().on(event, listener as (payload: unknown) => void);
}

export function onConnection(listener: (status: ConnectionStatus, reconnected: boolean) => void): () => void {
  return current().onStatus(listener);
}

/**
 * Data on screen may be stale without any area event saying so: the event stream reconnected
 * (events sent while it was down are lost), or a sync round brought other devices' changes (the
 * engine applies them below the services that emit area events). Screens refetch what they show.
 */
export function onCatchUp(listener: () => void): () => void {
  const offs = [
    onConnection((_status, reconnected) => {
      if (reconnected) listener();
    }),
    onEvent('sync.changed', (p) => {
      if (p.reason === 'synced' && (p.pulled ?? 0) > 0) listener();
    }),
  ];
  return () => offs.forEach((off) => off());
}

export function connectionStatus(): ConnectionStatus {
  return current().status();
}
