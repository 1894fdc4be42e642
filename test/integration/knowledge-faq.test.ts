// FAQ entries through the API: several phrasings per answer, found by any of them; edits and
// deactivation change what search sees at once; CSV import reads the columns by their headers,
// folds rows of one answer together, and re-importing adds phrasings instead of duplicates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExtractWorker } from '../../electron/core/knowledge/extract-client';
import { startTestCore, type TestCore } from '../helpers/core';

let core: TestCore;
let ws: string;

beforeAll(async () => {
  core = await startTestCore();
  ws = (await core.call('workspaces.create', { name: 'Flow Studio', timezone: 'Europe/London' })).id;
});
afterAll(async () => {
  await closeExtractWorker();
  await core.cleanup();
});

async function waitForEmbedded(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const list = await core.call('knowledge.faq', { workspaceId: ws });
    if (list.every((f) => f.embedded || !f.isActive)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('FAQ entries were not embedded');
}

const topFaq = async (query: string, mode: 'fts' | 'vector' | 'hybrid' = 'hybrid') => (await core.call('knowledge.search', { workspaceId: ws, query, mode, limit: 3 })).hits[0];

describe('FAQ entries', () => {
  it('given an entry with several phrasings, then it is found by each of them, and the list shows them cleaned', async () => {
    const e = await core.call('knowledge.faqCreate', {
      workspaceId: ws,
      title: 'Mats',
      questions: ['Do I need my own mat?', '  do i need my own mat?  ', 'Can I borrow a yoga mat?', 'Are mats provided?'],
      answer: 'Mats, blocks and straps are provided and cleaned after every class.',
    });
    expect(e.questions).toEqual(['Do I need my own mat?', 'Can I borrow a yoga mat?', 'Are mats provided?']);
    expect(e).toMatchObject({ title: 'Mats', isActive: true, embedded: true });
    for (const q of ['borrow a mat', 'mats provided', 'need my own mat']) {
      expect(await topFaq(q)).toMatchObject({ source: 'faq', faqId: e.id, title: 'Mats', startChar: null, endChar: null });
    }
  });

  it('given an entry changed, then search finds its new wording and not the old; deactivated it is not found; deleted it is gone', async () => {
    const e = await core.call('knowledge.faqCreate', { workspaceId: ws, questions: ['Is there a sauna?'], answer: 'No sauna, sorry.' });
    const u = await core.call('knowledge.faqUpdate', { faqId: e.id, questions: ['Are there showers?'], answer: 'Two showers and lockers in the changing rooms.' });
    expect(u.questions).toEqual(['Are there showers?']);
    expect((await topFaq('showers lockers', 'fts'))?.faqId).toBe(e.id);
    expect((await core.call('knowledge.search', { workspaceId: ws, query: 'sauna', mode: 'fts' })).hits).toHaveLength(0);

    await core.call('knowledge.faqUpdate', { faqId: e.id, isActive: false });
    expect((await core.call('knowledge.search', { workspaceId: ws, query: 'showers lockers', mode: 'hybrid' })).hits.some((h) => h.faqId === e.id)).toBe(false);
    const back = await core.call('knowledge.faqUpdate', { faqId: e.id, isActive: true });
    expect(back.embedded).toBe(true);
    expect((await topFaq('showers lockers'))?.faqId).toBe(e.id);

    expect(await core.call('knowledge.faqDelete', { faqId: e.id })).toEqual({ deleted: true });
    expect((await core.call('knowledge.faq', { workspaceId: ws })).some((f) => f.id === e.id)).toBe(false);
    expect((await core.call('knowledge.search', { workspaceId: ws, query: 'showers lockers', mode: 'hybrid' })).hits.some((h) => h.faqId === e.id)).toBe(false);
    await expect(core.call('knowledge.faqUpdate', { faqId: e.id, answer: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('given invalid input, then it is refused at the edge with the field named', async () => {
    await expect(core.call('knowledge.faqCreate', { workspaceId: ws, questions: [], answer: 'A' })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: ['questions'] }] });
    await expect(core.call('knowledge.faqCreate', { workspaceId: ws, questions: ['Q?'], answer: '   ' })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: ['answer'] }] });
  });

  it('given a CSV with question columns, phrasings in one cell, a continuation row under its entry and a repeated answer, then each answer becomes one entry with all its phrasings', async () => {
    const csv = [
      'Question,Alternative question,Answer,Category',
      '"How much is a class?","What does a drop-in cost? | price of one class","A single class costs £14.",Prices',
      'Is there a student discount?,,"Students pay £9 per class.",Prices',
      '"Do you have concessions for students?",,"Students pay £9 per class.",Prices',
      '"How do I freeze my membership?",,"Pause for up to two months a year.",Membership',
      '"Can I pause my membership?","Can I freeze my membership",,',
      '',
      'Can I bring my dog?,,,',
      ',,"An answer alone",',
      '',
    ].join('\r\n');
    const r = await core.call('knowledge.import', { workspaceId: ws, fileName: 'faq.csv', text: csv });
    if (r.kind !== 'faq') throw new Error('expected an FAQ import');
    expect(r.created).toBe(3);
    expect(r.updated).toBe(0);
    expect(r.skipped).toEqual([
      { row: 8, reason: 'no answer, and no entry above it to add these phrasings to' },
      { row: 9, reason: 'an answer without a question' },
    ]);
    const byAnswer = new Map(r.entries.map((e) => [e.answer, e]));
    expect(byAnswer.get('A single class costs £14.')).toMatchObject({ title: 'Prices', questions: ['How much is a class?', 'What does a drop-in cost?', 'price of one class'] });
    expect(byAnswer.get('Students pay £9 per class.')!.questions).toEqual(['Is there a student discount?', 'Do you have concessions for students?']);
    expect(byAnswer.get('Pause for up to two months a year.')!.questions).toEqual(['How do I freeze my membership?', 'Can I pause my membership?', 'Can I freeze my membership']);

    await waitForEmbedded();
    expect((await topFaq('what does a drop-in cost'))?.faqId).toBe(byAnswer.get('A single class costs £14.')!.id);
    expect((await topFaq('concessions for students', 'vector'))?.faqId).toBe(byAnswer.get('Students pay £9 per class.')!.id);
  });

  it('given the same CSV again with one new phrasing, then the entry gains it and nothing is duplicated', async () => {
    const before = (await core.call('knowledge.faq', { workspaceId: ws })).length;
    const csv = 'question,answer\n"Any discount for uni students?","Students pay £9 per class."\n"How much is a class?","A single class costs £14."\n';
    const r = await core.call('knowledge.import', { workspaceId: ws, fileName: 'faq-2.csv', text: csv });
    if (r.kind !== 'faq') throw new Error('expected an FAQ import');
    expect(r).toMatchObject({ created: 0, updated: 1 });
    expect((await core.call('knowledge.faq', { workspaceId: ws })).length).toBe(before);
    const students = r.entries.find((e) => e.answer === 'Students pay £9 per class.')!;
    expect(students.questions).toContain('Any discount for uni students?');
    await waitForEmbedded();
  });

  it('given a CSV without a header row, then the last column is the answer; a CSV without an answer column is refused', async () => {
    const r = await core.call('knowledge.import', { workspaceId: ws, fileName: 'plain.csv', text: '"Where do you park?","Behind the building, free for two hours."\n' });
    if (r.kind !== 'faq') throw new Error('expected an FAQ import');
    expect(r.entries[0]).toMatchObject({ questions: ['Where do you park?'], answer: 'Behind the building, free for two hours.' });
    await expect(core.call('knowledge.import', { workspaceId: ws, fileName: 'bad.csv', text: 'question,notes\nHi?,x\n' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/"bad\.csv": The CSV needs a "question" column and an "answer" column/),
    });
  });
});
