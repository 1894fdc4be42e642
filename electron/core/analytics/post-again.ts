// "Post again": a top performer becomes a new draft with the same words, hashtags and media, for
// the account it did well on. Nothing is scheduled; the user edits and schedules it from Compose.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { postTargets } from '../../../db/schema/posts';
import { ApiError } from '../../api/errors';
import { createDraft, getPost, type PostView } from '../posts/posts';

export function postAgain(db: Database, workspaceId: string, targetId: string, now = Date.now()): PostView {
  const target = db.orm
    .select()
    .from(postTargets)
    .where(and(eq(postTargets.id, targetId), eq(postTargets.workspaceId, workspaceId), isNull(postTargets.deletedAt)))
    .get();
  if (!target) throw new ApiError('not_found', 'That post is no longer in this workspace (it may have been deleted).');
  const original = getPost(db, target.postId);
  return createDraft(
    db,
    {
      workspaceId,
      // The network's own variant is what earned the figures, so it becomes the new text.
      content: target.content ?? original.content,
      hashtags: original.hashtags,
      targets: [{ accountId: target.accountId, threadParts: target.threadParts, firstComment: target.firstComment }],
      media: original.media.map((m) => ({ mediaId: m.mediaId, altText: m.altText })),
      campaignId: original.campaignId,
      source: 'manual',
    },
    now,
  );
}
