// Enqueue happens inside the caller's transaction, which may still roll back, and enqueue does not
// know which runner serves the connection. So new jobs are announced to every runner in this
// process after the current task (by then the synchronous transaction has committed or rolled
// back); each runner keeps the ids that exist in its own database, re-arms its timer and tells
// the UI.
import type { QueuedInfo } from './store';

type Listener = (queued: readonly QueuedInfo[]) => void;

const listeners = new Set<Listener>();
let pending: QueuedInfo[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  for (const l of listeners) {
    try {
      l(batch);
    } catch {
      // One runner's failure must not keep the others from hearing about new work.
    }
  }
}

export function announceQueued(q: QueuedInfo): void {
  pending.push(q);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

export function onQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
