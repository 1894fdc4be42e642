// Enqueue happens inside the caller's transaction, which may still roll back, and enqueue does not
// know which runner serves the connection. So new jobs are announced to every runner in this
// process after the current task (by then the synchronous transaction has committed or rolled
// back); each runner keeps the ids that exist in its own database, re-arms its timer and tells
// the UI. A bulk enqueue is one announcement: the first jobs listed, a count and the earliest time.
import type { QueuedInfo } from './store';

export interface Announcement {
  /** The first jobs of the batch (at most LISTED). */
  listed: readonly QueuedInfo[];
  total: number;
  earliest: number;
}

type Listener = (a: Announcement) => void;

export const LISTED = 100;

const listeners = new Set<Listener>();
let listed: QueuedInfo[] = [];
let total = 0;
let earliest = Infinity;
let scheduled = false;

function flush(): void {
  scheduled = false;
  const a: Announcement = { listed, total, earliest };
  listed = [];
  total = 0;
  earliest = Infinity;
  for (const l of listeners) {
    try {
      l(a);
    } catch {
      // One runner's failure must not keep the others from hearing about new work.
    }
  }
}

export function announceQueued(q: QueuedInfo): void {
  if (listed.length < LISTED) listed.push(q);
  total++;
  if (q.runAt < earliest) earliest = q.runAt;
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

export function onQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
