// Keywords per topic by class-based TF-IDF (c-TF-IDF, Grootendorst 2022, BERTopic): all of a
// topic's messages are one document, a term's weight is its frequency in the topic times
// log(1 + A / f), where A is the average number of terms per topic and f the term's frequency
// across all topics. Words every topic uses score low; words one topic uses a lot score high.
//
// Terms are counted once per message (see text.ts), so a message repeating a word cannot make it
// a keyword; a keyword must also appear in at least two of the topic's messages when it has more
// than a handful, so a one-off word is never what a topic is "about".
import { keywordTerms } from './text';

export const KEYWORDS_PER_TOPIC = 8;

export interface TopicKeywords {
  /** Surface words, best first. */
  keywords: string[];
  scores: number[];
}

export interface KeywordModel {
  /** One entry per class in the order given. */
  topics: TopicKeywords[];
  /** Stem -> idf weight and the surface form shown, for the terms that scored anywhere (kept in the model file). */
  vocabulary: Record<string, { idf: number; word: string }>;
}

/**
 * `classes[c]` lists the texts of class c (topic order; the outliers' class may be included so
 * their words count as "everywhere" too, as BERTopic does, and its keywords are simply ignored).
 */
export function classKeywords(classes: readonly (readonly string[])[], perTopic = KEYWORDS_PER_TOPIC): KeywordModel {
  const counts: Map<string, number>[] = [];
  const totals: number[] = [];
  const overall = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  for (const texts of classes) {
    const m = new Map<string, number>();
    let total = 0;
    for (const t of texts) {
      for (const [stem, word] of keywordTerms(t)) {
        m.set(stem, (m.get(stem) ?? 0) + 1);
        overall.set(stem, (overall.get(stem) ?? 0) + 1);
        let s = surfaces.get(stem);
        if (!s) surfaces.set(stem, (s = new Map()));
        s.set(word, (s.get(word) ?? 0) + 1);
        total++;
      }
    }
    counts.push(m);
    totals.push(total);
  }
  const avg = totals.reduce((a, b) => a + b, 0) / Math.max(1, classes.length);
  const idf = (stem: string) => Math.log(1 + avg / Math.max(1, overall.get(stem) ?? 0));
  const surfaceOf = (stem: string) => {
    const s = surfaces.get(stem);
    if (!s) return stem;
    // Most used form; on a tie the shorter, then alphabetical, so the choice is stable.
    return [...s.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]![0];
  };
  const vocabulary: KeywordModel['vocabulary'] = {};
  const topics = counts.map((m, c) => {
    const minCount = classes[c]!.length > 5 ? 2 : 1;
    const scored: { stem: string; score: number }[] = [];
    for (const [stem, n] of m) {
      if (n < minCount) continue;
      scored.push({ stem, score: (n / Math.max(1, totals[c]!)) * idf(stem) });
    }
    scored.sort((a, b) => b.score - a.score || a.stem.localeCompare(b.stem));
    const top = scored.slice(0, perTopic);
    for (const t of top) vocabulary[t.stem] = { idf: idf(t.stem), word: surfaceOf(t.stem) };
    return { keywords: top.map((t) => surfaceOf(t.stem)), scores: top.map((t) => t.score) };
  });
  return { topics, vocabulary };
}
