// Default hashtags as the user types them: "#Bread, sourdough  ##bread" becomes two chips, #Bread
// and #sourdough. The engine normalises the same way on save (accounts.updateSettings); doing it
// here too means the chips show what will be saved before the user presses Save.

export const MAX_HASHTAGS = 30;
export const MAX_HASHTAG_LENGTH = 100;

/** One typed tag in its saved form ("#bread"), or null when there is no tag in it. */
export function normaliseHashtag(raw: string): string | null {
  const tag = raw.trim().replace(/^#+/, '');
  if (tag === '' || /\s/.test(tag)) return null;
  return `#${tag}`;
}

/** Split what was typed or pasted into tags: commas, spaces and new lines separate them. */
export function splitHashtags(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map(normaliseHashtag)
    .filter((t): t is string => t !== null);
}

/** Add tags to a list, skipping ones already there in any case (#Bread and #bread are one tag). */
export function addHashtags(existing: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  const out = [...existing];
  for (const t of added) {
    const key = t.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** What is wrong with a list before it is sent, in the words the field shows; null when fine. */
export function hashtagsProblem(tags: readonly string[]): string | null {
  if (tags.length > MAX_HASHTAGS) return `Keep it to ${MAX_HASHTAGS} hashtags or fewer (there are ${tags.length}).`;
  const long = tags.find((t) => t.length > MAX_HASHTAG_LENGTH);
  if (long) return `${long.slice(0, 24)}… is longer than ${MAX_HASHTAG_LENGTH} characters.`;
  return null;
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
