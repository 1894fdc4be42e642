// One message in the thread: who wrote it, when (exact time on hover), incoming, outgoing or a
// private note, a reply's progress (queued, sent, or failed with the reason and Retry), what sent
// it when no one pressed Send, and a link to it on the network.
import { memo } from 'react';
import { ExternalLink } from '../../components/ExternalLink';
import type { Conversation, Message } from './inbox-types';
import { networkName, replyStatus, senderOf } from './labels';
import { MessageText } from './MessageText';
import { clockAt, exactAt } from './inbox-time';

export const MessageItem = memo(function MessageItem({
  m,
  c,
  now,
  timezone,
  retrying,
  onRetry,
  onReplyTo,
  replyTarget,
}: {
  m: Message;
  c: Conversation;
  now: number;
  timezone: string;
  retrying: boolean;
  onRetry(m: Message): void;
  onReplyTo(m: Message): void;
  replyTarget: boolean;
}) {
  const kind = m.isPrivateNote ? 'note' : m.direction === 'inbound' ? 'in' : 'out';
  const status = replyStatus(m);
  return (
    <li className={`ib-msg ib-msg--${kind}${replyTarget ? ' is-reply-target' : ''}`} data-message-id={m.id} data-status={m.status}>
      <div className="ib-msg__head">
        <bdi className="ib-msg__sender">{senderOf(m, c)}</bdi>
        <time className="ib-msg__time" dateTime={new Date(m.sentAt).toISOString()} title={exactAt(m.sentAt, timezone)}>
          {clockAt(m.sentAt, now, timezone)}
        </time>
        {m.automatic === 'followup' ? <span className="ib-chip ib-tone--muted">Sent automatically (follow-up)</span> : null}
        {m.automatic === 'ai' ? <span className="ib-chip ib-tone--muted">Sent automatically (AI auto-reply)</span> : null}
        {status ? (
          <span className={`ib-chip ib-tone--${status.tone}`} data-testid="reply-status">
            {status.label}
          </span>
        ) : null}
      </div>
      <MessageText text={m.content} />
      {m.status === 'failed' && !m.isPrivateNote ? (
        <p className="ib-msg__error" role="status">
          <span>{m.error ?? `${networkName(c.platform)} did not accept this reply.`}</span>{' '}
          <button type="button" className="button button--small" onClick={() => onRetry(m)} disabled={retrying}>
            {retrying ? 'Retrying…' : 'Retry'}
          </button>
        </p>
      ) : null}
      <div className="ib-msg__foot">
        {m.direction === 'inbound' && !m.isPrivateNote ? (
          <button type="button" className="link-button" onClick={() => onReplyTo(m)} aria-pressed={replyTarget}>
            {replyTarget ? 'Replying to this' : 'Reply to this'}
          </button>
        ) : null}
        {m.url ? (
          <ExternalLink url={m.url} className="ib-msg__link">
            Open on {networkName(c.platform)}
          </ExternalLink>
        ) : null}
      </div>
    </li>
  );
});
