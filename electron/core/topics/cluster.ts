// Clustering message vectors into topics: spherical k-means (cosine) seeded by k-means++, with
// k chosen by the silhouette over a small range, then outliers set apart (topic -1).
//
// Why this and not HDBSCAN as BERTopic does: with no UMAP step the vectors stay high-dimensional,
// where density estimates are unreliable and cost O(n²); k-means is O(n·k·d) per pass and, on
// unit vectors, its centroids are exactly what re-assigning a new message needs. Messages far
// from their centroid (below the cluster's own spread) and clusters too small to be a topic become
// outliers, which gives BERTopic's "-1" without a density model.
//
// Deterministic: every random choice comes from a seeded generator, so a given seed and input
// give the same topics. All loops yield through a Pacer (see pacer.ts).
import type { Pacer } from './pacer';

/** A small, fast, seedable generator (mulberry32): the same seed, the same topics. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Row-major unit vectors (zero vectors stay zero: an empty message is far from everything). */
export interface Matrix {
  data: Float32Array;
  n: number;
  d: number;
}

export function toUnitMatrix(vectors: readonly Float32Array[], d: number): Matrix {
  const n = vectors.length;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const v = vectors[i]!;
    if (v.length !== d) throw new Error(`vector ${i} has ${v.length} dimensions, expected ${d}`);
    let norm = 0;
    for (let j = 0; j < d; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    for (let j = 0; j < d; j++) data[i * d + j] = v[j]! / norm;
  }
  return { data, n, d };
}

function dotRows(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  const ao = ai * d;
  const bo = bi * d;
  for (let j = 0; j < d; j++) s += a[ao + j]! * b[bo + j]!;
  return s;
}

function subset(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float32Array(rows.length * m.d);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.d, (r + 1) * m.d), i * m.d));
  return { data, n: rows.length, d: m.d };
}

export interface KMeansResult {
  k: number;
  /** Cluster of each row. */
  assign: Int32Array;
  /** Cosine similarity of each row to its centroid. */
  sims: Float32Array;
  /** k unit centroids, row-major. */
  centroids: Float32Array;
  /** Sum of (1 - similarity): lower is tighter. */
  inertia: number;
}

function normalizeRow(c: Float32Array, row: number, d: number): void {
  let norm = 0;
  for (let j = 0; j < d; j++) norm += c[row * d + j]! ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < d; j++) c[row * d + j] = c[row * d + j]! / norm;
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007) with cosine distance. */
async function seedCentroids(m: Matrix, k: number, rand: () => number, pacer: Pacer): Promise<Float32Array> {
  const { n, d, data } = m;
  const centroids = new Float32Array(k * d);
  const first = Math.floor(rand() * n);
  centroids.set(data.subarray(first * d, (first + 1) * d), 0);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = Math.max(0, 1 - dotRows(data, i, centroids, 0, d));
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += dist[i]! * dist[i]!;
    let pick: number;
    if (total > 0) {
      let r = rand() * total;
      for (pick = 0; pick < n - 1; pick++) {
        r -= dist[pick]! * dist[pick]!;
        if (r <= 0) break;
      }
    } else pick = Math.floor(rand() * n);
    centroids.set(data.subarray(pick * d, (pick + 1) * d), c * d);
    for (let i = 0; i < n; i++) {
      const dd = Math.max(0, 1 - dotRows(data, i, centroids, c, d));
      if (dd < dist[i]!) dist[i] = dd;
      if (pacer.due()) await pacer.pause();
    }
  }
  return centroids;
}

/** Assign every row to its most similar centroid; returns how many rows changed cluster. */
async function assignRows(m: Matrix, centroids: Float32Array, k: number, assign: Int32Array, sims: Float32Array, pacer: Pacer): Promise<number> {
  let changed = 0;
  for (let i = 0; i < m.n; i++) {
    let best = 0;
    let bestSim = -Infinity;
    for (let c = 0; c < k; c++) {
      const s = dotRows(m.data, i, centroids, c, m.d);
      if (s > bestSim) {
        bestSim = s;
        best = c;
      }
    }
    if (assign[i] !== best) changed++;
    assign[i] = best;
    sims[i] = bestSim;
    if (pacer.due()) await pacer.pause();
  }
  return changed;
}

