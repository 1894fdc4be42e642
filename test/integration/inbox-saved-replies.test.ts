// Saved replies through the real API: listed most used first, edited, deleted as tombstones, and
// shortcuts unique in any case while a deleted reply gives its shortcut back.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { savedReplies } from '../../db/schema';
import { startTestCore, type TestCore } from '../helpers/core';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.cleanup();
  core = undefined;
});

async function setup() {
  core = await startTestCore({ scheduler: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  return { core, db: core.ctx.db, workspaceId: ws.id };
}

describe('saved replies', () => {
  it('given replies used more and less, when listed, then the most used come first, then by title, with tags tidied', async () => {
    const s = await setup();
    const hours = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Opening hours', content: 'We open 7–19, Tue–Sun.', shortcut: 'hours', tags: ['Info', ' info ', 'faq'] });
    expect(hours).toMatchObject({ title: 'Opening hours', shortcut: 'hours', tags: ['faq', 'Info'], useCount: 0 });
    await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'allergens', content: 'Our allergen sheet: …' });
    const refund = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Refund', content: 'Sorry! We refund within 3 days.', shortcut: 'refund' });
    s.db.orm.update(savedReplies).set({ useCount: 5 }).where(eq(savedReplies.id, refund.id)).run();

    const list = await s.core.call('inbox.savedReplies', { workspaceId: s.workspaceId });
    expect(list.map((r) => [r.title, r.useCount])).toEqual([
      ['Refund', 5],
      ['allergens', 0],
      ['Opening hours', 0],
    ]);
  });

  it('given a shortcut in use, when another reply claims it in any case, then it is a conflict naming the holder, and nothing is saved', async () => {
    const s = await setup();
    await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Opening hours', content: 'We open at 7.', shortcut: 'hours' });
    await expect(s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Hours (winter)', content: 'We open at 8.', shortcut: 'Hours' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'The shortcut /Hours already belongs to "Opening hours". Pick another one, or change that reply\'s shortcut first.',
    });
    const other = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Winter', content: 'We open at 8.', shortcut: 'winter' });
    await expect(s.core.call('inbox.updateSavedReply', { savedReplyId: other.id, shortcut: 'HOURS' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await s.core.call('inbox.savedReplies', { workspaceId: s.workspaceId })).map((r) => r.shortcut).sort()).toEqual(['hours', 'winter']);

    // Another workspace has shortcuts of its own.
    const ws2 = await s.core.call('workspaces.create', { name: 'Other', timezone: 'UTC' });
    await expect(s.core.call('inbox.createSavedReply', { workspaceId: ws2.id, title: 'Hours', content: '9–5', shortcut: 'hours' })).resolves.toMatchObject({ shortcut: 'hours' });
  });

  it('given a reply, when it is edited field by field, then only those fields change, a null shortcut removes it and keeping its own shortcut is no conflict', async () => {
    const s = await setup();
    const r = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Hours', content: 'We open at 7.', shortcut: 'hours', tags: ['info'] });
    const same = await s.core.call('inbox.updateSavedReply', { savedReplyId: r.id, shortcut: 'hours', content: 'We open at 7:30.' });
    expect(same).toMatchObject({ title: 'Hours', content: 'We open at 7:30.', shortcut: 'hours', tags: ['info'] });
    const cleared = await s.core.call('inbox.updateSavedReply', { savedReplyId: r.id, shortcut: null, title: 'Opening hours' });
    expect(cleared).toMatchObject({ title: 'Opening hours', content: 'We open at 7:30.', shortcut: null, tags: ['info'] });
  });

  it('given a deleted reply, when listing and reusing its shortcut, then it is gone from the list, kept as a tombstone, and the shortcut is free again', async () => {
    const s = await setup();
    const r = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Hours', content: 'We open at 7.', shortcut: 'hours' });
    await expect(s.core.call('inbox.deleteSavedReply', { savedReplyId: r.id })).resolves.toEqual({ id: r.id, deleted: true });
    expect(await s.core.call('inbox.savedReplies', { workspaceId: s.workspaceId })).toEqual([]);
    const tombstone = s.db.orm.select().from(savedReplies).where(eq(savedReplies.id, r.id)).get();
    expect(tombstone?.deletedAt).not.toBeNull();

    const again = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'New hours', content: 'We open at 8.', shortcut: 'hours' });
    expect(again.shortcut).toBe('hours');
    await expect(s.core.call('inbox.deleteSavedReply', { savedReplyId: r.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(s.core.call('inbox.updateSavedReply', { savedReplyId: r.id, title: 'x' })).rejects.toMatchObject({ code: 'not_found', message: 'That saved reply no longer exists.' });
  });

  it('given a tombstone synced from another device that still holds a shortcut, when the shortcut is claimed here, then the claim succeeds', async () => {
    const s = await setup();
    s.db.orm.insert(savedReplies).values({ workspaceId: s.workspaceId, title: 'Old', content: 'old', shortcut: 'thanks', deletedAt: Date.now() - 1000 }).run();
    const r = await s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Thanks', content: 'Thank you!', shortcut: 'thanks' });
    expect(r.shortcut).toBe('thanks');
  });

  it('given a shortcut that is not one word, when saving, then the input is refused before anything is stored', async () => {
    const s = await setup();
    await expect(s.core.call('inbox.createSavedReply', { workspaceId: s.workspaceId, title: 'Hours', content: 'x', shortcut: 'opening hours' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await s.core.call('inbox.savedReplies', { workspaceId: s.workspaceId })).toEqual([]);
  });
});
