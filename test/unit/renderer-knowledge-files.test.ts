import { describe, expect, it } from 'vitest';
import { extensionOf, formatBytes, isAccepted, MAX_FILE_BYTES, refusalFor } from '../../renderer/pages/knowledge/knowledge-files';
import { faqImportSummary, percent, scoreParts, splitPhrasings, stageLabel, statusLabel, type Hit } from '../../renderer/pages/knowledge/knowledge-labels';

describe('knowledge import files', () => {
  it('given file names, when checked, then the five formats and FAQ csv pass whatever their case and others are refused in words', () => {
    expect(extensionOf('Returns Policy.PDF')).toBe('pdf');
    expect(extensionOf('README')).toBeNull();
    for (const n of ['a.txt', 'b.md', 'c.HTML', 'd.pdf', 'e.docx', 'faq.csv']) expect(isAccepted(n)).toBe(true);
    expect(isAccepted('photo.jpg')).toBe(false);
    expect(refusalFor('photo.jpg', 10)).toMatch(/not a format the knowledge base reads: use \.txt, \.md, \.html, \.pdf, \.docx, or an FAQ \.csv/);
    expect(refusalFor('notes.md', 0)).toBe('notes.md is empty.');
  });

  it('given a file over the knowledge base cap, when checked, then it is refused before sending with the cap in words', () => {
    expect(refusalFor('guide.pdf', 4 * 1024 * 1024)).toBeNull();
    expect(refusalFor('manual.pdf', MAX_FILE_BYTES)).toBeNull();
    expect(refusalFor('manual.pdf', MAX_FILE_BYTES + 1)).toBe('manual.pdf is 50 MB; the knowledge base takes files up to 50 MB. Split it into parts, or export only the text.');
  });

  it('given sizes, when formatted, then bytes, KB and MB read naturally', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
  });
});

describe('knowledge labels', () => {
  it('given stages and statuses, when labelled, then they are words and percentages are clamped', () => {
    expect(stageLabel('embedding')).toBe('Embedding passages');
    expect(stageLabel('mystery')).toBe('mystery');
    expect(statusLabel('failed')).toBe('Failed');
    expect(percent(0.456)).toBe(46);
    expect(percent(1.2)).toBe(100);
    expect(percent(-1)).toBe(0);
  });

  it('given a hybrid hit found only by full text, when its scores are shown, then vector says no match', () => {
    const hit: Hit = {
      chunkId: 'c1',
      source: 'document',
      documentId: 'd1',
      faqId: null,
      title: 'Opening hours',
      heading: null,
      content: 'We open at 8.',
      startChar: 0,
      endChar: 13,
      page: null,
      snippet: null,
      score: 0.0164,
      scores: { fts: { rank: 1, bm25: 3.14159 }, vector: null, hybrid: 0.016393 },
    };
    expect(scoreParts(hit)).toEqual({ fts: '#1 · bm25 3.14', vector: 'no match', fused: '0.0164' });
  });

  it('given phrasings typed one per line, when split, then blanks and repeats (any case) are dropped in order', () => {
    expect(splitPhrasings('When do you open?\n\n  what time do you open? \nWHEN DO YOU OPEN?\r\nAre you open Sunday?')).toEqual([
      'When do you open?',
      'what time do you open?',
      'Are you open Sunday?',
    ]);
  });

  it('given an FAQ csv import, when summarised, then counts read as words and skipped rows say which and why', () => {
    expect(faqImportSummary('faq.csv', { created: 1, updated: 2, skipped: [] })).toBe('faq.csv: 1 FAQ entry added, 2 updated.');
    const skipped = [4, 7, 9, 12].map((row) => ({ row, reason: 'an answer without a question' }));
    expect(faqImportSummary('faq.csv', { created: 0, updated: 0, skipped: skipped.slice(0, 1) })).toBe(
      'faq.csv: 0 FAQ entries added, 0 updated, 1 row skipped (row 4: an answer without a question).',
    );
    expect(faqImportSummary('faq.csv', { created: 3, updated: 0, skipped })).toBe(
      'faq.csv: 3 FAQ entries added, 0 updated, 4 rows skipped (row 4: an answer without a question; row 7: an answer without a question; row 9: an answer without a question; and 1 more).',
    );
  });
});
