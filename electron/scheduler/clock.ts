// Time as the scheduler sees it. Production uses the system clock; tests use ManualClock to move
// time forward deterministically (retry delays, leases, missed runs) without sleeping.

export interface Clock {
  now(): number;
  /** Call `fn` once after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /**
   * Optional: call `fn` as soon as now() >= `at`, as close to it as the clock can manage.
   * Without it, callers use setTimer(at - now()).
   */
  setTimerAt?(at: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    // setTimeout's maximum is 2^31-1 ms (~24.8 days); longer waits re-arm on wake anyway.
    const t = setTimeout(fn, Math.max(0, Math.min(ms, 2_147_483_647)));
    t.unref?.();
    return () => clearTimeout(t);
  },
  setTimerAt(at, fn) {
    // setTimeout fires up to ~1 ms after its delay, and Date.now() hides the fraction of the
    // current millisecond: wake a millisecond early, then yield (setImmediate, never blocking)
    // until the clock reads `at`. Lateness of a due job goes from ~1.5 ms to well under 1 ms.
    let cancelled = false;
    let immediate: ReturnType<typeof setImmediate> | null = null;
    const spin = () => {
      immediate = null;
      if (cancelled) return;
      if (Date.now() >= at) fn();
      else immediate = setImmediate(spin);
    };
    const cancelTimer = systemClock.setTimer(at - Date.now() - 1, spin);
    return () => {
      cancelled = true;
      cancelTimer();
      if (immediate) clearImmediate(immediate);
    };
  },
};

interface PendingTimer {
  at: number;
  fn: () => void;
  seq: number;
}

export class ManualClock implements Clock {
  private timers: PendingTimer[] = [];
  private seq = 0;

  constructor(private current = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Move time forward, firing due timers in order; awaits microtasks between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.current = target;
    await new Promise((r) => setImmediate(r));
  }

  set(ms: number): void {
    this.current = ms;
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
