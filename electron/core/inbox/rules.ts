// The triage rules the user edits (001 ai_settings: flagged keywords and phrases escalate, ignore
// examples ignore, AI on or off for chats and comments) and, per account, whether automatic sends
// are allowed at all. Triage itself (./triage) reads the same row.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { accounts } from '../../../db/schema/accounts';
import { aiSettings } from '../../../db/schema/ai';
import type { ApiContext } from '../context';
import { InboxError } from './summary';
import type { TriageRules } from './views';

type Ctx = Pick<ApiContext, 'db' | 'events'>;

export interface RulesPatch {
  workspaceId: string;
  flaggedKeywords?: string[] | undefined;
  flaggedPhrases?: string[] | undefined;
  ignoreExamples?: string[] | undefined;
  aiEnabledForChats?: boolean | undefined;
  aiEnabledForComments?: boolean | undefined;
}

/** What a workspace that never saved its rules gets: ai_settings' own column defaults. */
const DEFAULT_RULES: TriageRules = { flaggedKeywords: [], flaggedPhrases: [], ignoreExamples: [], aiEnabledForChats: true, aiEnabledForComments: true };

export function getRules(db: Database, workspaceId: string): TriageRules {
  const row = db.orm
    .select({
      flaggedKeywords: aiSettings.flaggedKeywords,
      flaggedPhrases: aiSettings.flaggedPhrases,
      ignoreExamples: aiSettings.ignoreExamples,
      aiEnabledForChats: aiSettings.aiEnabledForChats,
      aiEnabledForComments: aiSettings.aiEnabledForComments,
    })
    .from(aiSettings)
    .where(and(eq(aiSettings.workspaceId, workspaceId), isNull(aiSettings.deletedAt)))
    .get();
  return row ?? { ...DEFAULT_RULES };
}

/** Trimmed, empty ones dropped, a repeat in another case dropped (the first spelling stays, in
 *  the order typed: the user's list reads as they wrote it). */
export function cleanList(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of items) {
    const item = raw.trim().replace(/\s+/g, ' ');
    const key = item.toLocaleLowerCase();
    if (item === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

export function updateRules(ctx: Ctx, patch: RulesPatch, now = Date.now()): TriageRules {
  const set = {
    ...(patch.flaggedKeywords !== undefined ? { flaggedKeywords: cleanList(patch.flaggedKeywords) } : {}),
    ...(patch.flaggedPhrases !== undefined ? { flaggedPhrases: cleanList(patch.flaggedPhrases) } : {}),
    ...(patch.ignoreExamples !== undefined ? { ignoreExamples: cleanList(patch.ignoreExamples) } : {}),
    ...(patch.aiEnabledForChats !== undefined ? { aiEnabledForChats: patch.aiEnabledForChats } : {}),
    ...(patch.aiEnabledForComments !== undefined ? { aiEnabledForComments: patch.aiEnabledForComments } : {}),
  };
  // One row per workspace (unique): create it with the defaults plus the change, or change it. A
  // tombstoned row comes back to life with what it held.
  ctx.db.orm
    .insert(aiSettings)
    .values({ workspaceId: patch.workspaceId, ...set, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: aiSettings.workspaceId, set: { ...set, deletedAt: null, updatedAt: now } })
    .run();
  return getRules(ctx.db, patch.workspaceId);
}

function inboxSettingsOf(metadata: Record<string, unknown>): Record<string, unknown> {
  const inbox = metadata['inbox'];
  return typeof inbox === 'object' && inbox !== null && !Array.isArray(inbox) ? (inbox as Record<string, unknown>) : {};
}

/** Allow automatic sends (AI replies) for one account; stored beside the account's other settings. */
export function setAutoReply(ctx: Ctx, accountId: string, enabled: boolean, now = Date.now()): { accountId: string; autoReply: boolean } {
  const workspaceId = ctx.db.orm.transaction((tx) => {
    const row = tx
      .select({ workspaceId: accounts.workspaceId, metadata: accounts.metadata })
      .from(accounts)
      .where(and(eq(accounts.id, accountId), isNull(accounts.deletedAt)))
      .get();
    if (!row) throw new InboxError('not_found', 'That account is no longer connected.');
    const metadata = { ...row.metadata, inbox: { ...inboxSettingsOf(row.metadata), autoReply: enabled } };
    tx.update(accounts).set({ metadata, updatedAt: now }).where(eq(accounts.id, accountId)).run();
    return row.workspaceId;
  });
  ctx.events.emit('accounts.changed', { workspaceId, accountId });
  return { accountId, autoReply: enabled };
}
