// Putting a new message into a stored run's topics: what the model file is for. The message is
// embedded with the run's embedder (the caller's job: the file names it), its words projected
// into the run's LSA space, and it joins the topic whose centroid it is most similar to, unless
// it falls below that topic's outlier threshold (then topic -1): the rule the run's own messages
// were placed by.
import type { TopicModelFile } from './analyze';
import { combineRow } from './compute';
import { projectText, type LsaProjection } from './lsa';

export interface Assignment {
  topicId: number;
  similarity: number;
}

export type Assigner = (embedding: Float32Array, text: string) => Assignment;

export function assignerFor(file: Pick<TopicModelFile, 'embedder' | 'topics' | 'lsa'>): Assigner {
  const projection: LsaProjection = { terms: file.lsa.terms, idf: file.lsa.idf, loadings: Float32Array.from(file.lsa.loadings), dims: file.lsa.dims };
  const termIndex = new Map(file.lsa.terms.map((t, i) => [t, i]));
  const centroids = file.topics.map((t) => Float32Array.from(t.centroid));
  return (embedding, text) => {
    if (embedding.length !== file.embedder.dims) {
      throw new Error(`This topic model was built with ${file.embedder.dims}-dimension vectors from "${file.embedder.model}"; embed with the same model.`);
    }
    const row = combineRow(embedding, projectText(text, projection, termIndex));
    let norm = 0;
    for (let j = 0; j < row.length; j++) norm += row[j]! * row[j]!;
    norm = Math.sqrt(norm) || 1;
    let best: Assignment = { topicId: -1, similarity: -Infinity };
    centroids.forEach((c, i) => {
      let s = 0;
      for (let j = 0; j < row.length; j++) s += row[j]! * c[j]!;
      s /= norm;
      if (s > best.similarity) best = { topicId: file.topics[i]!.topicId, similarity: s };
    });
    const topic = file.topics.find((t) => t.topicId === best.topicId);
    if (!topic || best.similarity < topic.threshold) return { topicId: -1, similarity: Math.max(0, best.similarity) };
    return best;
  };
}
