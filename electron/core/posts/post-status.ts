// A post's status follows its targets: what a marketer needs to read at a glance, including
// "published on 2 of 3" when one network refused.
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { posts, postTargets } from '../../../db/schema/posts';
import type { PostStatus, TargetStatus } from './posts';

export function aggregateStatus(current: PostStatus, targets: readonly TargetStatus[]): PostStatus {
  if (targets.length === 0) return current;
  const n = (s: TargetStatus) => targets.filter((t) => t === s).length;
  if (n('publishing') > 0) return 'publishing';
  if (n('scheduled') + n('pending') > 0) {
    // Some targets still wait (a retry, or a later occurrence): the post is still on its way.
    return current === 'draft' || current === 'approved' || current === 'pending_approval' || current === 'rejected' ? current : 'scheduled';
  }
  const published = n('published');
  const failed = n('failed');
  const cancelled = n('cancelled');
  if (published > 0 && failed === 0 && cancelled === 0) return 'published';
  if (published > 0) return 'partially_published';
  if (failed > 0) return 'failed';
  return 'cancelled';
}

/** Recompute and store the post's status (and publishedAt when the last target finished). */
export function refreshPostStatus(db: Database, postId: string, now = Date.now()): PostStatus {
  const row = db.orm.select({ status: posts.status }).from(posts).where(eq(posts.id, postId)).get();
  if (!row) return 'cancelled';
  const targets = db.orm.select({ status: postTargets.status }).from(postTargets).where(eq(postTargets.postId, postId)).all();
  const next = aggregateStatus(row.status, targets.map((t) => t.status));
  const finished = next === 'published' || next === 'partially_published';
  db.orm
    .update(posts)
    .set({ status: next, updatedAt: now, ...(finished && row.status !== next ? { publishedAt: now } : {}) })
    .where(eq(posts.id, postId))
    .run();
  return next;
}
