// Cooperative pacing for the clustering math, which runs on the core's event loop: loops ask
// `due()` cheaply and `pause()` when their time slice is spent, so API calls, IPC and timers are
// served between slices and the loop never stalls for more than a slice (~8 ms of work).
import { performance } from 'node:perf_hooks';

export class Cancelled extends Error {
  constructor(message = 'The topic analysis was cancelled.') {
    super(message);
    this.name = 'Cancelled';
  }
}

export class Pacer {
  private sliceStart = performance.now();
  private checks = 0;

  constructor(
    private readonly sliceMs = 8,
    private readonly signal?: AbortSignal,
  ) {}

  /** True when this slice is spent (reads the clock every 16 calls: it is called in inner loops). */
  due(): boolean {
    if ((++this.checks & 15) !== 0) return false;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Give the loop a turn, then start a new slice; throws Cancelled when the job was cancelled. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.throwIfCancelled();
    this.sliceStart = performance.now();
  }

  throwIfCancelled(): void {
    if (this.signal?.aborted) throw new Cancelled();
  }
}
