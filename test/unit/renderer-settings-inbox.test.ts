// Settings → Inbox as data: rule lists kept the way the engine keeps them, each account's polling
// in words, and a saved reply checked (and diffed) before it is sent.
import { describe, expect, it } from 'vitest';
import { cleanList } from '../../electron/core/inbox/rules';
import {
  addUnique,
  agoWords,
  inWords,
  listProblem,
  MAX_RULES,
  paceWords,
  pollLine,
  sameRules,
  savedReplyPatch,
  savedReplyProblems,
  splitKeywords,
  splitLines,
  type PollState,
  type SavedReply,
} from '../../renderer/pages/settings/inbox-settings';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2026, 4, 12, 9, 30);

function state(over: Partial<PollState> = {}): PollState {
  return {
    accountId: 'a1',
    platform: 'instagram',
    accountLabel: 'kofi.and.crumb',
    intervalMs: 5 * MIN,
    lastPollAt: NOW - 3 * MIN,
    nextPollAt: NOW + 2 * MIN,
    lastActivityAt: null,
    lastError: null,
    autoReply: false,
    ...over,
  };
}

describe('rule lists', () => {
  it('given keywords typed or pasted with commas, spaces and new lines, when split, then each is one trimmed word', () => {
    expect(splitKeywords('refund, allergy;broken\n  late ,,')).toEqual(['refund', 'allergy', 'broken', 'late']);
    expect(splitKeywords('   ')).toEqual([]);
  });

  it('given phrases pasted as lines, when split, then each line is one phrase with its spaces folded', () => {
    expect(splitLines('speak to  a manager\r\n\n  where is my order  \n')).toEqual(['speak to a manager', 'where is my order']);
  });

  it('given a rule already in the list in another case, when added, then it is skipped and the first spelling stays', () => {
    expect(addUnique(['Refund'], ['refund', 'REFUND', 'late', 'Late'])).toEqual(['Refund', 'late']);
  });

  it('given any list the user builds, when added item by item, then it is exactly what the engine would store (cleanList)', () => {
    const typed = ['  Thanks so much!  ', 'thanks   so much!', 'Love it', '', 'love IT', 'ça va ?', 'ÇA VA ?'];
    const built = typed.reduce<string[]>((list, t) => addUnique(list, [t]), []);
    expect(built).toEqual(cleanList(typed));
    expect(built).toEqual(['Thanks so much!', 'Love it', 'ça va ?']);
  });

  it('given rules over the API limits, when checked, then the field says which and how to fix it', () => {
    expect(listProblem(['refund'], 'keyword')).toBeNull();
    expect(listProblem(Array.from({ length: MAX_RULES + 1 }, (_, i) => `k${i}`), 'keyword')).toBe(`Keep it to ${MAX_RULES} keywords or fewer (there are ${MAX_RULES + 1}).`);
    expect(listProblem(['x'.repeat(201)], 'phrase')).toMatch(/is longer than 200 characters/);
  });

  it('given two rule sets, when compared, then order, content and toggles all count', () => {
    const a = { flaggedKeywords: ['a', 'b'], flaggedPhrases: [], ignoreExamples: ['thanks'], aiEnabledForChats: true, aiEnabledForComments: true };
    expect(sameRules(a, { ...a, flaggedKeywords: ['a', 'b'] })).toBe(true);
    expect(sameRules(a, { ...a, flaggedKeywords: ['b', 'a'] })).toBe(false);
    expect(sameRules(a, { ...a, ignoreExamples: [] })).toBe(false);
    expect(sameRules(a, { ...a, aiEnabledForComments: false })).toBe(false);
  });
});

