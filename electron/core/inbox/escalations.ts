// Escalations (001 support_escalations): a message a person must answer. They stay open until the
// user answers the thread or closes it, and the app badge counts the open ones across workspaces.
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { supportEscalations } from '../../../db/schema/inbox';

type Tx = Pick<Database['orm'], 'update'>;

/** Resolve every open escalation of these conversations (a reply went out, or it was closed). */
export function resolveEscalations(tx: Tx, conversationIds: readonly string[], now: number): number {
  if (conversationIds.length === 0) return 0;
  const r = tx
    .update(supportEscalations)
    .set({ resolvedAt: now, updatedAt: now })
    .where(and(inArray(supportEscalations.conversationId, [...conversationIds]), isNull(supportEscalations.resolvedAt), isNull(supportEscalations.deletedAt)))
    .run();
  return r.changes;
}

/** Open escalations in every workspace: the number on the dock / taskbar badge. */
export function openEscalationCount(db: Database): number {
  const row = db.orm
    .select({ n: sql<number>`count(*)` })
    .from(supportEscalations)
    .where(and(isNull(supportEscalations.resolvedAt), isNull(supportEscalations.deletedAt)))
    .get();
  return row?.n ?? 0;
}
