// The CPU-heavy part of a topic analysis, from vectors and texts to topics with keywords: the
// clustering space (embeddings beside LSA coordinates), k-means with k by silhouette, outliers,
// and c-TF-IDF keywords. Pure and deterministic; it runs in the topics worker thread (worker.ts)
// and, where no worker can start, on the calling thread paced by a Pacer.
import { clusterVectors, seededRandom, toUnitMatrix, type Clustering, type Matrix } from './cluster';
import { classKeywords, type KeywordModel } from './keywords';
import { lsaVectors, type LsaProjection } from './lsa';
import type { Pacer } from './pacer';

export interface ComputeInput {
  texts: string[];
  /** n × dims embeddings, row-major. */
  vectors: Float32Array;
  dims: number;
  seed: number;
  maxTopics: number;
  minTopicSize: number;
}

export interface ComputeOutput {
  clustering: Clustering;
  keywords: KeywordModel;
  /** Projects a new message's words into the clustering space (see reassign.ts). */
  lsa: LsaProjection;
}

export type StepFn = (fraction: number, message: string) => void;

/** One message's row of the clustering space: unit embedding beside unit LSA coordinates. */
export function combineRow(embedding: Float32Array, lsa: Float32Array): Float32Array {
  const unit = (v: Float32Array) => {
    let n = 0;
    for (let j = 0; j < v.length; j++) n += v[j]! * v[j]!;
    return n > 0 ? 1 / Math.sqrt(n) : 0;
  };
  const ue = unit(embedding);
  const ul = unit(lsa);
  const row = new Float32Array(embedding.length + lsa.length);
  for (let j = 0; j < embedding.length; j++) row[j] = embedding[j]! * ue;
  for (let j = 0; j < lsa.length; j++) row[embedding.length + j] = lsa[j]! * ul;
  return row;
}

/**
 * What the clustering sees: each message's embedding (unit length) beside its LSA coordinates
 * (unit length, see lsa.ts), so both views weigh the same. Either part may be missing (no kept
 * word, a zero vector) without breaking the other.
 */
async function clusteringSpace(input: ComputeInput, pacer: Pacer): Promise<{ matrix: Matrix; lsa: LsaProjection }> {
  const { texts, vectors, dims } = input;
  const lsa = await lsaVectors(
    texts,
    {
      rank: Math.min(16, Math.max(8, input.maxTopics + 2)),
      // A word in under 2% of the messages (or 2, in a small inbox) names no theme.
      minDf: Math.min(50, Math.max(2, Math.ceil(texts.length * 0.02))),
      maxDfShare: 0.5,
      rand: seededRandom(input.seed ^ 0x5bd1e995),
    },
    pacer,
  );
  const rows: Float32Array[] = [];
  for (let i = 0; i < texts.length; i++) {
    rows.push(combineRow(vectors.subarray(i * dims, (i + 1) * dims), lsa.vectors[i]!));
    if (pacer.due()) await pacer.pause();
  }
  const d = dims + lsa.dims;
  return { matrix: toUnitMatrix(rows, d), lsa: lsa.projection };
}

export async function computeTopics(input: ComputeInput, pacer: Pacer, onStep: StepFn = () => {}): Promise<ComputeOutput> {
  onStep(0, 'Finding the words that go together');
  const { matrix, lsa } = await clusteringSpace(input, pacer);
  const clustering = await clusterVectors(matrix, { seed: input.seed, maxTopics: input.maxTopics, minTopicSize: input.minTopicSize }, pacer, (f, m) =>
    onStep(0.05 + 0.9 * f, m),
  );
  onStep(0.97, 'Finding keywords');
  await pacer.pause();
  const classes = [...clustering.topics.map((t) => t.members.map((i) => input.texts[i]!)), clustering.outliers.map((i) => input.texts[i]!)];
  const keywords = classKeywords(classes);
  return { clustering, keywords, lsa };
}
