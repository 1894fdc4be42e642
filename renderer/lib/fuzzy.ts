// Fuzzy matching for the command palette and pickers: every query word must appear in the text,
// either as a run of characters or as word starts ("gs" finds "Go to Settings"), ignoring case
// and accents.
export interface FuzzyMatch {
  score: number;
  /** Indices of matched characters in the text, for highlighting. */
  indices: number[];
}

const isWordStart = (text: string, i: number) => i === 0 || /[\s\-_/.]/.test(text[i - 1] ?? '');

function substringMatch(word: string, text: string, lower: string): FuzzyMatch | null {
  let best: FuzzyMatch | null = null;
  for (let start = lower.indexOf(word); start !== -1; start = lower.indexOf(word, start + 1)) {
    // A run that starts a word is what people type most; one buried mid-word is a weaker hint.
    const score = (isWordStart(text, start) ? 10 * word.length + 20 : 6 * word.length) - start * 0.01;
    if (!best || score > best.score) best = { score, indices: Array.from({ length: word.length }, (_, k) => start + k) };
  }
  return best;
}

/** Each character continues the previous match or starts a word ("gs" -> "Go to Settings"). */
function wordStartMatch(word: string, text: string, lower: string): FuzzyMatch | null {
  const indices: number[] = [];
  let score = 0;
  let prev = -1;
  for (const ch of word) {
    let at = -1;
    if (prev >= 0 && lower[prev + 1] === ch) at = prev + 1;
    else {
      for (let i = prev + 1; i < lower.length; i++) {
        if (lower[i] === ch && isWordStart(text, i)) {
          at = i;
          break;
        }
      }
    }
    if (at === -1) return null;
    score += at === prev + 1 && prev >= 0 ? 5 : 8;
    indices.push(at);
    prev = at;
  }
  return { score: score - indices[0]! * 0.01, indices };
}

// Letters scattered mid-word never match: they are noise, not what anyone meant.
function matchWord(word: string, text: string, lower: string): FuzzyMatch | null {
  const a = substringMatch(word, text, lower);
  const b = wordStartMatch(word, text, lower);
  if (!a) return b;
  if (!b) return a;
  return a.score >= b.score ? a : b;
}

/**
 * Lower-case without diacritics ("Kōfi" -> "kofi"), one output char per input UTF-16 unit so that
 * match indices still point into the original text.
 */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    out += f.length === ch.length ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
  }
  return out;
}

export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const words = fold(query).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { score: 0, indices: [] };
  const lower = fold(text);
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
