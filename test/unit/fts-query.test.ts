// toFtsQuery is the only door between a search box and FTS5's query language: every string a user
// can type must become a valid expression of quoted words (or null), with the user's meaning.
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FTS_MAX_TERMS, prefixStem, snippetParts, wordForms, SNIPPET_CLOSE, SNIPPET_OPEN, toFtsQuery } from '../../db/search';

// An FTS5 table with the app's tokenizer: the oracle for "FTS5 accepts this expression".
const sqlite = new BetterSqlite3(':memory:');
sqlite.exec(`CREATE VIRTUAL TABLE t USING fts5(content, tokenize = 'unicode61 remove_diacritics 2')`);
sqlite.prepare(`INSERT INTO t(content) VALUES (?)`).run('the café is NOT open on sundays, near the NEAR street');
const matchStmt = sqlite.prepare(`SELECT count(*) AS n FROM t WHERE t MATCH ?`);
const matches = (expr: string): number => (matchStmt.get(expr) as { n: number }).n;
afterAll(() => sqlite.close());

/** Quoted strings (optionally prefix-starred) or parenthesised ORs of quoted strings, separated
 *  by spaces or " OR ". */
const LIT = '"(?:[^"]|"")*"';
const TERM = `(?:${LIT}(?: \\*)?|\\(${LIT}(?: OR ${LIT})*\\))`;
const SAFE_SHAPE = new RegExp(`^${TERM}(?:(?: | OR )${TERM})*$`, 'su');

