// Hybrid logical clock, as in Actual Budget's CRDT: wall-clock milliseconds, a counter for
// events in the same millisecond, and the node id that breaks ties. Rendered as
// `2026-11-24T01:32:29.000Z-0000-0123456789abcdef` so that text order is clock order (in JS and
// in Postgres under COLLATE "C"). A local change is stamped with its commit time (or later, so
// stamps never go backwards); a received stamp moves the clock forward so that anything written
// after seeing it sorts after it.
import { randomBytes } from 'node:crypto';

export interface HlcParts {
  millis: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 0xffff;
/** A remote clock this far ahead of ours is refused: it would win every conflict for that long. */
export const MAX_DRIFT_MS = 5 * 60_000;

export function newNodeId(): string {
  return randomBytes(8).toString('hex');
}

export function formatHlc(p: HlcParts): string {
  return `${new Date(p.millis).toISOString()}-${p.counter.toString(16).padStart(4, '0')}-${p.node}`;
}

export function parseHlc(s: string): HlcParts {
  const m = /^(.+Z)-([0-9a-f]{4})-([0-9a-f]{16})$/.exec(s);
  if (!m) throw new Error(`Sync: "${s}" is not a clock stamp.`);
  return { millis: Date.parse(m[1]!), counter: parseInt(m[2]!, 16), node: m[3]! };
}

export const hlcNode = (s: string): string => s.slice(-16);

export class Hlc {
  private millis: number;
  private counter: number;

  constructor(
    readonly node: string,
    last: string | null,
    private readonly now: () => number = Date.now,
  ) {
    const p = last ? parseHlc(last) : { millis: 0, counter: 0 };
    this.millis = p.millis;
    this.counter = p.counter;
  }

  /** Stamp a local change committed at `at` (ms); never earlier than the last stamp. */
  send(at: number = this.now()): string {
    const physical = Math.max(at, 0);
    if (physical > this.millis) {
      this.millis = physical;
      this.counter = 0;
    } else {
      this.counter++;
      if (this.counter > MAX_COUNTER) {
        // 65k stamps in one millisecond: borrow the next millisecond rather than overflow.
        this.millis++;
        this.counter = 0;
      }
    }
    return this.current();
  }

  /** Take a remote stamp into account; returns false (and ignores it) when it is too far ahead. */
  recv(remote: string): boolean {
    const p = parseHlc(remote);
    if (p.millis > this.now() + MAX_DRIFT_MS) return false;
    if (p.millis > this.millis || (p.millis === this.millis && p.counter > this.counter)) {
      this.millis = p.millis;
      this.counter = p.counter;
    }
    return true;
  }

  current(): string {
    return formatHlc({ millis: this.millis, counter: this.counter, node: this.node });
  }
}
