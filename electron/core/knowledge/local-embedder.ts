// The built-in embedder: knowledge search has to work offline, on first launch, with no model
// download. It is feature hashing (Weinberger et al. 2009) over word unigrams, word bigrams and
// character trigrams, with signed buckets so collisions cancel out on average instead of piling
// up, and sublinear tf so a repeated word does not drown the rest. It knows no synonyms; what it
// gives is a deterministic, typo- and inflection-tolerant lexical vector that the hybrid search
// fuses with bm25. A real model (e.g. 1536-dim remote embeddings) can replace it per workspace.

export const LOCAL_EMBEDDING_DIMS = 384;
/** Stored beside embeddings so vectors of a different embedder are never compared with these.
 *  Bump the version whenever the features or weights below change. */
export const LOCAL_EMBEDDER_ID = 'postdesk-local-hash-v1';

export interface Embedder {
  readonly id: string;
  readonly dims: number;
  embed(texts: readonly string[]): Float32Array[];
}

// Feature weights: whole words carry meaning; bigrams add word order; trigrams match inflections
// and typos but are numerous, so each weighs less.
const W_UNIGRAM = 1.0;
const W_BIGRAM = 0.6;
const W_TRIGRAM = 0.35;
/** Function words still count a little (for questions made only of them) but barely. */
const W_STOPWORD = 0.15;
/** Texts are chunks of a few hundred words; beyond this the tail adds nothing but time. */
const MAX_CHARS = 20_000;

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in ' +
    'into is it its me my of on or our so than that the their them then there these they this ' +
    'to us was we were what when where which who why will with would you your'
  ).split(' '),
);

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** Lowercase and fold diacritics (café -> cafe) so spelling variants share features. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Light English suffix stripping: plurals and -ing/-ed/-ly, never below a three-letter stem. */
export function lightStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('ly') && w.length > 4) w = w.slice(0, -2);
  // "shipping" -> "shipp" -> "ship": undo the doubled consonant left by -ing/-ed.
  if (w.length > 3 && w !== word && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser to spread the low bits. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addFeatures(counts: Map<string, number>, key: string, weight: number): void {
  counts.set(key, (counts.get(key) ?? 0) + weight);
}

/** The weighted feature bag of one text (exported for tests and debugging). */
export function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const folded = foldText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  const words = folded.match(WORD) ?? [];
  let prev: string | null = null;
  for (const raw of words) {
    const stop = STOPWORDS.has(raw);
    const stem = lightStem(raw);
    addFeatures(counts, 'u:' + stem, stop ? W_STOPWORD : W_UNIGRAM);
    if (!stop) {
      // Bigrams over content words only: "refund policy" in "the refund of the policy" too.
      if (prev !== null) addFeatures(counts, 'b:' + prev + ' ' + stem, W_BIGRAM);
      prev = stem;
      const padded = '#' + raw + '#';
      const cps = [...padded];
      for (let i = 0; i + 3 <= cps.length; i++) addFeatures(counts, 'c:' + cps[i] + cps[i + 1] + cps[i + 2], W_TRIGRAM);
    }
  }
  return counts;
}

function embedOne(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  const counts = features(text);
  // An empty text still gets a unit vector (one fixed bucket): cosine distance to a zero
  // vector is undefined, and a stored NaN would poison every kNN result.
  if (counts.size === 0) counts.set('\u0000empty', 1);
  for (const [key, weightedTf] of counts) {
    const h = hash32(key);
    const bucket = h % dims;
    const sign = h & 0x80000000 ? -1 : 1;
    // Sublinear tf: 1 + ln(tf) on the weighted count, so weights below 1 stay proportional.
    const value = weightedTf > 1 ? 1 + Math.log(weightedTf) : weightedTf;
    v[bucket] = (v[bucket] ?? 0) + sign * value;
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += (v[i] ?? 0) * (v[i] ?? 0);
  norm = Math.sqrt(norm);
  if (norm === 0) {
    // Every feature cancelled out in its bucket (vanishingly rare): fall back to the fixed one.
    v[hash32('\u0000empty') % dims] = 1;
    return v;
  }
  for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

export function createLocalEmbedder(dims: number = LOCAL_EMBEDDING_DIMS): Embedder {
  if (!Number.isInteger(dims) || dims < 8) throw new Error(`local embedder needs an integer dims >= 8, got ${dims}`);
  return {
    id: dims === LOCAL_EMBEDDING_DIMS ? LOCAL_EMBEDDER_ID : `${LOCAL_EMBEDDER_ID}-${dims}`,
    dims,
    embed: (texts) => texts.map((t) => embedOne(typeof t === 'string' ? t : '', dims)),
  };
}

/** The default 384-dim instance (matches the knowledge_vec_384 table). */
export const localEmbedder: Embedder = createLocalEmbedder();

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
