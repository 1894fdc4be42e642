// posts.occurrences through the real API and scheduler: a weekly post scheduled in New York is
// expanded on New York's clock across its DST change, each date numbered in the series, the one
// the scheduler will publish next marked; drafts and cancelled series repeat nothing; the window is
// bounded and scoped to the workspace.
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../db/schema/columns';
import { instantOf, wallTimeAt } from '../../electron/scheduler/zoned-time';
import { startTestCore, type TestCore } from '../helpers/core';

const NY = 'America/New_York';
const DAY = 86_400_000;
const ny = (year: number, month: number, day: number, hour = 0, minute = 0) => instantOf({ year, month, day, hour, minute, second: 0 }, NY);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ core: TestCore; workspaceId: string; accountId: string }> {
  const core = await startTestCore();
  cleanups.push(() => core.cleanup());
  const ws = await core.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: NY });
  // A connected account without a sign-in: scheduling only needs the row.
  const accountId = newId();
  const now = Date.now();
  core.ctx.db.sqlite
    .prepare(
      `INSERT INTO accounts (id, workspace_id, platform, platform_account_id, username, display_name, auth_kind, status, created_at, updated_at)
       VALUES (?, ?, 'bluesky', ?, 'kofi.bsky.social', 'Kōfi & Crumb', 'app_password', 'active', ?, ?)`,
    )
    .run(accountId, ws.id, `did:plc:${accountId.slice(0, 8)}`, now, now);
  return { core, workspaceId: ws.id, accountId };
}

describe('posts.occurrences', () => {
  it('given a weekly Monday 09:00 post with COUNT=6 across New York’s March clock change, when March is asked for, then five dates come back at 09:00 New York time, numbered 1 to 5, with the series', async () => {
    const s = await setup();
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Monday bake list', targets: [{ accountId: s.accountId }] });
    // Clocks go forward in New York on Sunday 9 March 2031.
    const start = ny(2031, 2, 24, 9);
    await s.core.call('posts.schedule', { postId: post.id, when: { mode: 'recurring', at: start, rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6' } });

    const march = await s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from: ny(2031, 3, 1), to: ny(2031, 4, 1) });
    expect(march.truncated).toBe(false);
    expect(march.items.map((o) => o.index)).toEqual([1, 2, 3, 4, 5]);
    expect(march.items.every((o) => o.postId === post.id && !o.isNext)).toBe(true);
    expect(march.items.map((o) => wallTimeAt(o.at, NY))).toEqual([3, 10, 17, 24, 31].map((day) => ({ year: 2031, month: 3, day, hour: 9, minute: 0, second: 0 })));
    // 3 → 10 March spans the change: one hour short of a week.
    expect(march.items[1]!.at - march.items[0]!.at).toBe(7 * DAY - 3_600_000);
    expect(march.posts.map((p) => ({ id: p.id, rrule: p.rrule, publishAt: p.publishAt, content: p.content }))).toEqual([{ id: post.id, rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6', publishAt: start, content: 'Monday bake list' }]);
    expect(march.posts[0]!.targets.map((t) => t.accountId)).toEqual([s.accountId]);

    // The first Monday is the one the scheduler holds a job for.
    const feb = await s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from: ny(2031, 2, 20), to: ny(2031, 3, 5) });
    expect(feb.items.map((o) => ({ at: o.at, index: o.index, isNext: o.isNext }))).toEqual([
      { at: start, index: 0, isNext: true },
      { at: ny(2031, 3, 3, 9), index: 1, isNext: false },
    ]);

    // After the sixth, nothing.
    const april = await s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from: ny(2031, 4, 1), to: ny(2031, 5, 1) });
    expect(april).toEqual({ items: [], posts: [], truncated: false });
  });

  it('given the series is moved to Tuesday, then its dates move with it and the next one is the new first Tuesday', async () => {
    const s = await setup();
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Weekly special', targets: [{ accountId: s.accountId }] });
    await s.core.call('posts.schedule', { postId: post.id, when: { mode: 'recurring', at: ny(2031, 6, 2, 12), rrule: 'FREQ=WEEKLY;COUNT=3' } });
    await s.core.call('posts.reschedule', { postId: post.id, at: ny(2031, 6, 3, 12) });
    const june = await s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from: ny(2031, 6, 1), to: ny(2031, 7, 1) });
    expect(june.items.map((o) => [wallTimeAt(o.at, NY).day, o.isNext])).toEqual([
      [3, true],
      [10, false],
      [17, false],
    ]);
  });

  it('given a repeating post that was unscheduled or cancelled, and a one-off post, then none of them repeats', async () => {
    const s = await setup();
    const make = async (content: string) => (await s.core.call('posts.create', { workspaceId: s.workspaceId, content, targets: [{ accountId: s.accountId }] })).id;
    const paused = await make('Paused series');
    const cancelled = await make('Cancelled series');
    const once = await make('Just once');
    const live = await make('Live series');
    for (const id of [paused, cancelled, live]) await s.core.call('posts.schedule', { postId: id, when: { mode: 'recurring', at: ny(2031, 9, 1, 10), rrule: 'FREQ=DAILY;COUNT=5' } });
    await s.core.call('posts.schedule', { postId: once, when: { mode: 'at', at: ny(2031, 9, 2, 10) } });
    await s.core.call('posts.unschedule', { postId: paused });
    await s.core.call('posts.cancel', { postId: cancelled });
    expect((await s.core.call('posts.get', { postId: paused })).rrule).not.toBeNull();

    const r = await s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from: ny(2031, 9, 1), to: ny(2031, 9, 30) });
    expect(new Set(r.items.map((o) => o.postId))).toEqual(new Set([live]));
    expect(r.items).toHaveLength(5);
    expect(r.posts.map((p) => p.id)).toEqual([live]);
  });

  it('given another workspace’s series, then it is not in this workspace’s window', async () => {
    const s = await setup();
    const post = await s.core.call('posts.create', { workspaceId: s.workspaceId, content: 'Ours', targets: [{ accountId: s.accountId }] });
    await s.core.call('posts.schedule', { postId: post.id, when: { mode: 'recurring', at: ny(2031, 5, 5, 9), rrule: 'FREQ=DAILY;COUNT=3' } });
    const other = await s.core.call('workspaces.create', { name: 'Someone else', timezone: NY });
    expect(await s.core.call('posts.occurrences', { workspaceId: other.id, from: ny(2031, 5, 1), to: ny(2031, 6, 1) })).toEqual({ items: [], posts: [], truncated: false });
  });

  it('given a window longer than 62 days or ending before it starts, then the call is refused as invalid input', async () => {
    const s = await setup();
    const from = ny(2031, 1, 1);
    await expect(s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from, to: from + 63 * DAY })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/62 days/) });
    await expect(s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from, to: from })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await s.core.call('posts.occurrences', { workspaceId: s.workspaceId, from, to: from + 62 * DAY })).items).toEqual([]);
  });
});
