// Chunking: packed by blocks up to 1200 characters, a new chunk at a heading once the current one
// has some text, long paragraphs cut at sentence ends, overlap only inside a section, and every
// chunk a slice of the extracted text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_MAX_CHARS, CHUNK_OVERLAP_CHARS, chunkText, embeddingText } from '../../electron/core/knowledge/chunk';
import { markdownBlocks, plainTextBlocks, TextBuilder } from '../../electron/core/knowledge/text-blocks';

const sentence = (i: number) => `Sentence number ${i} tells the reader one more useful thing about bread.`;

describe('chunkText', () => {
  it('given a short document, then it is one chunk covering all of it, with its heading', () => {
    const doc = markdownBlocks('# Hours\n\nWe open at seven.\n\nWe close at five.');
    const chunks = chunkText(doc);
    expect(chunks).toEqual([{ index: 0, start: 0, end: doc.text.length, heading: 'Hours', page: null }]);
  });

  it('given two sections each longer than the minimum, then each starts its own chunk at its heading, with no overlap between them', () => {
    const body = Array.from({ length: 6 }, (_, i) => sentence(i)).join(' ');
    const doc = markdownBlocks(`# First\n\n${body}\n\n# Second\n\n${body}`);
    const chunks = chunkText(doc);
    expect(chunks).toHaveLength(2);
    expect(doc.text.slice(chunks[1]!.start).startsWith('Second')).toBe(true);
    expect(chunks[1]!.start).toBeGreaterThanOrEqual(chunks[0]!.end);
    expect(chunks.map((c) => c.heading)).toEqual(['First', 'Second']);
  });

  it('given a paragraph far longer than a chunk, then it is cut at sentence ends into chunks that overlap by at most 150 characters', () => {
    const para = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const doc = plainTextBlocks(para);
    const chunks = chunkText(doc);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.end - c.start).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
      expect(doc.text.slice(c.start, c.end)).toMatch(/^Sentence number \d+ .*bread\.$/);
    }
    for (let i = 1; i < chunks.length; i++) {
      const overlap = chunks[i - 1]!.end - chunks[i]!.start;
      expect(overlap).toBeGreaterThan(0);
      expect(overlap).toBeLessThanOrEqual(CHUNK_OVERLAP_CHARS);
    }
  });

  it('given text without any sentence end or space, then it is still cut within the limit', () => {
    const doc = plainTextBlocks('x'.repeat(5000));
    const chunks = chunkText(doc);
    for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(5000);
  });

  it('given PDF blocks with pages, then each chunk records the page it starts on', () => {
    const b = new TextBuilder();
    for (let p = 1; p <= 4; p++) b.add('paragraph', Array.from({ length: 12 }, (_, i) => sentence(p * 100 + i)).join(' '), { page: p });
    const chunks = chunkText(b.build());
    expect(chunks[0]!.page).toBe(1);
    expect(chunks.at(-1)!.page).toBe(4);
  });

  it('given any text, then chunks are within the limit, in order, and together cover every non-blank character', () => {
    const para = fc.array(fc.string({ minLength: 1, maxLength: 400 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(para, (paras) => {
        const doc = plainTextBlocks(paras.join('\n\n'));
        const chunks = chunkText(doc);
        const covered = new Uint8Array(doc.text.length);
        for (const c of chunks) {
          expect(c.end - c.start).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
          expect(c.start).toBeLessThan(c.end);
          covered.fill(1, c.start, c.end);
        }
        for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
        for (let i = 0; i < doc.text.length; i++) if (!covered[i]) expect(doc.text[i]).toMatch(/\s/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('embeddingText', () => {
  it('given a title and a heading, then both lead the passage; a heading the passage starts with is not repeated', () => {
    expect(embeddingText('Manual', 'Ovens', 'Preheat for an hour.')).toBe('Manual — Ovens\nPreheat for an hour.');
    expect(embeddingText('Manual', 'Ovens', 'Ovens\n\nPreheat for an hour.')).toBe('Manual\nOvens\n\nPreheat for an hour.');
    expect(embeddingText(null, null, 'Plain.')).toBe('Plain.');
  });
});
