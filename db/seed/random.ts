// Seeded randomness for the demo generator. Everything the generator makes (text, times, ids)
// comes from here, so the same seed and the same `now` always give the same database.
// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
// PractRand, and is a few instructions per number in V8.

/** A 32-bit string hash (FNV-1a) to derive independent streams from a seed and a label. */
function hashLabel(label: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(
    readonly seed: number,
    readonly label = '',
  ) {
    this.a = hashLabel(label + '#a', seed);
    this.b = hashLabel(label + '#b', seed);
    this.c = hashLabel(label + '#c', seed);
    this.d = 1;
    // Mix the state before first use, as the reference implementation recommends.
    for (let i = 0; i < 15; i++) this.u32();
  }

  /**
   * An independent stream for one part of the generator. Parts draw from their own streams so
   * that changing how much one part draws never shifts what another part makes.
   */
  fork(label: string): Rng {
    return new Rng(this.seed, `${this.label}/${label}`);
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One of `items` with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Pareto-like weight: a few items get most of the attention (comments per post, likes). */
  heavy(alpha = 1.2): number {
    return 1 / Math.pow(1 - this.next(), 1 / alpha);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** `n` distinct items (or all of them when there are fewer). */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle([...items]).slice(0, Math.min(n, items.length));
  }

  /**
   * A UUIDv7 for a row created at `ms`, with its 74 random bits from this stream: time-ordered
   * like the app's own ids (db/schema/columns.ts newId), but reproducible.
   */
  uuidv7(ms: number): string {
    const t = Math.max(0, Math.floor(ms));
    const hi = Math.floor(t / 0x1000000); // top 24 of the 48 time bits
    const lo = t % 0x1000000;
    const r1 = this.u32();
    const r2 = this.u32();
    const r3 = this.u32();
    const b = [
      (hi >>> 16) & 0xff,
      (hi >>> 8) & 0xff,
      hi & 0xff,
      (lo >>> 16) & 0xff,
      (lo >>> 8) & 0xff,
      lo & 0xff,
      0x70 | (r1 & 0x0f), // version 7
      (r1 >>> 8) & 0xff,
      0x80 | ((r1 >>> 16) & 0x3f), // RFC 9562 variant
      (r1 >>> 24) & 0xff,
      r2 & 0xff,
      (r2 >>> 8) & 0xff,
      (r2 >>> 16) & 0xff,
      (r2 >>> 24) & 0xff,
      r3 & 0xff,
      (r3 >>> 8) & 0xff,
    ];
    let s = '';
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
      s += HEX[b[i] as number];
    }
    return s;
  }

  /** Lowercase letters and digits, for platform ids and handles. */
  token(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz234567'): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[this.u32() % alphabet.length];
    return s;
  }

  digits(length: number): string {
    let s = String(this.int(1, 9));
    for (let i = 1; i < length; i++) s += String(this.u32() % 10);
    return s;
  }
}
