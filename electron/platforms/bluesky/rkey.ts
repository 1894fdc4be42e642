// Record keys derived from the scheduler's idempotency key.
//
// Why: XRPC has no idempotency key, but a client may choose a post's record key. Deriving it from
// the job's key makes every attempt of one job address the same record, so
//  - findPublished is one getRecord (no listing, no marker in the visible text), and
//  - a repeated createRecord cannot make a second post: the PDS refuses an existing key
//    (Bluesky's PDS answers 500 for it), and publish then adopts the record already there.
// app.bsky.feed.post keys must be TIDs (atproto.com/specs/tid): 13 base32-sortable characters for
// 0 | 53 bits of microseconds | 10 bits of "clock id". TIDs sort by time and some tools list
// records in key order, so the time part is real when the key carries one (the scheduler's
// `pd-<uuidv7>`: the job's creation time) and otherwise a stable point in the past, never the
// future. The sub-second microseconds and the clock id come from a hash of the key (30 bits), so
// two jobs created in the same second still get different keys; thread parts add their index.
import { createHash } from 'node:crypto';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const UUIDV7 = /[0-9a-f]{8}-?[0-9a-f]{4}-?7[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}/i;
/** Keys without a time of their own land in 2023 (Bluesky's first public year), spread by hash. */
const FALLBACK_START_S = Date.UTC(2023, 0, 1) / 1000;
const FALLBACK_SPAN_S = 365 * 24 * 3600;
/** Thread parts take consecutive microseconds after the root's. */
export const MAX_PARTS = 1000;

function uuidv7Seconds(key: string): number | null {
  const m = UUIDV7.exec(key);
  if (!m) return null;
  const ms = Number.parseInt(m[0].replace(/-/g, '').slice(0, 12), 16);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : null;
}

/** Encode a non-negative 63-bit value as a TID (always 13 characters). */
export function encodeTid(value: bigint): string {
  let out = '';
  let v = value;
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(v & 31n)] + out;
    v >>= 5n;
  }
  return out;
}

export function isTid(s: string): boolean {
  return /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/.test(s);
}

/** The record key of part `part` (0 = the first post) of the publish identified by `idempotencyKey`. */
export function rkeyFor(idempotencyKey: string, part: number): string {
  if (!Number.isInteger(part) || part < 0 || part >= MAX_PARTS) throw new RangeError(`Thread part out of range: ${part}`);
  const digest = createHash('sha256').update(`postdesk:bluesky:${idempotencyKey}`).digest();
  const seconds = uuidv7Seconds(idempotencyKey) ?? FALLBACK_START_S + (digest.readUInt32BE(0) % FALLBACK_SPAN_S);
  // Leave room below the next second for every part, so part order is key order.
  const subSecond = BigInt(digest.readUInt32BE(4) % (1_000_000 - MAX_PARTS));
  const clockId = BigInt(digest.readUInt16BE(8) & 0x3ff);
  const micros = BigInt(seconds) * 1_000_000n + subSecond + BigInt(part);
  return encodeTid((micros << 10n) | clockId);
}
