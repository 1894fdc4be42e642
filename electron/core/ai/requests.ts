// Calls in flight by request id, so `ai.cancel {requestId}` can stop one (the renderer names the id
// when it starts a streamed call and listens for 'ai.stream' events carrying it).
import type { ApiContext } from '../context';

const byCore = new WeakMap<ApiContext, Map<string, AbortController>>();

function registry(ctx: ApiContext): Map<string, AbortController> {
  let m = byCore.get(ctx);
  if (!m) byCore.set(ctx, (m = new Map()));
  return m;
}

export interface Registered {
  signal: AbortSignal;
  done(): void;
}

/** Track a call under `requestId`; its signal also follows `outer` (a feature's own signal). */
export function registerRequest(ctx: ApiContext, requestId: string | undefined, outer?: AbortSignal): Registered {
  const ctl = new AbortController();
  const onOuter = () => ctl.abort(outer?.reason);
  if (outer?.aborted) ctl.abort(outer.reason);
  else outer?.addEventListener('abort', onOuter, { once: true });
  const map = registry(ctx);
  // A reused id cancels nothing of the earlier call's: the newest owns the id.
  if (requestId !== undefined) map.set(requestId, ctl);
  return {
    signal: ctl.signal,
    done: () => {
      outer?.removeEventListener('abort', onOuter);
      if (requestId !== undefined && map.get(requestId) === ctl) map.delete(requestId);
    },
  };
}

/** True when a call with that id was running and is now cancelled. */
export function cancelRequest(ctx: ApiContext, requestId: string): boolean {
  const ctl = registry(ctx).get(requestId);
  if (!ctl) return false;
  ctl.abort();
  return true;
}

export function cancelAllRequests(ctx: ApiContext): void {
  for (const ctl of registry(ctx).values()) ctl.abort();
}
