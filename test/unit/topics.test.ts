// The pure pieces of topic analysis: c-TF-IDF keywords, the AI label answer check, k-means and
// the silhouette on data with known structure, LSA putting co-occurring words together, and the
// text cleaning that keeps hostile messages harmless.
import { describe, expect, it } from 'vitest';
import { clusterVectors, kMeans, seededRandom, silhouette, toUnitMatrix } from '../../electron/core/topics/cluster';
import { computeTopics } from '../../electron/core/topics/compute';
import { classKeywords } from '../../electron/core/topics/keywords';
import { cleanLabel, keywordLabel, parseLabels } from '../../electron/core/topics/labels';
import { lsaVectors } from '../../electron/core/topics/lsa';
import { Pacer } from '../../electron/core/topics/pacer';
import { assignerFor } from '../../electron/core/topics/reassign';
import { cleanText, excerpt, keywordTerms } from '../../electron/core/topics/text';
import { localEmbedder } from '../../electron/core/knowledge/local-embedder';
import { labelledInbox } from '../fixtures/topics/corpus';

/** Points around `centres` (unit directions) with a little seeded noise. */
function blobs(centres: number[][], perBlob: number, noise: number, seed: number) {
  const r = seededRandom(seed);
  const vectors: Float32Array[] = [];
  const labels: number[] = [];
  centres.forEach((c, b) => {
    for (let i = 0; i < perBlob; i++) {
      vectors.push(Float32Array.from(c, (x) => x + (r() * 2 - 1) * noise));
      labels.push(b);
    }
  });
  return { vectors, labels };
}

const axis = (d: number, i: number) => Array.from({ length: d }, (_, j) => (j === i ? 1 : 0));

