// Who holds a lease: "<host>/<pid>/<random>". On the same machine a runner can tell that another
// lease holder's process is gone and recover its jobs at once instead of waiting for the lease to
// run out, which is what makes a restart after a crash resume within a second. A pid reused by
// an unrelated process only makes us wait for the lease: the check can say "alive" wrongly,
// never "dead" wrongly.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

const HOST = hostname().replaceAll('/', '_');

/** Runners alive in this process, so a stopped runner's leases count as dead at once. */
const liveInProcess = new Set<string>();

export function newOwnerId(): string {
  return `${HOST}/${process.pid}/${randomBytes(6).toString('hex')}`;
}

export function markLive(owner: string): void {
  liveInProcess.add(owner);
}

export function markStopped(owner: string): void {
  liveInProcess.delete(owner);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** 'dead' and 'alive' only when we can tell (same machine); 'unknown' otherwise. */
export function ownerState(owner: string): 'dead' | 'alive' | 'unknown' {
  const parts = owner.split('/');
  if (parts.length !== 3 || parts[0] !== HOST) return 'unknown';
  const pid = Number(parts[1]);
  if (!Number.isInteger(pid) || pid <= 0) return 'unknown';
  if (pid === process.pid) return liveInProcess.has(owner) ? 'alive' : 'dead';
  return processExists(pid) ? 'alive' : 'dead';
}

/** True only when we are sure the owner's process no longer runs. */
export function isOwnerDead(owner: string): boolean {
  return ownerState(owner) === 'dead';
}
