// Inbox rows written straight into a real database file, shaped the way ingestion leaves them
// (list columns derived from the messages written), for tests of what the inbox reads and does.
import type { Database } from '../../db/client';
import { accounts } from '../../db/schema/accounts';
import { conversationMessages, conversations, supportEscalations } from '../../db/schema/inbox';
import type { Platform, TRIAGE_DECISIONS } from '../../db/schema';
import type { ConversationPriority, ConversationStatus, ThreadKind } from '../../electron/core/inbox/views';

export function addAccount(db: Database, workspaceId: string, platform: Platform, username: string, metadata: Record<string, unknown> = {}): string {
  return db.orm
    .insert(accounts)
    .values({ workspaceId, platform, platformAccountId: `${platform}-${username}`, username, displayName: username, metadata })
    .returning({ id: accounts.id })
    .get().id;
}

export interface MessageSpec {
  direction?: 'inbound' | 'outbound';
  content: string;
  sentAt: number;
  metadata?: Record<string, unknown>;
  isPrivateNote?: boolean;
}

export interface ThreadSpec {
  workspaceId: string;
  accountId: string;
  name?: string;
  status?: ConversationStatus;
  priority?: ConversationPriority;
  tags?: string[];
  triage?: (typeof TRIAGE_DECISIONS)[number] | null;
  kind?: ThreadKind | null;
  unread?: number;
  snoozedUntil?: number | null;
  /** At least one; the newest sets last activity and the preview. */
  messages: MessageSpec[];
  deletedAt?: number | null;
  customerId?: string | null;
}

let n = 0;

export function addThread(db: Database, spec: ThreadSpec): string {
  n += 1;
  const sorted = [...spec.messages].sort((a, b) => a.sentAt - b.sentAt);
  const last = sorted.filter((m) => !m.isPrivateNote).at(-1) ?? sorted.at(-1);
  return db.orm.transaction((tx) => {
    const id = tx
      .insert(conversations)
      .values({
        workspaceId: spec.workspaceId,
        accountId: spec.accountId,
        customerId: spec.customerId ?? null,
        externalConversationId: `ext-${n}`,
        customerIdentifier: `person-${n}`,
        customerName: spec.name ?? `Person ${n}`,
        status: spec.status ?? 'open',
        priority: spec.priority ?? 'normal',
        tags: spec.tags ?? [],
        triage: spec.triage ?? null,
        unreadCount: spec.unread ?? 0,
        lastMessageAt: last?.sentAt ?? null,
        lastMessagePreview: last?.content ?? null,
        snoozedUntil: spec.snoozedUntil ?? null,
        metadata: spec.kind === null ? {} : { kind: spec.kind ?? 'dm' },
        deletedAt: spec.deletedAt ?? null,
      })
      .returning({ id: conversations.id })
      .get().id;
    sorted.forEach((m, i) => {
      tx.insert(conversationMessages)
        .values({
          workspaceId: spec.workspaceId,
          conversationId: id,
          externalMessageId: `ext-${n}.${i}`,
          direction: m.direction ?? 'inbound',
          content: m.content,
          senderName: m.direction === 'outbound' ? 'Us' : (spec.name ?? `Person ${n}`),
          isPrivateNote: m.isPrivateNote ?? false,
          sentAt: m.sentAt,
          metadata: m.metadata ?? {},
        })
        .run();
    });
    return id;
  });
}

export function escalate(db: Database, workspaceId: string, conversationId: string, resolvedAt: number | null = null): string {
  return db.orm
    .insert(supportEscalations)
    .values({ workspaceId, conversationId, message: 'needs a person', reason: 'human_requested', resolvedAt })
    .returning({ id: supportEscalations.id })
    .get().id;
}
