import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../electron/scheduler/backoff';

describe('retry backoff', () => {
  const policy = { baseMs: 1000, maxMs: 10_000, factor: 2 };

  it('given successive attempts, then the delay doubles within its jitter band up to the cap', () => {
    expect(retryDelay(1, policy, () => 0)).toBe(500);
    expect(retryDelay(1, policy, () => 1)).toBe(1000);
    expect(retryDelay(3, policy, () => 1)).toBe(4000);
    expect(retryDelay(10, policy, () => 1)).toBe(10_000);
    expect(retryDelay(10, policy, () => 0)).toBe(5000);
  });

  it('given real randomness, then delays are spread, never zero', () => {
    const delays = Array.from({ length: 200 }, () => retryDelay(2, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
