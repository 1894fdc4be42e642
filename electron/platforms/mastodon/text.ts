// How Mastodon measures a status, and how its HTML reads as plain text. The server's
// StatusLengthValidator counts grapheme clusters after replacing every URL with 23 characters and
// every remote mention "@user@domain" with "@user"; we mirror that so a post is refused here, in
// words, rather than by a 422 after its media was uploaded.

// twitter-text (which Mastodon uses) trims trailing punctuation from a URL; counting it as part of
// the URL only ever makes our count shorter than the server's, never wrongly longer.
const URL_RE = /\bhttps?:\/\/[^\s<>"]+/giu;
export const REMOTE_MENTION_RE = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+(?:[.-]+[\p{L}\p{N}_]+)*)@[\p{L}\p{N}.-]+\.[\p{L}\p{N}-]+/gu;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** The length Mastodon checks against `max_characters`. */
export function countableLength(text: string, urlLength: number): number {
  const placeholder = 'x'.repeat(urlLength);
  const rewritten = text.replace(URL_RE, placeholder).replace(REMOTE_MENTION_RE, (_m, before: string, user: string) => `${before}@${user}`);
  return graphemeLength(rewritten);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A status's `content` (sanitised HTML: <p>, <br>, <a>, <span>) as the text the author typed:
 * paragraphs become blank lines, links their visible text. Good enough for the inbox and for
 * finding our publish marker; not a general HTML parser.
 */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    // Mastodon hides the scheme and the tail of long links in spans with class "invisible"; the
    // text inside still belongs to the link, so tags are dropped but their text is kept.
    .replace(/<[^>]+>/g, '');
  return decodeEntities(withBreaks).trim();
}

/** Whether `text` already addresses `acct` (so a reply doesn't mention someone twice). */
export function mentions(text: string, acct: string): boolean {
  const escaped = acct.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w@])@${escaped}(?![\\w@.-])`, 'i').test(text);
}
