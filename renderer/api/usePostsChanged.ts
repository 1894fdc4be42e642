// Pages that show posts refetch when the engine says posts changed, or on a catch-up (the event
// stream reconnected, or sync brought other devices' changes). A burst of changes (a bulk move, a CSV
// import) becomes one refetch: debounced, but never later than maxWait after the first change.
import { useEffect, useRef } from 'react';
import { onCatchUp, onEvent } from './client';

const DEBOUNCE_MS = 200;
const MAX_WAIT_MS = 1_000;

export function usePostsChanged(workspaceId: string | null, refetch: () => void): void {
  const refetchRef = useRef(refetch);
  refetchRef.current = refetch;

  useEffect(() => {
    if (!workspaceId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstAt = 0;
    const schedule = () => {
      const now = Date.now();
      if (timer === undefined) firstAt = now;
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          timer = undefined;
          refetchRef.current();
        },
        Math.max(0, Math.min(DEBOUNCE_MS, firstAt + MAX_WAIT_MS - now)),
      );
    };
    const offs = [
      onEvent('posts.changed', (p) => {
        if (p.workspaceId === workspaceId) schedule();
      }),
      onCatchUp(schedule),
    ];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [workspaceId]);
}