describe('toFtsQuery', () => {
  it('given plain words, when converted, then each word is a quoted literal and the last a prefix', () => {
    expect(toFtsQuery('refund policy')).toBe('"refund" "policy" *');
    expect(toFtsQuery('refund policy ')).toBe('"refund" "policy"');
    expect(toFtsQuery('refund policy', { prefix: false })).toBe('"refund" "policy"');
  });

  it('given FTS operators typed by a user, when converted, then they are words, not operators', () => {
    expect(toFtsQuery('cats NOT dogs', { prefix: false })).toBe('"cats" "NOT" "dogs"');
    expect(toFtsQuery('a OR b AND c', { prefix: false })).toBe('"a" "OR" "b" "AND" "c"');
    expect(toFtsQuery('NEAR(open sundays, 2)', { prefix: false })).toBe('"NEAR(open" "sundays," "2)"');
    expect(toFtsQuery('content:secret', { prefix: false })).toBe('"content:secret"');
    expect(toFtsQuery('^start* (x)', { prefix: false })).toBe('"^start*" "(x)"');
    // "NOT" as a word finds the row containing the word "not" instead of negating.
    expect(matches(toFtsQuery('NOT open', { prefix: false }) ?? '')).toBe(1);
    expect(matches(toFtsQuery('NOT', { prefix: false }) ?? '')).toBe(1);
    expect(matches(toFtsQuery('NEAR', { prefix: false }) ?? '')).toBe(1);
  });

  it('given quotes, when converted, then a balanced pair is a phrase and stray quotes are escaped words', () => {
    expect(toFtsQuery('"open on sundays" cafe')).toBe('"open on sundays" "cafe" *');
    expect(matches(toFtsQuery('"open on sundays"') ?? '')).toBe(1);
    expect(matches(toFtsQuery('"sundays on open"') ?? '')).toBe(0);
    expect(toFtsQuery('say "hi', { prefix: false })).toBe('"say" "hi"');
    expect(toFtsQuery('it""s', { prefix: false })).toBe('"it" "s"');
    expect(toFtsQuery('5" screen', { prefix: false })).toBe('"5" "screen"');
    expect(toFtsQuery('""""')).toBeNull();
  });

  it('given NUL bytes, control characters and lone surrogates, when converted, then they are gone', () => {
    expect(toFtsQuery('caf\u0000e open', { prefix: false })).toBe('"caf" "e" "open"');
    expect(toFtsQuery('\u0000\u0001\u001f\u007f')).toBeNull();
    expect(toFtsQuery('open\uD800 \uDC00sundays', { prefix: false })).toBe('"open" "sundays"');
    expect(toFtsQuery('co\u00ADoperate', { prefix: false })).toBe('"cooperate"');
    expect(toFtsQuery('line\nbreak\ttab', { prefix: false })).toBe('"line" "break" "tab"');
  });

  it('given emoji and punctuation only, when converted, then nothing is searchable', () => {
    expect(toFtsQuery('😀🎉')).toBeNull();
    expect(toFtsQuery('!!! ??? ...')).toBeNull();
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery('   ')).toBeNull();
    expect(toFtsQuery('love 😀 it', { prefix: false })).toBe('"love" "it"');
  });

  it('given accents, when converted, then the text is kept (the tokenizer folds it) and matches', () => {
    expect(toFtsQuery('café', { prefix: false })).toBe('"café"');
    expect(matches(toFtsQuery('CAFE', { prefix: false }) ?? '')).toBe(1);
    // Decomposed input (e + combining accent) is normalised to the composed form.
    expect(toFtsQuery('cafe\u0301', { prefix: false })).toBe('"café"');
  });

  it('given a 10 kB string, when converted, then it is capped in length and terms without throwing', () => {
    // Cut at FTS_MAX_INPUT_CHARS: 102 x "word " then "wo", which is still being typed.
    const q = toFtsQuery('word '.repeat(2048) + 'x'.repeat(10_000));
    expect(q).toBe('"word" "wo" *');
    const distinct = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const q2 = toFtsQuery(distinct) ?? '';
    expect(q2.split('" "').length).toBe(FTS_MAX_TERMS);
    expect(matches(q2)).toBe(0);
    expect(toFtsQuery('"'.repeat(10_000))).toBeNull();
    expect(toFtsQuery('x'.repeat(10_000))).toMatch(/^"x+" \*$/);
  });

  it('given a one-letter last word, when converted, then it is not a prefix (too broad)', () => {
    expect(toFtsQuery('plan a')).toBe('"plan" "a"');
    expect(toFtsQuery("don't")).toBe('"don\'t"');
  });

  it('given the any mode, when converted, then content words are ORed and stopwords dropped', () => {
    expect(toFtsQuery('What is your refund policy?', { match: 'any', prefix: false })).toBe('"refund" OR "policy?"');
    expect(toFtsQuery('what is it', { match: 'any', prefix: false })).toBe('"what" OR "is" OR "it"');
  });

  it('given the variants option, when converted, then bare words become an OR of their forms', () => {
    const q = toFtsQuery('wedding cakes', { match: 'any', variants: true }) ?? '';
    expect(q).toMatch(/^\(("[a-z]+"( OR )?)+\) OR \(("[a-z]+"( OR )?)+\)$/);
    expect(q).toContain('"weddings"');
    expect(q).toContain('"cake"');
    expect(matches(toFtsQuery('sunday', { variants: true }) ?? '')).toBe(1);
    // Two words with the same forms are said once; phrases stay exact.
    expect(toFtsQuery('cake cakes "exact words"', { variants: true })).toBe(`(${wordForms('cake').map((f) => `"${f}"`).join(' OR ')}) "exact words"`);
    expect(wordForms('shipping')).toEqual(expect.arrayContaining(['shipping', 'ship', 'ships', 'shipped']));
    expect(wordForms('policy')).toEqual(expect.arrayContaining(['policy', 'policies']));
    expect(wordForms('x2000')).toEqual(['x2000']);
    expect(prefixStem('policies')).toBe('polic');
    expect(prefixStem('policy')).toBe('polic');
    expect(prefixStem('Sundays')).toBe('sunday');
    expect(prefixStem('shipping')).toBe('ship');
    expect(prefixStem('boxes')).toBe('box');
    expect(prefixStem('class')).toBe('class');
    expect(prefixStem('day')).toBe('day');
    expect(prefixStem('x2000')).toBe('x2000');
    // The stem is a prefix of the words it stands for.
    for (const w of ['refunds', 'opening', 'weddings', 'allergies', 'parked']) expect(w.startsWith(prefixStem(w))).toBe(true);
  });

  it('given any string at all, when converted, then FTS5 accepts the result and it never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ maxLength: 100 })), fc.boolean(), (s, any) => {
        const q = toFtsQuery(s, { match: any ? 'any' : 'all', variants: any });
        if (q === null) return;
        expect(q).toMatch(SAFE_SHAPE);
        expect(() => matches(q)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('given strings built from FTS syntax, when converted, then FTS5 accepts every result', () => {
    const piece = fc.constantFrom('AND', 'OR', 'NOT', 'NEAR', 'NEAR(', '(', ')', '"', '""', '*', '^', ':', 'content:', '-', '+', ',', '\u0000', 'open', 'café', ' ', '{a b}');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const q = toFtsQuery(parts.join(''));
        if (q === null) return;
        expect(q).toMatch(SAFE_SHAPE);
        expect(() => matches(q)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('snippetParts', () => {
  it('given a snippet with markers, when split, then hits and plain runs alternate', () => {
    const s = `the ${SNIPPET_OPEN}café${SNIPPET_CLOSE} is ${SNIPPET_OPEN}open${SNIPPET_CLOSE}`;
    expect(snippetParts(s)).toEqual([
      { text: 'the ', hit: false },
      { text: 'café', hit: true },
      { text: ' is ', hit: false },
      { text: 'open', hit: true },
    ]);
  });
});
