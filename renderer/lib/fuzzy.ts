// Fuzzy matching for the command palette: every query word must appear in order as a subsequence;
// matches at word starts and in runs score higher, so "gs" finds "Go to Settings" first.
export interface FuzzyMatch {
  score: number;
  /** Indices of matched characters in the text, for highlighting. */
  indices: number[];
}

const isWordStart = (text: string, i: number) => i === 0 || /[\s\-_/.]/.test(text[i - 1] ?? '');

function matchWord(word: string, text: string, lower: string): FuzzyMatch | null {
  // Prefer a contiguous match at a word start (what people type most), else a greedy subsequence.
  let best: FuzzyMatch | null = null;
  for (let start = lower.indexOf(word); start !== -1; start = lower.indexOf(word, start + 1)) {
    const score = 10 * word.length + (isWordStart(text, start) ? 20 : 0) - start * 0.1;
    if (!best || score > best.score) best = { score, indices: Array.from({ length: word.length }, (_, k) => start + k) };
  }
  if (best) return best;

  const indices: number[] = [];
  let score = 0;
  let from = 0;
  let prev = -2;
  for (const ch of word) {
    // Jump to the next word start holding this character when there is one, else the next occurrence.
    let at = -1;
    for (let i = from; i < lower.length; i++) {
      if (lower[i] === ch && isWordStart(text, i)) {
        at = i;
        break;
      }
    }
    const next = lower.indexOf(ch, from);
    if (next === -1) return null;
    if (at === -1 || next === prev + 1) at = next;
    score += 1 + (isWordStart(text, at) ? 6 : 0) + (at === prev + 1 ? 4 : 0);
    indices.push(at);
    prev = at;
    from = at + 1;
  }
  return { score: score - indices[0]! * 0.1, indices };
}

export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const words = query.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { score: 0, indices: [] };
  const lower = text.toLowerCase();
  let score = 0;
  const indices = new Set<number>();
  for (const w of words) {
    const m = matchWord(w, text, lower);
    if (!m) return null;
    score += m.score;
    for (const i of m.indices) indices.add(i);
  }
  return { score, indices: [...indices].sort((a, b) => a - b) };
}

/** Items that match, best first; ties keep their original order. */
export function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string): Array<{ item: T; match: FuzzyMatch }> {
  const out: Array<{ item: T; match: FuzzyMatch; order: number }> = [];
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, text(item));
    if (match) out.push({ item, match, order });
  });
  out.sort((a, b) => b.match.score - a.match.score || a.order - b.order);
  return out.map(({ item, match }) => ({ item, match }));
}
