// The open thread: who it is with and where, its status (open / pending / close), snooze, the
// network's reply window, the messages oldest to newest (older ones load on scrolling to the top),
// the reply box, and beside it the customer and the thread's details.
import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { ExternalLink } from '../../components/ExternalLink';
import { toastError } from '../../stores/ui';
import { NetworkMark } from '../accounts/AccountAvatar';
import { avatarColour, initials } from './avatar';
import { CustomerPanel } from './CustomerPanel';
import type { Message, Status } from './inbox-types';
import { replyWindowInfo } from './inbox-time';
import { accountHandle, KIND_LABEL, networkName, personName } from './labels';
import { MessageItem } from './MessageItem';
import { ReplyBox, type ReplyBoxHandle } from './ReplyBox';
import { SnoozeMenu } from './SnoozeMenu';
import type { ThreadData } from './thread-data';
import { ThreadDetails } from './ThreadDetails';

export interface ThreadPaneHandle {
  focusReply(): void;
  openSnooze(): void;
}

const STATUS_BUTTONS: readonly { id: Status; label: string; key?: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'pending', label: 'Pending' },
  { id: 'closed', label: 'Close', key: 'e' },
];

/** Closer to the top than this loads the older page. */
const OLDER_AT_PX = 120;

export interface ThreadPaneProps {
  data: ThreadData;
  now: number;
  timezone: string;
  sideOpen: boolean;
  onToggleSide(): void;
  onStatus(status: Status): void;
  onSnooze(until: number | null): void;
  onMarkUnread(): void;
  onOpenConversation(id: string): void;
  /** Esc in the reply box. */
  onLeaveReply(): void;
  onChanged(): void;
}

