// Compose's AI assist without a browser: following a call's 'ai.stream' events (a second try
// replaces the first one's text), and accepted results going into the draft so that an undo gives
// back exactly what was there — offered only while the draft still holds what was put in.
import { describe, expect, it } from 'vitest';
import { addHashtagsTo, applyDraftText, applyVariant, newRequestId, STREAM_START, streamStep, textFor, type StreamState } from '../../renderer/pages/compose/ai-assist';
import { EMPTY_DRAFT, newTarget, type Draft } from '../../renderer/pages/compose/draft';

const run = (events: { delta: string; done: boolean; error?: string }[]): StreamState => events.reduce(streamStep, STREAM_START);

describe('following a stream', () => {
  it('given deltas then done, then the text is the deltas in order and the try has ended', () => {
    expect(run([{ delta: 'Fresh ', done: false }, { delta: 'bread', done: false }, { delta: '', done: true }])).toEqual({ text: 'Fresh bread', attempt: 1, ended: true, error: null });
  });

  it('given text after a done (the rewrite’s second try), then it replaces the first try’s text', () => {
    const s = run([{ delta: 'Far too long', done: false }, { delta: '', done: true }, { delta: 'Short', done: false }, { delta: ' one', done: false }]);
    expect(s).toEqual({ text: 'Short one', attempt: 2, ended: false, error: null });
  });

  it('given a done with an error, then the error is kept with what was written', () => {
    expect(run([{ delta: 'Half', done: false }, { delta: '', done: true, error: 'The call was cancelled.' }])).toEqual({ text: 'Half', attempt: 1, ended: true, error: 'The call was cancelled.' });
  });

  it('given two request ids, then they differ', () => {
    expect(newRequestId()).not.toBe(newRequestId());
    expect(newRequestId()).toMatch(/^compose-/);
  });
});

const DRAFT: Draft = { ...EMPTY_DRAFT, content: 'My own words.', hashtags: ['#Bread'], targets: [newTarget('a1'), { ...newTarget('a2'), content: 'Custom for X' }], templateId: null };

describe('accepting a result', () => {
  it('given a written post replacing the text, then apply puts it in with its template, and undo gives back the text and template', () => {
    const a = applyDraftText(DRAFT, 'Written by AI.', 'replace', 'tpl-1');
    const after = a.apply(DRAFT);
    expect(after).toMatchObject({ content: 'Written by AI.', templateId: 'tpl-1' });
    expect(a.stillApplied(after)).toBe(true);
    expect(a.undo(after)).toEqual(DRAFT);
  });

  it('given a written post added below, then it goes under the user’s text', () => {
    const a = applyDraftText(DRAFT, 'Written by AI.', 'append', null);
    expect(a.apply(DRAFT).content).toBe('My own words.\n\nWritten by AI.');
    expect(a.label).toBe('The written post is below your text.');
  });

  it('given the user typed after accepting, then undo is no longer offered', () => {
    const a = applyDraftText(DRAFT, 'Written by AI.', 'replace', null);
    const typed = { ...a.apply(DRAFT), content: 'Written by AI. And more.' };
    expect(a.stillApplied(typed)).toBe(false);
  });

  it('given a rewrite for an account on the main text, then it becomes that account’s own text, and undo returns it to the main text', () => {
    const a = applyVariant(DRAFT, 'a1', 'Short for Bluesky', 'Bluesky');
    const after = a.apply(DRAFT);
    expect(after.targets.map((t) => t.content)).toEqual(['Short for Bluesky', 'Custom for X']);
    expect(a.undo(after)).toEqual(DRAFT);
    expect(a.label).toBe('The Bluesky version is in its tab.');
  });

  it('given a rewrite for an account with its own text, then undo gives that text back', () => {
    const a = applyVariant(DRAFT, 'a2', 'Shorter for X', 'X');
    expect(a.undo(a.apply(DRAFT)).targets[1]!.content).toBe('Custom for X');
  });

  it('given suggested hashtags in another case than the post’s, then each is added once', () => {
    expect(addHashtagsTo(DRAFT, ['#bread', '#Rye', '#rye']).hashtags).toEqual(['#Bread', '#Rye']);
    expect(addHashtagsTo(DRAFT, ['#BREAD'])).toBe(DRAFT);
  });

  it('given an account with or without its own text, then the rewrite starts from that text or the main one', () => {
    expect(textFor(DRAFT, 'a1')).toBe('My own words.');
    expect(textFor(DRAFT, 'a2')).toBe('Custom for X');
  });
});
