// A stranger's avatar as initials on a colour picked from their name. Never their picture: the
// window's CSP refuses remote images, and a stranger's image URL is a tracking pixel that would
// tell them when the inbox was opened.

/** Bidi overrides, zero-width joiners and other invisible format characters: not initials. */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Z}]/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

let segmenter: Intl.Segmenter | null = null;
function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The first letter of a word, as a whole grapheme (so "Émile" gives "É", not "E" and a lone accent). */
function firstLetter(word: string): string | null {
  for (const g of graphemes(word.replace(INVISIBLE, ''))) {
    if (LETTER_OR_DIGIT.test(g)) return g;
  }
  return null;
}

/**
 * Up to two initials: "Ana María Pérez" -> "AP", "李小龙" -> "李", "<script>x" -> "SX". Without a
 * name, the handle's first letter ("@kofi.bsky.social" -> "K": its dots are not words); then "?".
 */
export function initials(name: string | null | undefined, handle?: string | null): string {
  const key = `${name ?? ''}\u0000${handle ?? ''}`;
  const known = seen.get(key);
  if (known !== undefined) return known;
  const value = computeInitials(name, handle);
  // A list scrolls past the same few hundred people again and again; the cache stays small.
  if (seen.size >= SEEN_MAX) seen.clear();
  seen.set(key, value);
  return value;
}

const SEEN_MAX = 5_000;
const seen = new Map<string, string>();

function computeInitials(name: string | null | undefined, handle?: string | null): string {
  const letters = (source: string, sep: RegExp) =>
    source
      .split(sep)
      .map(firstLetter)
      .filter((l): l is string => l !== null);
  const words = name ? letters(name, /[\s_\-/]+/u) : [];
  if (words.length > 0) {
    const first = words[0] ?? '';
    const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
    return (first + last).toLocaleUpperCase();
  }
  const h = handle ? letters(handle, /[\s.@:/]+/u)[0] : undefined;
  return h ? h.toLocaleUpperCase() : '?';
}

/** How many avatar colours the stylesheet defines (inbox.css, .ib-avatar--0 … --11). */
export const AVATAR_COLOURS = 12;

/** A colour index from a name: the same person keeps their colour from visit to visit (FNV-1a). */
export function avatarColour(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % AVATAR_COLOURS;
}