describe('clustering', () => {
  it('given three well separated groups, when clustered, then k is 3 and every group is one topic', async () => {
    const { vectors, labels } = blobs([axis(8, 0), axis(8, 3), axis(8, 6)], 30, 0.3, 1);
    const m = toUnitMatrix(vectors, 8);
    const c = await clusterVectors(m, { seed: 42, maxTopics: 6, minTopicSize: 4 }, new Pacer());
    expect(c.k).toBe(3);
    expect(c.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    for (const t of c.topics) expect(new Set(t.members.map((i) => labels[i])).size).toBe(1);
    expect(c.topics.reduce((n, t) => n + t.members.length, 0) + c.outliers.length).toBe(90);
    // Members are listed most typical first.
    for (const t of c.topics) expect(t.sims).toEqual([...t.sims].sort((a, b) => b - a));
  });

  it('given a point far from every group, then it is an outlier, not a member', async () => {
    const { vectors } = blobs([axis(8, 0), axis(8, 4)], 30, 0.2, 2);
    vectors.push(Float32Array.from(axis(8, 7)));
    const c = await clusterVectors(toUnitMatrix(vectors, 8), { seed: 1, maxTopics: 4, minTopicSize: 4 }, new Pacer());
    expect(c.outliers).toContain(60);
  });

  it('given the same seed, then the same clusters; the silhouette is higher for the true k', async () => {
    const { vectors } = blobs([axis(6, 0), axis(6, 2), axis(6, 4)], 20, 0.4, 3);
    const m = toUnitMatrix(vectors, 6);
    const a = await kMeans(m, 3, seededRandom(9), new Pacer());
    const b = await kMeans(m, 3, seededRandom(9), new Pacer());
    expect(Array.from(a.assign)).toEqual(Array.from(b.assign));
    const dist = new Float32Array(m.n * m.n);
    for (let i = 0; i < m.n; i++)
      for (let j = 0; j < m.n; j++) {
        let s = 0;
        for (let k = 0; k < m.d; k++) s += m.data[i * m.d + k]! * m.data[j * m.d + k]!;
        dist[i * m.n + j] = i === j ? 0 : 1 - s;
      }
    const two = await kMeans(m, 2, seededRandom(9), new Pacer());
    expect(silhouette(dist, a.assign, 3)).toBeGreaterThan(silhouette(dist, two.assign, 2));
  });

  it('given too few messages to split, then everything is one topic', async () => {
    const { vectors } = blobs([axis(4, 0)], 5, 0.1, 4);
    const c = await clusterVectors(toUnitMatrix(vectors, 4), { seed: 1, maxTopics: 10, minTopicSize: 4 }, new Pacer());
    expect(c.k).toBe(1);
    expect(c.scores).toEqual([]);
  });

  it('given a cancelled signal, then the work stops with Cancelled', async () => {
    const { vectors } = blobs([axis(8, 0), axis(8, 4)], 200, 0.3, 5);
    const ac = new AbortController();
    ac.abort();
    await expect(clusterVectors(toUnitMatrix(vectors, 8), { seed: 1, maxTopics: 6, minTopicSize: 4 }, new Pacer(0, ac.signal))).rejects.toThrow('cancelled');
  });
});

describe('LSA', () => {
  it('given words that never meet in one message but share neighbours, then their messages end up close', async () => {
    const texts = [
      ...Array.from({ length: 10 }, (_, i) => `parcel courier late ${i % 2 ? 'again' : 'today'}`),
      ...Array.from({ length: 10 }, (_, i) => `tracking courier late ${i % 2 ? 'again' : 'today'}`),
      ...Array.from({ length: 10 }, (_, i) => `price discount coupon ${i % 2 ? 'please' : 'now'}`),
    ];
    const { vectors, dims } = await lsaVectors(texts, { rank: 2, minDf: 2, maxDfShare: 0.7, rand: seededRandom(1) }, new Pacer());
    expect(dims).toBe(2);
    const cos = (a: Float32Array, b: Float32Array) => {
      let s = 0;
      let na = 0;
      let nb = 0;
      for (let i = 0; i < a.length; i++) {
        s += a[i]! * b[i]!;
        na += a[i]! ** 2;
        nb += b[i]! ** 2;
      }
      return s / Math.sqrt(na * nb);
    };
    // Reduced to the two strongest directions, "parcel" and "tracking" messages (which share
    // "courier late") coincide; pricing shares nothing with them.
    expect(cos(vectors[0]!, vectors[10]!)).toBeGreaterThan(0.9);
    expect(Math.abs(cos(vectors[0]!, vectors[20]!))).toBeLessThan(0.2);
  });
});

describe('keywords', () => {
  it('given topics of messages, then c-TF-IDF ranks each topic’s own words first and shows the form customers used', () => {
    const kw = classKeywords([
      ['I want a refund', 'Refund my order please', 'refunds take too long, my order'],
      ['my order has not arrived', 'order delivery is late', 'the delivery never arrived'],
    ]);
    expect(kw.topics[0]!.keywords[0]).toBe('refund');
    expect(kw.topics[1]!.keywords.slice(0, 2).sort()).toEqual(['arrived', 'delivery']);
    // "order" is in both: it never outranks a topic's own word.
    expect(kw.topics[1]!.keywords.indexOf('order')).toBeGreaterThan(1);
  });

  it('given a message repeating a word a thousand times, then it counts once', () => {
    const kw = classKeywords([['refund please', 'refund now', 'refund today', `${'banana '.repeat(1000)}`, 'refund?', 'refund!']]);
    expect(kw.topics[0]!.keywords).toEqual(['refund']);
    expect(keywordTerms('banana banana banana')).toEqual([['banana', 'banana']]);
  });

  it('given stop words, numbers and links, then none is a keyword', () => {
    expect(keywordTerms('Hi, could you please check https://evil.example/x 12345 for me thanks').map(([, w]) => w)).toEqual(['check']);
  });
});

describe('labels', () => {
  it('given a JSON answer with a label per topic, then it is used, cleaned and capped', () => {
    const labels = parseLabels('```json\n{"topics":[{"id":0,"label":"  Refund requests. "},{"id":1,"label":"' + 'x'.repeat(200) + '"}]}\n```', [0, 1]);
    expect(labels?.get(0)).toBe('Refund requests');
    expect(labels?.get(1)?.length).toBe(60);
  });

  it('given an answer missing a topic, not JSON, or of the wrong shape, then it is refused', () => {
    expect(parseLabels('{"topics":[{"id":0,"label":"Refunds"}]}', [0, 1])).toBeNull();
    expect(parseLabels('Sure! refunds, shipping', [0])).toBeNull();
    expect(parseLabels('{"topics":[{"id":"0","label":5}]}', [0])).toBeNull();
    expect(parseLabels('{"topics":[{"id":0,"label":"\\u0000\\u202e"}]}', [0])).toBeNull();
  });

  it('given keywords, then the fallback label names the top three', () => {
    expect(keywordLabel(['refund', 'money', 'order', 'card'])).toBe('Refund · money · order');
    expect(keywordLabel([])).toBe('Miscellaneous');
    expect(cleanLabel('"Shipping delays"')).toBe('Shipping delays');
  });
});

describe('text', () => {
  it('given control and bidi characters, then they are removed; long text is capped', () => {
    expect(cleanText('a\u0000b\u202Ec\u2066d\n\ne')).toBe('abcd e');
    expect(cleanText('x'.repeat(10_000)).length).toBe(2000);
    expect(excerpt('word '.repeat(100)).length).toBeLessThanOrEqual(280);
  });
});

describe('computeTopics', () => {
  it('given no words in common with anything (emoji only), then it still answers', async () => {
    const texts = ['🙂', '🙂🙂', '👍', '🙂', '👍👍', '🙂', '👍', '🙂'];
    const vectors = new Float32Array(texts.length * 4);
    const out = await computeTopics({ texts, vectors, dims: 4, seed: 1, maxTopics: 4, minTopicSize: 4 }, new Pacer());
    expect(out.clustering.topics.reduce((n, t) => n + t.members.length, 0) + out.clustering.outliers.length).toBe(texts.length);
  });
});

describe('re-assigning with a stored model', () => {
  it('given a run over a labelled inbox, when its own messages are placed again from what the model file keeps, then nearly all land in the topic they were in', async () => {
    const texts = labelledInbox().map((m) => cleanText(m.content));
    const vectors = localEmbedder.embed(texts);
    const flat = new Float32Array(texts.length * 384);
    vectors.forEach((v, i) => flat.set(v, i * 384));
    const out = await computeTopics({ texts, vectors: flat, dims: 384, seed: 42, maxTopics: 8, minTopicSize: 4 }, new Pacer());
    // What the model file holds, through JSON as it is stored.
    const file = JSON.parse(
      JSON.stringify({
        embedder: { model: 'local', dims: 384 },
        topics: out.clustering.topics.map((t, topicId) => ({ topicId, centroid: Array.from(t.centroid), threshold: out.clustering.thresholds[topicId]! })),
        lsa: { terms: out.lsa.terms, idf: out.lsa.idf, loadings: Array.from(out.lsa.loadings), dims: out.lsa.dims },
      }),
    ) as Parameters<typeof assignerFor>[0];
    const assign = assignerFor(file);
    const placed = new Map<number, number>();
    out.clustering.topics.forEach((t, topicId) => t.members.forEach((i) => placed.set(i, topicId)));
    let same = 0;
    for (const [i, topicId] of placed) if (assign(vectors[i]!, texts[i]!).topicId === topicId) same++;
    expect(same / placed.size).toBeGreaterThanOrEqual(0.95);
    expect(() => assign(new Float32Array(8), 'hello')).toThrow('384-dimension');
  });
});
