// The offline embedder must place paraphrases closer than unrelated text, deterministically, as
// unit vectors, and quickly enough to embed a document's chunks during ingest.
import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  createLocalEmbedder,
  foldText,
  lightStem,
  LOCAL_EMBEDDING_DIMS,
  localEmbedder,
} from '../../electron/core/knowledge/local-embedder';

const embed = (t: string): Float32Array => localEmbedder.embed([t])[0] as Float32Array;
const sim = (a: string, b: string): number => cosineSimilarity(embed(a), embed(b));
const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('local embedder', () => {
  it('given similar sentences, when embedded, then they are closer than unrelated ones', () => {
    const cases: [string, string, string][] = [
      ['What is your refund policy?', 'Refunds are issued within 30 days of purchase under our refund policy.', 'We are open from 9am to 5pm on weekdays.'],
      ['When do you open on Saturday?', 'Opening hours: Saturday 10am to 4pm, closed on Sunday.', 'Shipping to Canada takes five business days.'],
      ['how long does shipping take', 'Standard shipping takes 3-5 business days; express shipping arrives next day.', 'Our premium plan costs $49 per month.'],
      ['pricing plans', 'Our plans are priced at $19, $49 and $99 per month.', 'Parking is available behind the building.'],
    ];
    for (const [q, related, unrelated] of cases) {
      expect(sim(q, related), `${q} vs ${related}`).toBeGreaterThan(sim(q, unrelated) + 0.05);
    }
  });

  it('given inflections, accents and case, when embedded, then the texts stay close', () => {
    expect(sim('Shipping policies', 'ship policy')).toBeGreaterThan(0.6);
    expect(sim('CAFÉ opening', 'cafe opening')).toBeGreaterThan(0.99);
    // A typo still shares character trigrams; an unrelated word shares next to nothing.
    expect(sim('refund', 'refnud')).toBeGreaterThan(0.1);
    expect(sim('shipping', 'shiping')).toBeGreaterThan(0.3);
    expect(Math.abs(sim('refund', 'parking'))).toBeLessThan(0.1);
  });

  it('given the same text twice or in another batch, when embedded, then the vectors are identical', () => {
    const a = localEmbedder.embed(['Refund policy: 30 days', 'other']);
    const b = createLocalEmbedder().embed(['x', 'Refund policy: 30 days']);
    expect(Array.from(a[0] as Float32Array)).toEqual(Array.from(b[1] as Float32Array));
  });

  it('given any text, including empty and symbol-only, when embedded, then it is a 384-dim unit vector', () => {
    for (const t of ['', '   ', '😀', 'a', 'Refund policy', 'x'.repeat(50_000), '\u0000\uD800']) {
      const v = embed(t);
      expect(v.length).toBe(LOCAL_EMBEDDING_DIMS);
      expect(norm(v)).toBeCloseTo(1, 5);
      expect(v.every((x) => Number.isFinite(x))).toBe(true);
    }
  });

  it('given a batch of 1000 chunk-sized texts, when embedded, then it takes well under a second', () => {
    const text = 'Our store offers free returns within thirty days, and refunds go back to the original card. '.repeat(6);
    const texts = Array.from({ length: 1000 }, (_, i) => `${i} ${text}`);
    const t0 = performance.now();
    const out = localEmbedder.embed(texts);
    const ms = performance.now() - t0;
    expect(out).toHaveLength(1000);
    expect(ms).toBeLessThan(2000);
  });

  it('given words, when folded and stemmed, then variants meet', () => {
    expect(foldText('Crème Brûlée')).toBe('creme brulee');
    expect(lightStem('policies')).toBe('policy');
    expect(lightStem('shipping')).toBe('ship');
    expect(lightStem('hours')).toBe('hour');
    expect(lightStem('business')).toBe('business');
    expect(lightStem('bus')).toBe('bus');
  });
});
