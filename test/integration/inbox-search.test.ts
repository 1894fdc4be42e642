// Search across every message through the real API: a word, a phrase, a prefix while typing, one
// hit per conversation with its passage marked, and nothing for input with nothing to search for,
// however hostile.
import { and, eq, like } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationMessages } from '../../db/schema';
import { startTestCore, type TestCore } from '../helpers/core';
import { addAccount, addThread } from '../helpers/inbox-threads';

const HOUR = 3_600_000;

let core: TestCore | undefined;
afterEach(async () => {
  await core?.cleanup();
  core = undefined;
});

async function setup() {
  core = await startTestCore({ scheduler: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  const db = core.ctx.db;
  const account = addAccount(db, ws.id, 'instagram', 'crumb.insta');
  const now = Date.now();
  const thread = (name: string, texts: string[], extra: Partial<Parameters<typeof addThread>[1]> = {}) =>
    addThread(db, { workspaceId: ws.id, accountId: account, name, messages: texts.map((content, i) => ({ content, sentAt: now - (10 - i) * HOUR })), ...extra });
  const search = (query: string, limit?: number) => core!.call('inbox.search', { workspaceId: ws.id, query, ...(limit ? { limit } : {}) });
  return { core, db, workspaceId: ws.id, account, thread, search };
}

describe('inbox search', () => {
  it('given messages in several threads, when searching a word in one of them, then that thread is found at that message with the word marked', async () => {
    const s = await setup();
    const ann = s.thread('Ann', ['Hi! Do you bake sourdough on Sundays?', 'Thanks, see you then']);
    s.thread('Ben', ['Is the croissant vegan?']);
    const hits = await s.search('sourdough');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.conversation).toMatchObject({ id: ann, customerName: 'Ann' });
    expect(hits[0]!.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toEqual(['sourdough']);
    expect(hits[0]!.snippet.map((p) => p.text).join('')).toContain('Do you bake sourdough on Sundays');
    const thread = await s.core.call('inbox.get', { conversationId: ann });
    expect(thread.messages.find((m) => m.id === hits[0]!.messageId)?.content).toBe('Hi! Do you bake sourdough on Sundays?');
  });

  it('given the same words in different orders, when searching a quoted phrase, then only the thread with the words together in that order is found', async () => {
    const s = await setup();
    const cake = s.thread('Cara', ['Can I order a birthday cake for Saturday?']);
    s.thread('Dev', ['The cake for the birthday was great']);
    s.thread('Eli', ['Birthday plans: cake, then dinner']);
    const phrase = await s.search('"birthday cake"');
    expect(phrase.map((h) => h.conversation.id)).toEqual([cake]);
    expect(phrase[0]!.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toEqual(['birthday cake']);
    // Unquoted, the words may be anywhere in a message.
    expect((await s.search('birthday cake ')).map((h) => h.conversation.customerName).sort()).toEqual(['Cara', 'Dev', 'Eli']);
  });

  it('given a word being typed, when the query ends mid-word, then it matches as a prefix; with a space after, only the whole word', async () => {
    const s = await setup();
    s.thread('Ann', ['Gluten-free options?']);
    s.thread('Ben', ['Do you have glutinous rice cakes?']);
    expect((await s.search('glut')).map((h) => h.conversation.customerName).sort()).toEqual(['Ann', 'Ben']);
    expect((await s.search('gluten ')).map((h) => h.conversation.customerName)).toEqual(['Ann']);
  });

  it('given a thread matching in many messages, when searching, then it appears once, and the limit counts threads', async () => {
    const s = await setup();
    s.thread('Ann', ['refund please', 'still waiting for the refund', 'refund?? hello']);
    s.thread('Ben', ['refund for my order']);
    s.thread('Cy', ['a refund, not a voucher']);
    const hits = await s.search('refund');
    expect(hits.map((h) => h.conversation.customerName).sort()).toEqual(['Ann', 'Ben', 'Cy']);
    expect(await s.search('refund', 2)).toHaveLength(2);
  });

  it('given deleted threads, deleted messages and another workspace, when searching, then none of them are found', async () => {
    const s = await setup();
    s.thread('Gone', ['pistachio eclair'], { deletedAt: Date.now() });
    const kept = s.thread('Kept', ['pistachio macaron', 'plain text']);
    s.db.orm.update(conversationMessages).set({ deletedAt: Date.now() }).where(and(eq(conversationMessages.conversationId, kept), like(conversationMessages.content, 'pistachio%'))).run();
    const other = await s.core.call('workspaces.create', { name: 'Other', timezone: 'UTC' });
    const acct = addAccount(s.db, other.id, 'instagram', 'other');
    addThread(s.db, { workspaceId: other.id, accountId: acct, messages: [{ content: 'pistachio eclair', sentAt: Date.now() }] });
    expect(await s.search('pistachio')).toEqual([]);
  });

  it('given empty, blank, punctuation-only or FTS-syntax input, when searching, then it finds nothing or the words as typed, and never fails', async () => {
    const s = await setup();
    s.thread('Ann', ['NEAR the station, OR the market? NOT sure']);
    for (const q of ['', '   ', '?!', '"', '""', '***', '(', '-', '^', '\u200d', '\ud800']) expect(await s.search(q)).toEqual([]);
    // Operators typed in a search box are just words.
    expect((await s.search('NEAR OR')).map((h) => h.conversation.customerName)).toEqual(['Ann']);
    expect(await s.search('station NOT market')).toHaveLength(1);
    expect(await s.search('body:station')).toHaveLength(0);
  });
});
