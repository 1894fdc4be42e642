// The inbox's adaptive pace: 5 minutes after activity, growing towards 30 while nothing arrives,
// errors backing off but never past 30, rate limits waiting as long as the network asks.
import { describe, expect, it } from 'vitest';
import { nextPollPace, POLL_MAX_MS, POLL_MIN_MS, RATE_LIMIT_MAX_WAIT_MS, type PollOutcome } from '../../electron/core/inbox/polling';

const MIN = 60_000;

function walk(start: number | null, outcomes: readonly PollOutcome[]): number[] {
  const out: number[] = [];
  let prev = start;
  for (const o of outcomes) {
    prev = nextPollPace(prev, o).intervalMs;
    out.push(prev);
  }
  return out;
}

describe('the inbox poll interval', () => {
  it('given the bounds, then they are the seeds’ 5 and 30 minutes', () => {
    expect([POLL_MIN_MS, POLL_MAX_MS]).toEqual([5 * MIN, 30 * MIN]);
  });

  it('given quiet polls from the start, when each brings nothing, then the interval grows ×1.5 from 5 minutes and stops at 30', () => {
    const empty: PollOutcome = { kind: 'empty' };
    expect(walk(null, Array(7).fill(empty))).toEqual([7.5 * MIN, 11.25 * MIN, 16.875 * MIN, 25.3125 * MIN, 30 * MIN, 30 * MIN, 30 * MIN]);
  });

  it('given the slowest pace, when a poll brings something new, then the next poll is 5 minutes away', () => {
    expect(nextPollPace(30 * MIN, { kind: 'new' })).toEqual({ intervalMs: 5 * MIN, delayMs: 5 * MIN });
  });

  it('given a quiet poll while the user has just replied on the account, then the pace stays at 5 minutes', () => {
    expect(nextPollPace(20 * MIN, { kind: 'empty' }, true).intervalMs).toBe(5 * MIN);
    expect(nextPollPace(20 * MIN, { kind: 'empty' }, false).intervalMs).toBe(30 * MIN);
  });

  it('given repeated failures, then the interval doubles but never passes 30 minutes', () => {
    expect(walk(5 * MIN, Array(4).fill({ kind: 'error' }))).toEqual([10 * MIN, 20 * MIN, 30 * MIN, 30 * MIN]);
  });

  it('given a rate limit that resets in 50 minutes, then the next poll waits the 50 minutes while the remembered pace stays within 30', () => {
    const pace = nextPollPace(10 * MIN, { kind: 'rate_limited', retryAfterMs: 50 * MIN });
    expect(pace).toEqual({ intervalMs: 20 * MIN, delayMs: 50 * MIN });
  });

  it('given a rate limit with a short or missing reset, then the error back-off applies', () => {
    expect(nextPollPace(5 * MIN, { kind: 'rate_limited', retryAfterMs: 30_000 })).toEqual({ intervalMs: 10 * MIN, delayMs: 10 * MIN });
    expect(nextPollPace(5 * MIN, { kind: 'rate_limited', retryAfterMs: undefined })).toEqual({ intervalMs: 10 * MIN, delayMs: 10 * MIN });
  });

  it('given a reset header read as days away, then the wait is capped so the inbox is asked again the same day', () => {
    expect(nextPollPace(5 * MIN, { kind: 'rate_limited', retryAfterMs: 3 * 86_400_000 }).delayMs).toBe(RATE_LIMIT_MAX_WAIT_MS);
  });

  it('given a stored interval outside the bounds (an older build, a hand edit), then it is brought back inside them', () => {
    expect(nextPollPace(1_000, { kind: 'empty' }).intervalMs).toBe(7.5 * MIN);
    expect(nextPollPace(5 * 3_600_000, { kind: 'empty' }).intervalMs).toBe(30 * MIN);
  });
});
