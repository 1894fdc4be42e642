// Post commentary and comment text are LinkedIn "little" text: characters that open a mention,
// hashtag or template must be backslash-escaped to stay plain text. An unescaped one does not fail
// the request — LinkedIn accepts the post and silently cuts the text at that character — so every
// text the user wrote goes through here on its way out.
// Source: Microsoft Learn, "little text format" (Posts API); the list of reserved characters there.

const RESERVED = /[|{}@[\]()<>#\\*_~]/g;
const ESCAPED = /\\([|{}@[\]()<>#\\*_~])/g;

/**
 * Escape everything reserved except the `#` that starts a hashtag, which marketers expect to stay
 * clickable. Mentions are not kept: they need a URN Postdesk does not have, so `@` stays literal.
 */
export function escapeLittleText(text: string): string {
  return text.replace(RESERVED, (ch: string, offset: number) => (ch === '#' && startsHashtag(text, offset) ? ch : `\\${ch}`));
}

/** Back to what the user typed, for matching markers and showing comments. */
export function unescapeLittleText(text: string): string {
  return text.replace(ESCAPED, '$1');
}

/**
 * A hashtag is `#` at a word boundary followed by a word with at least one letter ("#2026goals"
 * is one, "#1" and "C#" are not), the same shape LinkedIn's composer links.
 */
function startsHashtag(text: string, at: number): boolean {
  const before = at === 0 ? '' : text.charAt(at - 1);
  if (before !== '' && /[\p{L}\p{N}_#&\\]/u.test(before)) return false;
  return /^\p{N}*\p{L}/u.test(text.slice(at + 1, at + 65));
}
