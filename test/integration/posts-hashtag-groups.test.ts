// Saved hashtag groups in the database through the real API: saved newest first, replaced by name
// in any case, tags tidied, deleted with a tombstone, kept when the app is reopened on the same
// data folder, and the one-time import of what a window kept in localStorage — which never
// overwrites the database's own groups and can run twice without doubling anything.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_HASHTAG_GROUPS } from '../../electron/core/posts/hashtag-groups';
import { tempDir } from '../helpers/db';
import { startTestCore, type TestCore } from '../helpers/core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(dataDir?: string): Promise<{ core: TestCore; workspaceId: string }> {
  const core = await startTestCore({ scheduler: false, ...(dataDir ? { dataDir } : {}) });
  cleanups.push(() => core.cleanup());
  const ws = await core.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'Europe/London' });
  return { core, workspaceId: ws.id };
}

const names = (groups: { name: string }[]) => groups.map((g) => g.name);

describe('hashtag groups', () => {
  it('given two groups, when one is saved again under its name in another case, then it is replaced (tags tidied) and comes first', async () => {
    const { core, workspaceId } = await setup();
    const bakery = await core.call('posts.saveHashtagGroup', { workspaceId, name: 'Bakery', hashtags: ['#bread', 'sourdough', '#Bread'] });
    expect(bakery).toMatchObject({ name: 'Bakery', hashtags: ['#bread', '#sourdough'] });
    await core.call('posts.saveHashtagGroup', { workspaceId, name: 'Coffee', hashtags: ['#flatwhite'] });
    expect(names(await core.call('posts.hashtagGroups', { workspaceId }))).toEqual(['Coffee', 'Bakery']);

    const again = await core.call('posts.saveHashtagGroup', { workspaceId, name: 'bakery', hashtags: ['#rye'] });
    expect(again).toMatchObject({ id: bakery.id, name: 'bakery', hashtags: ['#rye'] });
    expect((await core.call('posts.hashtagGroups', { workspaceId })).map((g) => [g.name, g.hashtags])).toEqual([
      ['bakery', ['#rye']],
      ['Coffee', ['#flatwhite']],
    ]);
  });

  it('given a deleted group, then it leaves the list with a tombstone for sync, and saving its name again brings the row back', async () => {
    const { core, workspaceId } = await setup();
    const g = await core.call('posts.saveHashtagGroup', { workspaceId, name: 'Summer', hashtags: ['#terrace'] });
    expect(await core.call('posts.deleteHashtagGroup', { groupId: g.id })).toEqual({ deleted: true });
    expect(await core.call('posts.hashtagGroups', { workspaceId })).toEqual([]);
    expect(core.ctx.db.sqlite.prepare('SELECT deleted_at IS NOT NULL AS gone FROM hashtag_groups WHERE id = ?').get(g.id)).toEqual({ gone: 1 });
    await expect(core.call('posts.deleteHashtagGroup', { groupId: g.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await core.call('posts.saveHashtagGroup', { workspaceId, name: 'Summer', hashtags: ['#icedlatte'] })).toMatchObject({ id: g.id, hashtags: ['#icedlatte'] });
  });

  it('given groups saved, when Postdesk is closed and opened again on the same data folder, then they are still there', async () => {
    const dir = tempDir('postdesk-groups-');
    cleanups.push(() => dir.cleanup());
    const first = await startTestCore({ scheduler: false, dataDir: dir.dir });
    const ws = await first.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'Europe/London' });
    await first.call('posts.saveHashtagGroup', { workspaceId: ws.id, name: 'Bakery', hashtags: ['#bread'] });
    await first.close();
    const second = await startTestCore({ scheduler: false, dataDir: dir.dir });
    cleanups.push(() => second.close());
    expect((await second.call('posts.hashtagGroups', { workspaceId: ws.id })).map((g) => [g.name, g.hashtags])).toEqual([['Bakery', ['#bread']]]);
  });

  it('given a group already in the database, when a window imports its localStorage groups (newest first), then new names come in in order, the database’s own version wins, and a second import changes nothing', async () => {
    const { core, workspaceId } = await setup();
    await core.call('posts.saveHashtagGroup', { workspaceId, name: 'Bakery', hashtags: ['#fromanotherlaptop'] });
    const local = [
      { name: 'Coffee', hashtags: ['#flatwhite'] },
      { name: 'bakery', hashtags: ['#bread'] },
      { name: 'Events', hashtags: ['#edinburgh', '#leith'] },
    ];
    expect(await core.call('posts.importHashtagGroups', { workspaceId, groups: local })).toEqual({ imported: 2, skipped: 1 });
    const after = await core.call('posts.hashtagGroups', { workspaceId });
    expect(Object.fromEntries(after.map((g) => [g.name, g.hashtags]))).toEqual({ Bakery: ['#fromanotherlaptop'], Coffee: ['#flatwhite'], Events: ['#edinburgh', '#leith'] });
    // The window's order is kept: Coffee was newer than Events there.
    expect(names(after).filter((n) => n !== 'Bakery')).toEqual(['Coffee', 'Events']);
    expect(await core.call('posts.importHashtagGroups', { workspaceId, groups: local })).toEqual({ imported: 0, skipped: 3 });
    expect(await core.call('posts.hashtagGroups', { workspaceId })).toEqual(after);
  });

  it(`given ${MAX_HASHTAG_GROUPS} groups, then another is refused in words and an import stops at the limit; bad tags are refused before the service`, async () => {
    const { core, workspaceId } = await setup();
    await core.call('posts.importHashtagGroups', { workspaceId, groups: Array.from({ length: MAX_HASHTAG_GROUPS - 1 }, (_, i) => ({ name: `Group ${i}`, hashtags: ['#tag'] })) });
    // Room for one: the newest (first) comes in.
    expect(await core.call('posts.importHashtagGroups', { workspaceId, groups: [{ name: 'Last', hashtags: ['#a'] }, { name: 'Too many', hashtags: ['#b'] }] })).toEqual({ imported: 1, skipped: 1 });
    expect(names(await core.call('posts.hashtagGroups', { workspaceId }))).toContain('Last');
    await expect(core.call('posts.saveHashtagGroup', { workspaceId, name: 'One more', hashtags: ['#c'] })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/at most 50 hashtag groups/) });
    // Replacing one that exists is still fine at the limit.
    expect(await core.call('posts.saveHashtagGroup', { workspaceId, name: 'last', hashtags: ['#z'] })).toMatchObject({ name: 'last' });
    await expect(core.call('posts.saveHashtagGroup', { workspaceId, name: 'Empty', hashtags: [] })).rejects.toMatchObject({ code: 'invalid_input', issues: [expect.objectContaining({ path: ['hashtags'] })] });
    await expect(core.call('posts.saveHashtagGroup', { workspaceId, name: 'Bad', hashtags: ['#no-dashes'] })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
