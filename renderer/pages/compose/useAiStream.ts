// Run one streamed AI call and follow its text as it is written: the hook names the request id,
// listens to 'ai.stream' for it before the call starts (so no early delta is missed), stops it
// with ai.cancel, and cancels what is still running when the component goes away.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, onEvent } from '../../api/client';
import { newRequestId, STREAM_START, streamStep, type StreamState } from './ai-assist';

export interface AiStream {
  state: StreamState;
  running: boolean;
  /** Start `fn` under a fresh request id; resolves or rejects with the call. */
  run<T>(fn: (requestId: string) => Promise<T>): Promise<T>;
  /** Ask the engine to stop the running call (its promise then rejects). */
  stop(): void;
  /** True when the last call ended because stop() was pressed. */
  stopped(): boolean;
}

export function useAiStream(): AiStream {
  const [state, setState] = useState<StreamState>(STREAM_START);
  const [running, setRunning] = useState(false);
  const current = useRef<string | null>(null);
  const stoppedId = useRef<string | null>(null);
  const lastId = useRef<string | null>(null);

  useEffect(
    () => () => {
      // Leaving Compose mid-call: nobody will read the answer, so don't pay for the rest of it.
      const id = current.current;
      if (id) void call('ai.cancel', { requestId: id }).catch(() => undefined);
    },
    [],
  );

  const run = useCallback(async <T>(fn: (requestId: string) => Promise<T>): Promise<T> => {
    const requestId = newRequestId();
    current.current = requestId;
    lastId.current = requestId;
    setState(STREAM_START);
    setRunning(true);
    const off = onEvent('ai.stream', (e) => {
      if (e.requestId === requestId) setState((s) => streamStep(s, e));
    });
    try {
      return await fn(requestId);
    } finally {
      off();
      if (current.current === requestId) {
        current.current = null;
        setRunning(false);
      }
    }
  }, []);

  const stop = useCallback(() => {
    const id = current.current;
    if (!id) return;
    stoppedId.current = id;
    void call('ai.cancel', { requestId: id }).catch(() => undefined);
  }, []);

  const stopped = useCallback(() => lastId.current !== null && stoppedId.current === lastId.current, []);

  return { state, running, run, stop, stopped };
}
