// Rich text for app.bsky.feed.post: links, mentions and hashtags are not parsed from the text by
// the AppView; the client sends them as facets that address the text by UTF-8 byte offsets
// (docs.bsky.app "Posts" guide). JS strings index UTF-16, so every offset is converted here.
// The rules follow Bluesky's own client: a mention is "@" + a handle with a dot, a link starts
// with http(s):// and loses trailing punctuation, a tag is "#" + up to 64 characters that are
// not only digits. Bare domains ("example.com") are left as text: recognising them needs the
// public-suffix list, and a wrong link is worse than none.

export type FacetFeature =
  | { $type: 'app.bsky.richtext.facet#link'; uri: string }
  | { $type: 'app.bsky.richtext.facet#mention'; did: string }
  | { $type: 'app.bsky.richtext.facet#tag'; tag: string };

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: FacetFeature[];
}

/** A mention found in the text, before its handle is resolved to a DID. */
interface Candidate {
  start: number;
  end: number;
  feature: FacetFeature | { $type: 'mention-handle'; handle: string };
}

const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** UTF-16 index -> UTF-8 byte offset in `text`. */
function byteOffset(text: string, utf16Index: number): number {
  return utf8Length(text.slice(0, utf16Index));
}

const MENTION = /(^|[\s(])@([a-zA-Z0-9.-]+)/g;
const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const LINK = /(^|[\s(])(https?:\/\/\S+)/gi;
// Zero-width characters that must not be part of a tag, as in Bluesky's client. Each is meant as
// a single excluded character, which is exactly what the lint rule suspects is an accident.
// eslint-disable-next-line no-misleading-character-class
const TAG = /(^|\s)[#＃]((?!\ufe0f)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*)?/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeLength(s: string): number {
  let n = 0;
  for (const _ of graphemes.segment(s)) n++;
  return n;
}

function candidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(MENTION)) {
    // A trailing dot ends the sentence, not the handle.
    const handle = (m[2] ?? '').replace(/\.+$/, '');
    if (!HANDLE.test(handle)) continue;
    const start = (m.index ?? 0) + (m[1] ?? '').length;
    out.push({ start, end: start + 1 + handle.length, feature: { $type: 'mention-handle', handle: handle.toLowerCase() } });
  }
  for (const m of text.matchAll(LINK)) {
    let uri = m[2] ?? '';
    if (/[.,;:!?]$/.test(uri)) uri = uri.slice(0, -1);
    if (uri.endsWith(')') && !uri.includes('(')) uri = uri.slice(0, -1);
    const start = (m.index ?? 0) + (m[1] ?? '').length;
    out.push({ start, end: start + uri.length, feature: { $type: 'app.bsky.richtext.facet#link', uri } });
  }
  for (const m of text.matchAll(TAG)) {
    const raw = m[2];
    if (!raw) continue;
    const tag = raw.trim().replace(/\p{P}+$/u, '');
    if (tag.length === 0 || graphemeLength(tag) > 64) continue;
    const start = (m.index ?? 0) + (m[1] ?? '').length;
    out.push({ start, end: start + 1 + tag.length, feature: { $type: 'app.bsky.richtext.facet#tag', tag } });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The facets of `text`. `resolveHandle` turns a handle into a DID, or null when it can't (then the
 * mention stays plain text: a facet pointing at the wrong account would be worse).
 */
export async function detectFacets(text: string, resolveHandle: (handle: string) => Promise<string | null>): Promise<Facet[]> {
  const found = candidates(text);
  const handles = [...new Set(found.flatMap((c) => (c.feature.$type === 'mention-handle' ? [c.feature.handle] : [])))];
  const dids = new Map<string, string | null>();
  await Promise.all(handles.map(async (h) => dids.set(h, await resolveHandle(h))));

  const facets: Facet[] = [];
  let lastEnd = -1;
  for (const c of found) {
    if (c.start < lastEnd) continue; // overlapping matches: the first one wins (e.g. a "#" inside a URL)
    let feature: FacetFeature;
    if (c.feature.$type === 'mention-handle') {
      const did = dids.get(c.feature.handle);
      if (!did) continue;
      feature = { $type: 'app.bsky.richtext.facet#mention', did };
    } else {
      feature = c.feature;
    }
    facets.push({ index: { byteStart: byteOffset(text, c.start), byteEnd: byteOffset(text, c.end) }, features: [feature] });
    lastEnd = c.end;
  }
  return facets;
}
