// Links in a stranger's message: only http(s) addresses written out in full become links, and only
// when the main process would open them (the same pure check). Everything else — javascript:,
// data:, "www.example.com", an address with a password in it — stays text. Returns runs of text
// and links; the caller renders each as a React node, never as HTML.
import { externalHref } from '../../../electron/host/external-url';

export type Run = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** Longer than this is not a link anyone meant to click; it stays text. */
const MAX_LINK = 2048;
// Whitespace, quotes, angle brackets and invisible format characters (bidi overrides, zero-width
// joiners) end an address: they are how a crafted message hides where a link really goes.
const URL_RE = /\bhttps?:\/\/[^\s<>"'`\p{Cf}\p{Cc}\p{Z}]+/giu;
const TRAILING = /[.,;:!?'"*_~]+$/;

/** Trailing punctuation belongs to the sentence, and a ")" only when it closes nothing in the URL. */
function trimEnd(url: string): string {
  let u = url;
  for (;;) {
    const before = u;
    u = u.replace(TRAILING, '');
    if (u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
    if (u === before) return u;
  }
}

export function linkify(text: string): Run[] {
  const runs: Run[] = [];
  let last = 0;
  const push = (t: string) => {
    if (t === '') return;
    const prev = runs[runs.length - 1];
    if (prev?.kind === 'text') prev.text += t;
    else runs.push({ kind: 'text', text: t });
  };
  for (const m of text.matchAll(URL_RE)) {
    const start = m.index;
    const raw = trimEnd(m[0]);
    const href = raw.length <= MAX_LINK ? externalHref(raw) : null;
    push(text.slice(last, start));
    if (href !== null && /^https?:/i.test(href)) runs.push({ kind: 'link', text: raw, href });
    else push(raw);
    last = start + raw.length;
  }
  push(text.slice(last));
  return runs;
}
