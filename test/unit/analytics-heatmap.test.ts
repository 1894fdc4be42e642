// Best posting times and daily buckets in the workspace's timezone across a DST change, computed in
// SQL over a real database file. Paris moves from +01:00 to +02:00 on 2026-03-29 at 01:00 UTC.
import { afterEach, describe, expect, it } from 'vitest';
import { accounts } from '../../db/schema/accounts';
import { postMetrics } from '../../db/schema/analytics';
import { posts, postTargets } from '../../db/schema/posts';
import { workspaces } from '../../db/schema/workspaces';
import { bestTimes, dashboard } from '../../electron/core/analytics/dashboard';
import { zoneSegments } from '../../electron/core/analytics/zone-segments';
import { openTestDb } from '../helpers/db';

const HOUR = 3_600_000;
const dbs: ReturnType<typeof openTestDb>[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.cleanup();
});

function setup(timezone: string) {
  const db = openTestDb();
  dbs.push(db);
  const ws = db.orm.insert(workspaces).values({ name: 'Crumb Bakery', timezone }).returning({ id: workspaces.id }).get();
  const account = db.orm.insert(accounts).values({ workspaceId: ws.id, platform: 'mastodon', platformAccountId: '1', username: 'crumb' }).returning({ id: accounts.id }).get();
  const publish = (atUtc: string, likes: number) => {
    const at = Date.parse(atUtc);
    const post = db.orm.insert(posts).values({ workspaceId: ws.id, content: `at ${atUtc}`, status: 'published', publishedAt: at }).returning({ id: posts.id }).get();
    const t = db.orm
      .insert(postTargets)
      .values({ workspaceId: ws.id, postId: post.id, accountId: account.id, platform: 'mastodon', status: 'published', platformPostId: atUtc, publishedAt: at })
      .returning({ id: postTargets.id })
      .get();
    db.orm.insert(postMetrics).values({ workspaceId: ws.id, targetId: t.id, platform: 'mastodon', likes, reach: likes * 10, engagementRate: 10, recordedAt: at + HOUR }).run();
  };
  return { db, workspaceId: ws.id, publish };
}

describe('heatmap bucketing in the workspace timezone', () => {
  it('given posts at 09:00 Paris time before and after the spring DST change, then both count in Monday/Saturday 9 o\'clock, not 8 and 7', () => {
    const { db, workspaceId, publish } = setup('Europe/Paris');
    publish('2026-03-28T08:00:00Z', 10); // Saturday 09:00 CET (+01:00)
    publish('2026-04-04T07:00:00Z', 30); // Saturday 09:00 CEST (+02:00)
    publish('2026-03-30T07:30:00Z', 4); // Monday 09:30 CEST
    publish('2026-03-28T23:30:00Z', 2); // Sunday 00:30 CET, still Saturday in UTC
    const map = bestTimes(db, workspaceId, 'Europe/Paris', Date.parse('2026-04-10T00:00:00Z'), {});
    const cells = map.cells.map((c) => [c.day, c.hour, c.posts, c.avgEngagements]).sort();
    expect(cells).toEqual(
      [
        [5, 9, 2, 20], // Saturday 9:00, both sides of the change: (10 + 30) / 2
        [0, 9, 1, 4], // Monday 9:30
        [6, 0, 1, 2], // Sunday 0:30
      ].sort(),
    );
    expect(map.posts).toBe(4);
  });

  it('given the autumn change (a 25-hour day), then the repeated hour still buckets by the wall clock', () => {
    const { db, workspaceId, publish } = setup('Europe/Paris');
    // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; both 02:30s are Sunday 2 o'clock.
    publish('2026-10-25T00:30:00Z', 5); // 02:30 CEST
    publish('2026-10-25T01:30:00Z', 7); // 02:30 CET
    const map = bestTimes(db, workspaceId, 'Europe/Paris', Date.parse('2026-11-01T00:00:00Z'), {});
    expect(map.cells).toEqual([{ day: 6, hour: 2, posts: 2, avgEngagements: 6 }]);
  });

  it('given the segments of a zone over a year, then each change is found to the second', () => {
    const segs = zoneSegments('Europe/Paris', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(segs.map((s) => [new Date(s.start).toISOString(), s.offsetMs / HOUR])).toEqual([
      ['2026-01-01T00:00:00.000Z', 1],
      ['2026-03-29T01:00:00.000Z', 2],
      ['2026-10-25T01:00:00.000Z', 1],
    ]);
  });

  it('given a range across the change, then daily buckets are local days (a post at 00:30 local lands on its local date)', () => {
    const { db, workspaceId, publish } = setup('Europe/Paris');
    publish('2026-03-28T23:30:00Z', 2); // 2026-03-29 00:30 CET
    publish('2026-03-29T22:30:00Z', 3); // 2026-03-30 00:30 CEST
    const d = dashboard(db, workspaceId, { range: { from: '2026-03-28', to: '2026-03-30' } }, Date.parse('2026-04-01T00:00:00Z'));
    expect(d.series.map((p) => [p.date, p.posts, p.engagements])).toEqual([
      ['2026-03-28', 0, 0],
      ['2026-03-29', 1, 2],
      ['2026-03-30', 1, 3],
    ]);
    expect(d.totals).toMatchObject({ posts: 2, likes: 5, engagements: 5, engagementRate: 10 });
    expect(d.range.fromMs).toBe(Date.parse('2026-03-27T23:00:00Z'));
    expect(d.range.toMs).toBe(Date.parse('2026-03-30T22:00:00Z'));
  });
});
