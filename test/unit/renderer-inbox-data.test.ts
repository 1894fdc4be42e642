// The inbox page's small data rules: what "Refresh now" reports, how a thread's pages of messages
// merge, and which saved replies the "/" menu offers.
import { describe, expect, it } from 'vitest';
import { pollSummary, type AccountPoll } from '../../renderer/pages/inbox/poll-progress';
import { filterSaved, slashQuery } from '../../renderer/pages/inbox/saved-replies';
import { mergeMessages } from '../../renderer/pages/inbox/thread-data';
import type { Message, SavedReply } from '../../renderer/pages/inbox/inbox-types';

const label = (id: string) => ({ a: 'Instagram (Kōfi)', b: 'Bluesky (@kofi.bsky.social)', c: 'Facebook (Kōfi)' })[id] ?? id;
const polls = (...e: [string, AccountPoll][]) => new Map(e);

describe('pollSummary', () => {
  it('given no refresh yet, when summarised, then there is nothing to say', () => {
    expect(pollSummary(new Map(), label)).toBeNull();
  });

  it('given accounts still polling, when summarised, then it says how many are being checked', () => {
    expect(pollSummary(polls(['a', { status: 'polling', added: 0, error: null }], ['b', { status: 'done', added: 2, error: null }]), label)).toBe('Checking 1 account…');
    expect(pollSummary(polls(['a', { status: 'polling', added: 0, error: null }], ['b', { status: 'polling', added: 0, error: null }]), label)).toBe('Checking 2 accounts…');
  });

  it('given every poll done, when summarised, then the new messages are counted', () => {
    expect(pollSummary(polls(['a', { status: 'done', added: 0, error: null }]), label)).toBe('Nothing new');
    expect(pollSummary(polls(['a', { status: 'done', added: 1, error: null }]), label)).toBe('1 new message');
    expect(pollSummary(polls(['a', { status: 'done', added: 2, error: null }], ['b', { status: 'done', added: 3, error: null }]), label)).toBe('5 new messages');
  });

  it('given failures, when summarised, then the account and the reason are named, once when they all failed alike', () => {
    const noSignIn = 'This account has no saved sign-in. Reconnect it on the Accounts page.';
    expect(pollSummary(polls(['a', { status: 'done', added: 1, error: null }], ['b', { status: 'failed', added: 0, error: 'Bluesky is down.' }]), label)).toBe(
      '1 new message. Could not check Bluesky (@kofi.bsky.social): Bluesky is down.',
    );
    expect(pollSummary(polls(['a', { status: 'failed', added: 0, error: noSignIn }], ['b', { status: 'failed', added: 0, error: noSignIn }]), label)).toBe(
      `Nothing new. Could not check 2 accounts: ${noSignIn}`,
    );
    expect(pollSummary(polls(['a', { status: 'failed', added: 0, error: 'Rate limited.' }], ['c', { status: 'failed', added: 0, error: 'Token expired.' }]), label)).toBe(
      'Nothing new. Could not check 2 accounts (Instagram (Kōfi): Rate limited; and others)',
    );
  });
});

function msg(id: string, sentAt: number, status: Message['status'] = 'sent'): Message {
  return {
    id,
    conversationId: 'c1',
    direction: 'inbound',
    content: id,
    senderId: null,
    senderName: null,
    senderAvatarUrl: null,
    isFromAgent: false,
    isPrivateNote: false,
    status,
    sentAt,
    externalMessageId: null,
    replyToMessageId: null,
    url: null,
    error: null,
    automatic: null,
  };
}

describe('mergeMessages', () => {
  it('given an older page and a newer page that overlap, when merged, then each message once, oldest first, the later copy winning', () => {
    const older = [msg('m1', 1), msg('m2', 2), msg('m3', 3, 'pending')];
    const newer = [msg('m3', 3, 'failed'), msg('m4', 4)];
    const merged = mergeMessages(older, newer);
    expect(merged.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(merged.find((m) => m.id === 'm3')?.status).toBe('failed');
  });

  it('given two messages sent in the same millisecond, when merged, then their order is stable by id', () => {
    expect(mergeMessages([msg('b', 5)], [msg('a', 5)]).map((m) => m.id)).toEqual(['a', 'b']);
  });
});

describe('saved replies menu', () => {
  const saved = (id: string, title: string, shortcut: string | null, content: string): SavedReply => ({ id, title, shortcut, content, tags: [], useCount: 0 });
  const items = [saved('1', 'Opening hours', 'hours', 'We are open 8 to 18.'), saved('2', 'Allergens', 'nuts', 'Our kitchen handles nuts.'), saved('3', 'Thanks', null, 'Thank you for your order!')];

  it('given text starting with "/", when read, then the query is what follows on the first line; otherwise there is no menu', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/hou')).toBe('hou');
    expect(slashQuery('/nuts\nmore text')).toBe('nuts');
    expect(slashQuery('hello /hours')).toBeNull();
  });

  it('given a query, when filtered, then the shortcut, title or text match, best first; nothing typed keeps the given order', () => {
    expect(filterSaved(items, 'nuts').map((r) => r.id)).toEqual(['2']);
    expect(filterSaved(items, 'open').map((r) => r.id)[0]).toBe('1');
    expect(filterSaved(items, 'order').map((r) => r.id)).toEqual(['3']);
    expect(filterSaved(items, '').map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(filterSaved(items, 'zzz')).toEqual([]);
  });
});