/** Centroids as the normalised mean of their rows; an emptied cluster takes the worst-fitting row. */
function updateCentroids(m: Matrix, k: number, assign: Int32Array, sims: Float32Array): Float32Array {
  const { n, d, data } = m;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = assign[i]!;
    counts[c]!++;
    const o = i * d;
    const co = c * d;
    for (let j = 0; j < d; j++) sums[co + j] = sums[co + j]! + data[o + j]!;
  }
  const out = new Float32Array(k * d);
  const taken = new Set<number>();
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) {
      let worst = -1;
      for (let i = 0; i < n; i++) if (!taken.has(i) && (worst === -1 || sims[i]! < sims[worst]!)) worst = i;
      if (worst >= 0) {
        taken.add(worst);
        out.set(data.subarray(worst * d, (worst + 1) * d), c * d);
      }
      continue;
    }
    for (let j = 0; j < d; j++) out[c * d + j] = sums[c * d + j]!;
    normalizeRow(out, c, d);
  }
  return out;
}

export async function kMeans(m: Matrix, k: number, rand: () => number, pacer: Pacer, maxIter = 50): Promise<KMeansResult> {
  let centroids = await seedCentroids(m, k, rand, pacer);
  const assign = new Int32Array(m.n).fill(-1);
  const sims = new Float32Array(m.n);
  for (let iter = 0; iter < maxIter; iter++) {
    const changed = await assignRows(m, centroids, k, assign, sims, pacer);
    if (changed === 0 && iter > 0) break;
    centroids = updateCentroids(m, k, assign, sims);
  }
  await assignRows(m, centroids, k, assign, sims, pacer);
  let inertia = 0;
  for (let i = 0; i < m.n; i++) inertia += 1 - sims[i]!;
  return { k, assign, sims, centroids, inertia };
}

