// A post's text cut into what a network shows differently: links, #hashtags and @mentions are
// coloured in the preview; everything else is plain text (React escapes it; no HTML is built).
import { findUrls } from '../../../electron/core/posts/text-count';

export type TextPart = { kind: 'text' | 'link' | 'hashtag' | 'mention'; text: string };

// Hashtags of letters, digits and _ (not only digits); mentions as @user, @user@server (Mastodon)
// or @handle.domain (Bluesky), not inside a word or an e-mail address.
const TAG_OR_MENTION = /((?<![\p{L}\p{N}_&#])#[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)|((?<![\p{L}\p{N}_@])@[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?(?:@[a-z0-9.-]*[a-z0-9])?)/giu;

/**
 * Links are found as the networks find them (the core's findUrls: X also links bare domains), so
 * the preview highlights what the counter counts as a link.
 */
export function textParts(text: string, opts: { bareDomains?: boolean } = {}): TextPart[] {
  const out: TextPart[] = [];
  let last = 0;
  for (const u of findUrls(text, { bareDomains: opts.bareDomains ?? false })) {
    tagsAndMentions(text.slice(last, u.start), out);
    out.push({ kind: 'link', text: u.url });
    last = u.end;
  }
  tagsAndMentions(text.slice(last), out);
  return mergeText(out);
}

function tagsAndMentions(text: string, out: TextPart[]): void {
  let last = 0;
  for (const m of text.matchAll(TAG_OR_MENTION)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: m[1] ? 'hashtag' : 'mention', text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
}

function mergeText(parts: TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (prev && prev.kind === 'text' && p.kind === 'text') prev.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** Hashtags not already in the text go at the end, as publishing does (core/posts/publish withHashtags). */
export function withHashtags(text: string, hashtags: readonly string[]): string {
  const present = new Set((text.match(/#[\p{L}\p{N}_]+/gu) ?? []).map((h) => h.toLowerCase()));
  const missing = hashtags.filter((h) => !present.has(h.toLowerCase()));
  if (missing.length === 0) return text;
  return `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${missing.join(' ')}`;
}
