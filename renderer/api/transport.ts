// What the client needs from a transport: one call path, one event stream, a connection state.
import type { EventName } from '../../electron/api';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

export interface Transport {
  readonly kind: 'electron' | 'web';
  /** Resolves to the method's result or rejects with an ApiCallError. */
  call(method: string, input: unknown): Promise<unknown>;
  /** Subscribe to one event; returns the unsubscribe function. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Connection changes; `reconnected` fires after a dropped stream comes back (events may be missed). */
  onStatus(listener: (status: ConnectionStatus, reconnected: boolean) => void): () => void;
  status(): ConnectionStatus;
  close(): void;
}
