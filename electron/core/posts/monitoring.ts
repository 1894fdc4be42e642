// After a post is out (published by us, or confirmed published by the network that held it): watch
// it for comments for the account's (or workspace's) monitoring window, keeping only the account's
// last N posts watched.
import { and, eq, isNull } from 'drizzle-orm';
import { monitoringRules } from '../../../db/schema/accounts';
import { monitoredPosts, postTargets } from '../../../db/schema/posts';
import type { Platform } from '../../../db/schema/enums';
import { DEFAULT_MONITORING } from '../accounts/accounts';
import type { ApiContext } from '../context';

export interface PublishedTarget {
  id: string;
  workspaceId: string;
  accountId: string;
  platform: Platform;
  /** What went out, for the monitored post's caption. */
  text: string;
}

/** Call inside the transaction that marks the target published. */
export function startMonitoring(ctx: ApiContext, target: PublishedTarget, platformPostId: string, publishedAt: number, now: number): void {
  const db = ctx.db;
  const own = db.orm.select().from(monitoringRules).where(eq(monitoringRules.accountId, target.accountId)).get();
  const rule =
    own ??
    db.orm.select().from(monitoringRules).where(and(eq(monitoringRules.workspaceId, target.workspaceId), isNull(monitoringRules.accountId))).get() ??
    DEFAULT_MONITORING;
  if (!rule.autoMonitorEnabled) return;
  const endsAt = publishedAt + rule.monitoringDurationDays * 86_400_000;
  db.orm
    .insert(monitoredPosts)
    .values({
      workspaceId: target.workspaceId,
      accountId: target.accountId,
      targetId: target.id,
      platformPostId,
      platform: target.platform,
      caption: target.text.slice(0, 500),
      postedAt: publishedAt,
      source: 'scheduled',
      monitoringEnabled: true,
      monitoringStartedAt: now,
      monitoringEndsAt: endsAt,
      nextCheckAt: now + 5 * 60_000,
    })
    .onConflictDoNothing()
    .run();
  // Only the last N posts of the account are watched: older ones stop.
  db.sqlite
    .prepare(
      `UPDATE monitored_posts SET monitoring_enabled = 0, updated_at = ? WHERE account_id = ? AND monitoring_enabled = 1 AND id NOT IN (
         SELECT id FROM monitored_posts WHERE account_id = ? AND monitoring_enabled = 1 ORDER BY posted_at DESC LIMIT ?)`,
    )
    .run(now, target.accountId, target.accountId, rule.autoMonitorCount);
  db.orm.update(postTargets).set({ nextCheckAt: now + 5 * 60_000, stopAt: endsAt }).where(eq(postTargets.id, target.id)).run();
}