/** The best (lowest inertia) of `runs` k-means runs from different seeds. */
async function bestKMeans(m: Matrix, k: number, rand: () => number, pacer: Pacer, runs: number): Promise<KMeansResult> {
  let best: KMeansResult | null = null;
  for (let r = 0; r < runs; r++) {
    const res = await kMeans(m, k, rand, pacer);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}

/** Pairwise cosine distances of a sample, computed once and shared by every k tried. */
async function distanceMatrix(m: Matrix, pacer: Pacer): Promise<Float32Array> {
  const s = m.n;
  const dist = new Float32Array(s * s);
  for (let i = 0; i < s; i++) {
    for (let j = i + 1; j < s; j++) {
      const v = Math.max(0, 1 - dotRows(m.data, i, m.data, j, m.d));
      dist[i * s + j] = v;
      dist[j * s + i] = v;
    }
    if (pacer.due()) await pacer.pause();
  }
  return dist;
}

/** Mean silhouette (Rousseeuw 1987) of the labelled sample: how much closer rows are to their own cluster than to the next. */
export function silhouette(dist: Float32Array, labels: Int32Array, k: number): number {
  const s = labels.length;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let i = 0; i < s; i++) counts[labels[i]!]!++;
  let total = 0;
  for (let i = 0; i < s; i++) {
    sums.fill(0);
    for (let j = 0; j < s; j++) if (j !== i) sums[labels[j]!] = sums[labels[j]!]! + dist[i * s + j]!;
    const own = labels[i]!;
    if (counts[own]! <= 1) continue; // a singleton scores 0
    const a = sums[own]! / (counts[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    if (!Number.isFinite(b)) continue;
    const denom = Math.max(a, b);
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return s > 0 ? total / s : 0;
}

/** Share of the best silhouette a smaller k may fall short by and still be chosen. */
export const SILHOUETTE_SLACK = 0.1;

export interface ClusterOptions {
  seed: number;
  /** Largest k tried. */
  maxTopics: number;
  /** A cluster smaller than this is not a topic: its messages become outliers. */
  minTopicSize: number;
  /** Rows used to choose k (the final clustering uses every row). */
  selectionSample?: number;
  /** Rows the silhouette is measured on. */
  silhouetteSample?: number;
  /** A row this many standard deviations below its cluster's mean similarity is an outlier. */
  outlierSigmas?: number;
  /** A row less similar than this to its centroid is always an outlier. */
  outlierFloor?: number;
}

export interface Topic {
  /** Row indices, most typical (nearest the centroid) first. */
  members: number[];
  /** Similarity of each member to the centroid, same order. */
  sims: number[];
  centroid: Float32Array;
}

export interface Clustering {
  /** Largest first. */
  topics: Topic[];
  /** Rows that belong to no topic. */
  outliers: number[];
  /** Silhouette of each k tried (empty when the input was too small to choose). */
  scores: { k: number; silhouette: number }[];
  k: number;
  /** Below-centroid similarity at which each topic's outliers were cut (same order as topics). */
  thresholds: number[];
}

function shuffledIndices(n: number, rand: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

/** Choose k by silhouette on a sample, cluster everything with it, then set outliers apart. */
export async function clusterVectors(m: Matrix, opts: ClusterOptions, pacer: Pacer, onStep: (fraction: number, message: string) => void = () => {}): Promise<Clustering> {
  const rand = seededRandom(opts.seed);
  const kMax = Math.min(opts.maxTopics, Math.floor(m.n / Math.max(1, opts.minTopicSize)));
  const scores: { k: number; silhouette: number }[] = [];
  let k = 1;
  if (kMax >= 2) {
    const order = shuffledIndices(m.n, rand);
    const sel = order.slice(0, Math.min(m.n, opts.selectionSample ?? 1500));
    const selM = subset(m, sel);
    const silN = Math.min(selM.n, opts.silhouetteSample ?? 600);
    // The silhouette sample is the first silN rows of the (already shuffled) selection.
    const dist = await distanceMatrix(silN === selM.n ? selM : subset(selM, Array.from({ length: silN }, (_, i) => i)), pacer);
    for (let kk = 2; kk <= kMax; kk++) {
      onStep((kk - 2) / Math.max(1, kMax - 1), `Trying ${kk} topics`);
      const res = await bestKMeans(selM, kk, rand, pacer, 2);
      scores.push({ k: kk, silhouette: silhouette(dist, res.assign.subarray(0, silN), kk) });
    }
    // The silhouette tends to creep up as themes are split into sub-themes, by less than its
    // sampling noise: the fewest topics scoring within SILHOUETTE_SLACK of the best win.
    const best = Math.max(...scores.map((x) => x.silhouette));
    k = scores.find((x) => x.silhouette >= best - Math.abs(best) * SILHOUETTE_SLACK)!.k;
  }
  onStep(1, `Grouping messages into ${k} topic${k === 1 ? '' : 's'}`);
  const final = await bestKMeans(m, k, rand, pacer, 3);
  return { ...separateOutliers(m, final, opts), scores };
}

function meanStd(xs: number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: 0, std: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(v) };
}

function separateOutliers(m: Matrix, res: KMeansResult, opts: ClusterOptions): Clustering {
  const sigmas = opts.outlierSigmas ?? 2;
  const floor = opts.outlierFloor ?? 0.05;
  const { d } = m;
  const outliers: number[] = [];
  const kept: { rows: number[]; threshold: number }[] = [];
  for (let c = 0; c < res.k; c++) {
    const rows: number[] = [];
    for (let i = 0; i < m.n; i++) if (res.assign[i] === c) rows.push(i);
    const { mean, std } = meanStd(rows.map((i) => res.sims[i]!));
    const threshold = Math.max(floor, mean - sigmas * std);
    const inliers = rows.filter((i) => res.sims[i]! >= threshold);
    for (const i of rows) if (res.sims[i]! < threshold) outliers.push(i);
    if (inliers.length < opts.minTopicSize) outliers.push(...inliers);
    else kept.push({ rows: inliers, threshold });
  }
  // Centroids of what stayed, so an outlier never pulls its topic's centre (or its samples).
  const topics: Topic[] = kept.map(({ rows }) => {
    const centroid = new Float32Array(d);
    for (const i of rows) for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + m.data[i * d + j]!;
    normalizeRow(centroid, 0, d);
    const withSim = rows.map((i) => ({ i, s: dotRows(m.data, i, centroid, 0, d) })).sort((a, b) => b.s - a.s || a.i - b.i);
    return { members: withSim.map((x) => x.i), sims: withSim.map((x) => x.s), centroid };
  });
  const order = topics.map((t, idx) => ({ t, idx })).sort((a, b) => b.t.members.length - a.t.members.length || a.idx - b.idx);
  return {
    topics: order.map((o) => o.t),
    outliers: outliers.sort((a, b) => a - b),
    scores: [],
    k: res.k,
    thresholds: order.map((o) => kept[o.idx]!.threshold),
  };
}
