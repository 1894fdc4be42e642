// The text a network receives: hashtags not already in it go at the end, as people write them.
// Pure, shared by publishing, the checks before scheduling and the held-post confirmation.

export function withHashtags(text: string, hashtags: readonly string[]): string {
  const present = new Set((text.match(/#[\p{L}\p{N}_]+/gu) ?? []).map((h) => h.toLowerCase()));
  const missing = hashtags.filter((h) => !present.has(h.toLowerCase()));
  if (missing.length === 0) return text;
  return `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${missing.join(' ')}`;
}
