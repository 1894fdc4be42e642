// Approval (002 post_queue.requires_approval): draft -> pending approval -> approved or rejected
// with a note. Only an approved post of one that needs approval can be scheduled or published.
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { posts } from '../../../db/schema/posts';
import { PostError, postRow, type PostStatus } from './posts';

type Action = 'submit' | 'approve' | 'reject' | 'withdraw';

/** From which statuses each action is allowed, and where it leads. */
export const APPROVAL_TRANSITIONS: Readonly<Record<Action, { from: readonly PostStatus[]; to: PostStatus }>> = {
  submit: { from: ['draft', 'rejected'], to: 'pending_approval' },
  approve: { from: ['pending_approval'], to: 'approved' },
  reject: { from: ['pending_approval'], to: 'rejected' },
  withdraw: { from: ['pending_approval', 'approved', 'rejected'], to: 'draft' },
};

const VERB: Record<Action, string> = { submit: 'sent for approval', approve: 'approved', reject: 'rejected', withdraw: 'taken back to draft' };

export function transition(db: Database, postId: string, action: Action, opts: { note?: string | undefined; userId?: string | null | undefined } = {}, now = Date.now()): void {
  db.orm.transaction(() => {
    const row = postRow(db, postId);
    const rule = APPROVAL_TRANSITIONS[action];
    if (!rule.from.includes(row.status)) {
      throw new PostError('conflict', `A ${row.status.replace('_', ' ')} post cannot be ${VERB[action]}.`);
    }
    if (action === 'reject' && !opts.note?.trim()) throw new PostError('invalid', 'Say what should change, so the author knows what to fix.');
    db.orm
      .update(posts)
      .set({
        status: rule.to,
        updatedAt: now,
        ...(action === 'submit' ? { requiresApproval: true, rejectionNote: null } : {}),
        ...(action === 'approve' ? { approvedAt: now, approvedBy: opts.userId ?? null, rejectionNote: null } : {}),
        ...(action === 'reject' ? { rejectionNote: opts.note!.trim(), approvedAt: null, approvedBy: null } : {}),
        ...(action === 'withdraw' ? { approvedAt: null, approvedBy: null } : {}),
      })
      .where(eq(posts.id, postId))
      .run();
  });
}

/** May this post go out? (No approval needed, or approved.) */
export function cleared(row: { requiresApproval: boolean; approvedAt: number | null }): boolean {
  return !row.requiresApproval || row.approvedAt !== null;
}
