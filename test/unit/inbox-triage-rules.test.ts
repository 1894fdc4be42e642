// The rule matcher on its own: normalisation, whole words, phrases, ignore examples, precedence
// and the escalation reason chosen.
import { describe, expect, it } from 'vitest';
import { compileRules, escalationReasonOf, jaccard, matchRules, normalizeText, wordsOf, type RuleSet } from '../../electron/core/inbox/triage';

const rules = (r: Partial<RuleSet>) => compileRules({ flaggedKeywords: [], flaggedPhrases: [], ignoreExamples: [], ...r });

describe('normalising text for rules', () => {
  it('given case, full-width letters, zero-width characters, an RTL override and runs of spaces, when normalised, then they fold away', () => {
    expect(normalizeText('  ReFuNd\u200B\u200Dnow\u202E\t\n ＰＬＥＡＳＥ  ')).toBe('refundnow please');
    expect(normalizeText('STRASSE')).toBe(normalizeText('straße'));
  });

  it('given curly and straight apostrophes, when split into words, then "don’t" and "don\'t" are the same one word', () => {
    expect(wordsOf(normalizeText('Don’t go'))).toEqual(["don't", 'go']);
    expect(wordsOf(normalizeText("don't go"))).toEqual(["don't", 'go']);
  });
});

describe('flagged keywords', () => {
  const r = rules({ flaggedKeywords: ['refund'] });

  it.each(['I want a REFUND', 'ReFuNd please', 're\u200Bfund now', 'refund!', 'Ｒｅｆｕｎｄ', '(refund)'])('given "%s", when matched, then it escalates on the keyword', (text) => {
    const m = matchRules(r, text);
    expect(m?.decision).toBe('escalate');
    expect(m?.matchedRule).toBe('keyword: refund');
  });

  it.each(['refunded already', 'nonrefundable', 'r e f u n d', 'prefund'])('given "%s", when matched, then the keyword is not a whole word there and nothing is decided', (text) => {
    expect(matchRules(r, text)).toBeNull();
  });

  it('given a keyword in a non-Latin script, when the message has it between punctuation, then it matches as a word', () => {
    const cyr = rules({ flaggedKeywords: ['возврат'] });
    expect(matchRules(cyr, 'Хочу ВОЗВРАТ, срочно')?.matchedRule).toBe('keyword: возврат');
    expect(matchRules(cyr, 'возвраты')).toBeNull();
  });

  it('given an emoji as a keyword (no letters), when the message holds it, then it matches as text', () => {
    expect(matchRules(rules({ flaggedKeywords: ['🤬'] }), 'this is 🤬🤬')?.matchedRule).toBe('keyword: 🤬');
  });
});

describe('flagged phrases', () => {
  const r = rules({ flaggedPhrases: ['speak to a human'] });

  it('given the phrase with other case, punctuation and spacing, when matched, then it escalates as a human request', () => {
    const m = matchRules(r, 'Can I SPEAK   to a\u00A0human, please?');
    expect(m).toMatchObject({ decision: 'escalate', matchedRule: 'phrase: speak to a human', escalationReason: 'human_requested' });
    expect(m?.reason).toContain('asks for a person');
  });

  it('given the same words not next to each other, when matched, then the phrase does not match', () => {
    expect(matchRules(r, 'speak to a real human')).toBeNull();
    expect(matchRules(r, 'human, speak to a')).toBeNull();
  });
});

describe('ignore examples', () => {
  const r = rules({ ignoreExamples: ['Thanks!', 'love this post so much'] });

  it('given the same words with other punctuation and case, when matched, then it is ignored with the example recorded', () => {
    expect(matchRules(r, 'thanks')).toMatchObject({ decision: 'ignore', matchedRule: 'ignore example: Thanks!' });
    expect(matchRules(r, 'THANKS!!! ')?.reason).toContain('Same words');
  });

  it('given a message sharing at least 80% of the words, when matched, then it is ignored and the reason gives the share', () => {
    const m = matchRules(r, 'love this post so much, really');
    expect(m?.decision).toBe('ignore');
    expect(m?.reason).toContain('83%');
  });

  it('given a message that shares fewer words, or a real question, when matched, then nothing is decided', () => {
    expect(matchRules(r, 'thanks, but where is my order?')).toBeNull();
    expect(matchRules(r, 'love this post')).toBeNull();
  });

  it('given emoji-only text, when compared with an emoji-only example, then only the same emoji count as the same message', () => {
    const e = rules({ ignoreExamples: ['🔥🔥'] });
    expect(matchRules(e, '🔥🔥')?.decision).toBe('ignore');
    expect(matchRules(e, '😡')).toBeNull();
  });
});

describe('precedence and reasons', () => {
  it('given a message matching an ignore example and a flagged keyword, when matched, then escalation wins', () => {
    const r = rules({ flaggedKeywords: ['refund'], ignoreExamples: ['thanks for the refund'] });
    expect(matchRules(r, 'Thanks for the refund')).toMatchObject({ decision: 'escalate', matchedRule: 'keyword: refund' });
  });

  it('given several flagged rules match, when matched, then the weightiest reason is recorded (legal over human over urgent) and the others are named', () => {
    const r = rules({ flaggedKeywords: ['refund', 'lawyer'], flaggedPhrases: ['speak to a manager'] });
    const m = matchRules(r, 'Refund me or I speak to a manager, then my lawyer');
    expect(m).toMatchObject({ matchedRule: 'keyword: lawyer', escalationReason: 'legal_matter' });
    expect(m?.reason).toContain('phrase "speak to a manager"');
    expect(m?.reason).toContain('keyword "refund"');
  });

  it('given rule words, when classified, then legal words are legal, people words are human requests and the rest urgent', () => {
    expect(escalationReasonOf(['i', 'will', 'sue'])).toBe('legal_matter');
    expect(escalationReasonOf(['real', 'person'])).toBe('human_requested');
    expect(escalationReasonOf(['refund'])).toBe('urgent_request');
  });

  it('given no rules, or blank rules, when matched, then nothing is decided', () => {
    expect(matchRules(rules({}), 'refund')).toBeNull();
    expect(matchRules(rules({ flaggedKeywords: ['  ', '\u200B'], ignoreExamples: [''] }), 'anything at all')).toBeNull();
  });

  it('given two word sets, when compared, then Jaccard is shared over all distinct words', () => {
    expect(jaccard(new Set(['a', 'b', 'c', 'd']), new Set(['a', 'b', 'c', 'e']))).toBeCloseTo(3 / 5);
    expect(jaccard(new Set(), new Set(['a']))).toBe(0);
  });
});

describe('a long hostile message', () => {
  it('given 100 kB of text with the keyword at the very end, when matched, then it is found quickly', () => {
    const text = `${'lorem ipsum dolor sit amet '.repeat(3_800)}refund`;
    const started = performance.now();
    expect(matchRules(rules({ flaggedKeywords: ['refund'] }), text)?.decision).toBe('escalate');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
