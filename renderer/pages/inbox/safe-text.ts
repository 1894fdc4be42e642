// Strangers' text made safe to lay out — never to interpret: it is always rendered as React text.
// What is handled here is what plain text can still do to a layout: lone UTF-16 surrogates (from a
// broken client or a cut in the middle of an emoji), control characters in a one-line name, and a
// 100 kB message that would take seconds to lay out in full.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Lone surrogates become U+FFFD, as a browser's decoder would, so every later step sees valid text. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

// C0/C1 controls (newlines, tabs, escape) would break a one-line name or open a terminal escape
// in a copied log; bidi overrides are left in, and isolated by <bdi> where the name is shown.
const CONTROLS = /\p{Cc}+/gu;

/** A one-line label (a name, a preview): valid, controls folded to a space, trimmed, cut to `max`. */
export function oneLine(text: string | null | undefined, max = 200): string {
  if (!text) return '';
  const flat = wellFormed(text).replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${cutAt(flat, max - 1)}…`;
}

/** `text` cut to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** How much of a message is laid out before "Show all". */
export const CLIP_CHARS = 4_000;

export interface Clipped {
  text: string;
  /** How many characters "Show all" would add (0 when nothing was cut). */
  hidden: number;
}

/**
 * The start of a long message, cut at a word boundary near `max` when there is one, so a 100 kB
 * message costs no more to lay out than a normal one until the user asks for all of it.
 */
export function clip(text: string, max = CLIP_CHARS): Clipped {
  if (text.length <= max) return { text, hidden: 0 };
  let cut = cutAt(text, max);
  const space = cut.search(/\s\S*$/);
  if (space > max * 0.8) cut = cut.slice(0, space);
  return { text: cut, hidden: text.length - cut.length };
}