export const ThreadPane = forwardRef<ThreadPaneHandle, ThreadPaneProps>(function ThreadPane(p, ref) {
  const { data } = p;
  const thread = data.thread;
  const reply = useRef<ReplyBoxHandle>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const stick = useRef(true);
  const firstId = data.messages[0]?.id;
  const lastId = data.messages[data.messages.length - 1]?.id;
  const heightBefore = useRef<{ first: string | undefined; height: number; top: number } | null>(null);

  useImperativeHandle(ref, () => ({ focusReply: () => reply.current?.focus(), openSnooze: () => setSnoozeOpen(true) }), []);

  useEffect(() => {
    setReplyTo(null);
    setSnoozeOpen(false);
    stick.current = true;
  }, [data.conversationId]);

  // Older messages prepended: keep the one being read where it was. A new message at the end:
  // follow it when the reader was at the bottom; otherwise leave the reader where they are.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const before = heightBefore.current;
    if (before && before.first !== firstId) el.scrollTop = before.top + (el.scrollHeight - before.height);
    else if (stick.current) el.scrollTop = el.scrollHeight;
    heightBefore.current = { first: firstId, height: el.scrollHeight, top: el.scrollTop };
  }, [firstId, lastId, data.conversationId]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    heightBefore.current = { first: firstId, height: el.scrollHeight, top: el.scrollTop };
    if (el.scrollTop < OLDER_AT_PX && data.hasOlder && !data.loadingOlder) void data.loadOlder();
  };

  if (data.status === 'idle') {
    return (
      <section className="ib-thread ib-thread--empty" aria-label="Conversation">
        <div className="empty">
          <p className="empty__title">No conversation open</p>
          <p className="empty__text">Pick one from the list, or press J and Enter.</p>
        </div>
      </section>
    );
  }
  if (data.status === 'error') {
    return (
      <section className="ib-thread ib-thread--empty" aria-label="Conversation">
        <p className="inline-error ib-pad" role="alert">
          Could not open this conversation: {messageOf(data.error)}{' '}
          <button type="button" className="link-button" onClick={() => void data.reload()}>
            Try again
          </button>
        </p>
      </section>
    );
  }
  if (!thread) {
    return (
      <section className="ib-thread ib-thread--empty" aria-label="Conversation" aria-busy="true">
        <p className="muted ib-pad">Opening…</p>
      </section>
    );
  }

  const c = thread.conversation;
  const name = personName(c);
  const windowInfo = replyWindowInfo(thread.replyWindow, p.now);
  const onNetwork = [...data.messages].reverse().find((m) => m.url !== null && m.direction === 'inbound')?.url ?? null;
  const latestInbound = [...data.messages].reverse().find((m) => m.direction === 'inbound' && !m.isPrivateNote) ?? null;
  const replyTarget = replyTo ?? null;

  const retry = async (m: Message) => {
    setRetrying((s) => new Set(s).add(m.id));
    try {
      await call('inbox.retryReply', { messageId: m.id });
    } catch (err) {
      toastError('Could not retry the reply', err);
    } finally {
      setRetrying((s) => {
        const n = new Set(s);
        n.delete(m.id);
        return n;
      });
      p.onChanged();
    }
  };

  return (
    <section className="ib-thread" aria-label={`Conversation with ${name}`} data-testid="inbox-thread" data-conversation-id={c.id}>
      <header className="ib-thread__head">
        <span className={`ib-avatar ib-avatar--${avatarColour(c.customerIdentifier || name)}`} aria-hidden="true">
          {initials(c.customerName, c.customerIdentifier)}
        </span>
        <div className="ib-thread__who">
          <h2 className="ib-thread__name">
            <bdi>{name}</bdi>
          </h2>
          <p className="ib-thread__via">
            <NetworkMark platform={c.platform} size="sm" /> {networkName(c.platform)} {KIND_LABEL[c.kind].toLowerCase()} via <bdi>{accountHandle(c.accountLabel)}</bdi>
            {c.customerName && c.customerIdentifier ? (
              <>
                {' · '}
                <bdi className="muted">{c.customerIdentifier}</bdi>
              </>
            ) : null}
            {onNetwork ? (
              <>
                {' · '}
                <ExternalLink url={onNetwork}>Open on {networkName(c.platform)}</ExternalLink>
              </>
            ) : null}
          </p>
        </div>
        <div className="ib-thread__actions">
          <div className="segmented ib-status" role="group" aria-label="Status">
            {STATUS_BUTTONS.map((s) => (
              <button
                key={s.id}
                type="button"
                className="segmented__option"
                aria-pressed={c.status === s.id}
                aria-keyshortcuts={s.key}
                title={s.key ? `${s.label} (${s.key.toUpperCase()})` : undefined}
                onClick={() => c.status !== s.id && p.onStatus(s.id)}
              >
                {s.id === 'closed' && c.status === 'closed' ? 'Closed' : s.label}
              </button>
            ))}
          </div>
          <SnoozeMenu open={snoozeOpen} onOpenChange={setSnoozeOpen} snoozedUntil={c.snoozedUntil} now={p.now} timezone={p.timezone} onSnooze={p.onSnooze} />
          <button type="button" className="button button--small" onClick={p.onMarkUnread} disabled={c.unreadCount > 0}>
            Mark unread
          </button>
          <button type="button" className="button button--small" aria-expanded={p.sideOpen} aria-controls="ib-side" onClick={p.onToggleSide}>
            Customer
          </button>
        </div>
      </header>
      <div className="ib-thread__body">
        <div className="ib-thread__main">
          {windowInfo.text ? (
            <p className={`ib-window${windowInfo.canReply ? (windowInfo.urgent ? ' is-urgent' : '') : ' is-closed'}`} role="note" data-testid="reply-window">
              {windowInfo.text}
            </p>
          ) : null}
          {data.refreshError ? (
            <p className="inline-error ib-pad" role="status">
              This conversation may be out of date: {messageOf(data.refreshError)}
            </p>
          ) : null}
          <div ref={scroller} className="ib-messages" onScroll={onScroll} tabIndex={-1}>
            {data.hasOlder ? (
              <p className="ib-messages__older">
                <button type="button" className="link-button" onClick={() => void data.loadOlder()} disabled={data.loadingOlder}>
                  {data.loadingOlder ? 'Loading older messages…' : 'Load older messages'}
                </button>
              </p>
            ) : (
              <p className="ib-messages__start muted">Start of the conversation</p>
            )}
            <ol className="ib-messages__list" aria-label="Messages">
              {data.messages.map((m) => (
                <MessageItem
                  key={m.id}
                  m={m}
                  c={c}
                  now={p.now}
                  timezone={p.timezone}
                  retrying={retrying.has(m.id)}
                  onRetry={retry}
                  onReplyTo={(msg) => {
                    setReplyTo(msg.id === latestInbound?.id ? null : msg);
                    reply.current?.focus();
                  }}
                  replyTarget={replyTarget?.id === m.id}
                />
              ))}
            </ol>
          </div>
          <ReplyBox
            ref={reply}
            conversation={c}
            canReply={windowInfo.canReply}
            closedReason={windowInfo.canReply ? null : windowInfo.text}
            replyTo={replyTarget ?? latestInbound}
            replyToChosen={replyTarget !== null}
            onClearReplyTo={() => setReplyTo(null)}
            onLeave={p.onLeaveReply}
            onSent={() => {
              stick.current = true;
              setReplyTo(null);
              p.onChanged();
            }}
          />
        </div>
        {p.sideOpen ? (
          <div id="ib-side" className="ib-side">
            <CustomerPanel customer={thread.customer} currentId={c.id} now={p.now} timezone={p.timezone} onOpen={p.onOpenConversation} onChanged={p.onChanged} />
            <ThreadDetails thread={thread} now={p.now} timezone={p.timezone} onChanged={p.onChanged} />
          </div>
        ) : null}
      </div>
    </section>
  );
});
