// The inbox's words for its states, and who a conversation is with — one place, so the list, the
// thread and the customer panel say the same thing.
import { platformName } from '../accounts/account-labels';
import type { Conversation, LifecycleStage, Message, Priority, Triage } from './inbox-types';
import { oneLine } from './safe-text';

export type Tone = 'accent' | 'success' | 'warning' | 'danger' | 'muted';

export const PRIORITY_INFO: Record<Priority, { label: string; tone: Tone }> = {
  urgent: { label: 'Urgent', tone: 'danger' },
  high: { label: 'High', tone: 'warning' },
  normal: { label: 'Normal', tone: 'muted' },
  low: { label: 'Low', tone: 'muted' },
};

export const TRIAGE_INFO: Record<Triage, { label: string; tone: Tone; hint: string }> = {
  respond: { label: 'Respond', tone: 'accent', hint: 'Triage says this needs an answer' },
  escalate: { label: 'Escalate', tone: 'danger', hint: 'Triage says a person should look at this' },
  ignore: { label: 'Ignore', tone: 'muted', hint: 'Triage says this needs no answer' },
};

export const KIND_LABEL: Record<Conversation['kind'], string> = {
  dm: 'DM',
  comment_thread: 'Comments',
  mention: 'Mention',
};

export const STAGE_LABEL: Record<LifecycleStage, string> = {
  lead: 'Lead',
  prospect: 'Prospect',
  customer: 'Customer',
  repeat_customer: 'Repeat customer',
  churned: 'Churned',
};

/** Who the conversation is with, on one line (their name, else their handle). */
export function personName(c: Pick<Conversation, 'customerName' | 'customerIdentifier'>): string {
  return oneLine(c.customerName, 120) || oneLine(c.customerIdentifier, 120) || 'Unknown sender';
}

/** "@kofi.bsky.social" for the "via" line: handles get their @, names stay as they are. */
export function accountHandle(label: string): string {
  const l = oneLine(label, 80);
  return l.includes(' ') || l.startsWith('@') || l === '' ? l : `@${l}`;
}

export function networkName(platform: string): string {
  return platformName(platform, null);
}

/** The sender line of a message in the thread. */
export function senderOf(m: Message, c: Conversation): string {
  if (m.isPrivateNote) return 'Private note';
  if (m.direction === 'outbound') return m.automatic === 'followup' ? 'Follow-up' : m.automatic === 'ai' ? 'AI reply' : `You, via ${accountHandle(c.accountLabel)}`;
  return oneLine(m.senderName, 120) || personName(c);
}

/** A reply's progress in words (null for messages that simply arrived). */
export function replyStatus(m: Message): { label: string; tone: Tone } | null {
  if (m.direction !== 'outbound' || m.isPrivateNote) return null;
  switch (m.status) {
    case 'pending':
      return { label: 'Queued to send', tone: 'accent' };
    case 'failed':
      return { label: 'Not sent', tone: 'danger' };
    case 'sent':
      return { label: 'Sent', tone: 'success' };
    case 'delivered':
      return { label: 'Delivered', tone: 'success' };
    case 'read':
      return { label: 'Read', tone: 'success' };
    default:
      return null;
  }
}