describe('polling in words', () => {
  it('given intervals, when described, then minutes below an hour and hours with minutes above', () => {
    expect(paceWords(5 * MIN)).toBe('every 5 min');
    expect(paceWords(30 * MIN)).toBe('every 30 min');
    expect(paceWords(90 * MIN)).toBe('every 1 h 30 min');
    expect(paceWords(2 * H)).toBe('every 2 h');
    expect(paceWords(10_000)).toBe('every 1 min');
  });

  it('given moments before and after now, when described, then past ones read "ago" and future ones "in", a due one "due now"', () => {
    expect(agoWords(NOW - 20_000, NOW)).toBe('just now');
    expect(agoWords(NOW - 12 * MIN, NOW)).toBe('12 min ago');
    expect(agoWords(NOW - 3 * H - 5 * MIN, NOW)).toBe('3 h ago');
    expect(agoWords(NOW - 30 * H, NOW)).toBe('yesterday');
    expect(agoWords(NOW - 80 * H, NOW)).toBe('3 days ago');
    expect(inWords(NOW + 4 * MIN, NOW)).toBe('in 4 min');
    expect(inWords(NOW + 2 * H, NOW)).toBe('in 2 h');
    expect(inWords(NOW - 5 * MIN, NOW)).toBe('due now');
  });

  it('given an account checked without trouble, when described, then it says when it was and will be checked, and how often', () => {
    expect(pollLine(state(), NOW)).toEqual({ label: 'Checking', tone: 'success', text: 'Checked 3 min ago; next check in 2 min, every 5 min while it is quiet.', error: null });
  });

  it('given an account whose last check failed, when described, then the engine’s reason is kept in its words', () => {
    const line = pollLine(state({ lastError: '  Instagram refused the sign-in: the token expired.  ', intervalMs: 10 * MIN }), NOW);
    expect(line.label).toBe('Failing');
    expect(line.tone).toBe('danger');
    expect(line.error).toBe('Instagram refused the sign-in: the token expired.');
    expect(line.text).toBe('Checked 3 min ago; next try in 2 min, then every 10 min until it works.');
  });

  it('given an account with no next check (it needs reconnecting), when described, then it says it is paused and where to fix it', () => {
    const line = pollLine(state({ nextPollAt: null, lastPollAt: null, lastError: 'The sign-in expired.' }), NOW);
    expect(line).toMatchObject({ label: 'Paused', tone: 'warning', error: 'The sign-in expired.' });
    expect(line.text).toBe('Not checked yet. Not checking until the account is reconnected on the Accounts page.');
  });

  it('given an account never checked yet but scheduled, when described, then it is waiting, not failing', () => {
    expect(pollLine(state({ lastPollAt: null }), NOW)).toMatchObject({ label: 'Waiting', tone: 'muted', text: 'Not checked yet; next check in 2 min, every 5 min while it is quiet.' });
  });
});

describe('saved replies', () => {
  const reply: SavedReply = { id: 'r1', title: 'Opening hours', content: 'We are open 8–18, Tuesday to Sunday.', shortcut: 'hours', tags: [], useCount: 3 };

  it('given an empty draft, when checked, then title and text are asked for and the shortcut may stay empty', () => {
    expect(savedReplyProblems({ title: ' ', content: '\n', shortcut: '' })).toEqual({
      title: 'Give it a title, so you can find it in the / menu.',
      content: 'Write the reply it inserts.',
    });
  });

  it('given shortcuts, when checked, then one word (any script, digits, - and _) passes and a typed leading slash is fine', () => {
    expect(savedReplyProblems({ title: 't', content: 'c', shortcut: '/heures_d-ouverture2' })).toEqual({});
    expect(savedReplyProblems({ title: 't', content: 'c', shortcut: 'öffnungszeiten' })).toEqual({});
    expect(savedReplyProblems({ title: 't', content: 'c', shortcut: 'two words' }).shortcut).toMatch(/one word/);
    expect(savedReplyProblems({ title: 't', content: 'c', shortcut: 'x'.repeat(41) }).shortcut).toMatch(/under 40/);
  });

  it('given an edit, when diffed, then only what changed is sent and an emptied shortcut is removed', () => {
    expect(savedReplyPatch(reply, { title: 'Opening hours', content: 'We are open 8–18, Tuesday to Sunday.  ', shortcut: '/hours' })).toEqual({});
    expect(savedReplyPatch(reply, { title: ' Hours ', content: reply.content, shortcut: '' })).toEqual({ title: 'Hours', shortcut: null });
    expect(savedReplyPatch({ ...reply, shortcut: null }, { title: reply.title, content: 'Closed Mondays.', shortcut: 'open' })).toEqual({ content: 'Closed Mondays.', shortcut: 'open' });
  });
});
