// What the inbox hands to the API and the renderer: one shape for a conversation in the list, one
// for a thread with its messages. Everything the renderer shows of a stranger's message is plain
// text in these views; rendering decides how (React text nodes, never HTML).
import type {
  AI_MODES,
  CONVERSATION_PRIORITIES,
  CONVERSATION_STATUSES,
  ESCALATION_REASONS,
  FOLLOWUP_STATUSES,
  LIFECYCLE_STAGES,
  MESSAGE_DIRECTIONS,
  MESSAGE_STATUSES,
  Platform,
  TRIAGE_DECISIONS,
} from '../../../db/schema';

/** conversations.metadata.kind: a DM thread, one person's comments under one of our posts, or a
 *  mention of us in someone else's post (the seeds' names). */
export const THREAD_KINDS = ['dm', 'comment_thread', 'mention'] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];

export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];
export type TriageDecision = (typeof TRIAGE_DECISIONS)[number];
export type AiMode = (typeof AI_MODES)[number];
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** The list's status tabs: 'snoozed' is open or pending with snoozed_until in the future, and
 *  those are left out of 'open' and 'pending' until they wake. */
export const INBOX_VIEWS = ['open', 'pending', 'snoozed', 'closed', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export interface ConversationSummary {
  id: string;
  workspaceId: string;
  accountId: string;
  platform: Platform;
  /** The account's handle or name, for the list's "via" line. */
  accountLabel: string;
  kind: ThreadKind;
  customerId: string | null;
  customerName: string | null;
  customerIdentifier: string;
  customerAvatarUrl: string | null;
  status: ConversationStatus;
  priority: ConversationPriority;
  tags: string[];
  triage: TriageDecision | null;
  aiMode: AiMode;
  unreadCount: number;
  lastMessageAt: number | null;
  lastMessagePreview: string | null;
  snoozedUntil: number | null;
  /** An escalation on it is not resolved yet. */
  escalated: boolean;
}

export interface InboxListFilter {
  workspaceId: string;
  view: InboxView;
  accountIds?: string[] | undefined;
  platforms?: Platform[] | undefined;
  kinds?: ThreadKind[] | undefined;
  unreadOnly?: boolean | undefined;
  priorities?: ConversationPriority[] | undefined;
  tag?: string | undefined;
  triage?: TriageDecision[] | undefined;
  escalatedOnly?: boolean | undefined;
}

export interface InboxListResult {
  /** Sorted by last activity, newest first (ties by id). */
  items: ConversationSummary[];
  /** How many match the filter, so a virtual list can size its scrollbar. */
  total: number;
  offset: number;
}

export interface MessageView {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  content: string;
  senderId: string | null;
  senderName: string | null;
  senderAvatarUrl: string | null;
  isFromAgent: boolean;
  isPrivateNote: boolean;
  status: MessageStatus;
  sentAt: number;
  externalMessageId: string | null;
  replyToMessageId: string | null;
  /** The message on the network, when the connector gave a link. */
  url: string | null;
  /** Why a reply failed to send, in words for the user. */
  error: string | null;
  /** Sent without a person pressing Send (a follow-up, an AI auto-reply): what sent it. */
  automatic: 'followup' | 'ai' | null;
}

export interface ReplyWindow {
  /** When replying stops being allowed (Meta: 24 h after their last DM, 7 d for a private reply
   *  to a comment); null when the network has no window. */
  closesAt: number | null;
  /** False when the window has closed or the network cannot reply to this kind of thread. */
  open: boolean;
  /** Why not, in words, when not open. */
  reason: string | null;
}

export interface CustomerIdentityView {
  channel: string;
  externalId: string;
  handle: string | null;
  displayName: string | null;
  profileUrl: string | null;
}

export interface CustomerView {
  id: string;
  workspaceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  avatarUrl: string | null;
  lifecycleStage: LifecycleStage;
  source: string | null;
  notes: string | null;
  tags: string[];
  firstSeenAt: number | null;
  lastContactAt: number | null;
  identities: CustomerIdentityView[];
  /** Their conversations on every account, newest first (the CRM history). */
  conversations: ConversationSummary[];
}

export interface FollowupView {
  id: string;
  conversationId: string | null;
  customerId: string | null;
  message: string;
  reason: string | null;
  scheduledFor: number;
  status: FollowupStatus;
  sentAt: number | null;
  errorMessage: string | null;
  cancelOnReply: boolean;
}

export interface EscalationView {
  id: string;
  conversationId: string | null;
  commentId: string | null;
  message: string;
  reason: EscalationReason;
  confidence: number | null;
  resolvedAt: number | null;
  createdAt: number;
}

export interface DecisionView {
  id: string;
  messageId: string | null;
  decision: TriageDecision;
  confidence: number | null;
  reason: string | null;
  /** 'keyword: refund', 'phrase: speak to a human', 'ignore example: ...', or the AI model. */
  matchedRule: string | null;
  model: string | null;
  createdAt: number;
}

export interface ThreadView {
  conversation: ConversationSummary;
  /** Oldest first; at most the page asked for, ending at the newest. */
  messages: MessageView[];
  /** Older messages exist before the first one here. */
  hasOlder: boolean;
  replyWindow: ReplyWindow;
  customer: CustomerView | null;
  followups: FollowupView[];
  escalations: EscalationView[];
  /** Newest first, the last few. */
  decisions: DecisionView[];
}

export interface SearchHit {
  conversation: ConversationSummary;
  messageId: string;
  sentAt: number;
  /** The matching passage, split into plain-text runs with the matched words marked. */
  snippet: { text: string; hit: boolean }[];
}

export interface InboxCounts {
  open: number;
  pending: number;
  snoozed: number;
  closed: number;
  /** Open or pending conversations with unread messages: the sidebar badge. */
  unread: number;
  /** Unresolved escalations. */
  escalated: number;
  byAccount: Record<string, { unread: number }>;
}

export interface SavedReplyView {
  id: string;
  title: string;
  content: string;
  shortcut: string | null;
  tags: string[];
  useCount: number;
}

export interface TriageRules {
  flaggedKeywords: string[];
  flaggedPhrases: string[];
  ignoreExamples: string[];
  aiEnabledForChats: boolean;
  aiEnabledForComments: boolean;
}

export interface PollStateView {
  accountId: string;
  platform: Platform;
  accountLabel: string;
  intervalMs: number;
  lastPollAt: number | null;
  nextPollAt: number | null;
  lastActivityAt: number | null;
  lastError: string | null;
  /** accounts.metadata.inbox.autoReply: automatic sends allowed for this account. */
  autoReply: boolean;
}
