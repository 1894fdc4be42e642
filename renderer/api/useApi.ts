// Load one API result for a component: loading, data or error, and reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiOutput, MethodName } from '../../electron/api';
import { call } from './client';

export type ApiState<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: unknown };

export function useApi<M extends MethodName>(method: M, input: ApiInput<M>, key = ''): ApiState<ApiOutput<M>> & { reload: () => void } {
  const [state, setState] = useState<ApiState<ApiOutput<M>>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    let live = true;
    call(method, inputRef.current).then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [method, key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
