// One row of the inbox list, at a fixed height (the virtual list's arithmetic depends on it): the
// unread dot, initials on a colour from the name, who it is, the network and account it came
// through, when, the last message on one line, and the chips that matter for triage. Every
// stranger-controlled string is React text inside <bdi>, so a right-to-left override in a name
// cannot flip the rest of the row.
import { memo } from 'react';
import { NetworkMark } from '../accounts/AccountAvatar';
import { avatarColour, initials } from './avatar';
import type { Conversation } from './inbox-types';
import { exactAt, timeAgo } from './inbox-time';
import { accountHandle, KIND_LABEL, networkName, personName, PRIORITY_INFO, TRIAGE_INFO } from './labels';
import { oneLine } from './safe-text';

/** More than a row ever shows (the rest is an ellipsis); shaping text no one sees costs frames. */
const PREVIEW_CHARS = 110;

export const rowDomId = (index: number) => `ib-row-${index}`;

export const ConversationRow = memo(function ConversationRow({
  c,
  index,
  total,
  top,
  cursor,
  open,
  now,
  timezone,
  onActivate,
}: {
  c: Conversation;
  index: number;
  total: number;
  top: number;
  cursor: boolean;
  open: boolean;
  now: number;
  timezone: string;
  onActivate(id: string, index: number): void;
}) {
  const name = personName(c);
  const unread = c.unreadCount > 0;
  const preview = oneLine(c.lastMessagePreview, PREVIEW_CHARS) || '(no text)';
  const handle = accountHandle(c.accountLabel);
  const ago = timeAgo(c.lastMessageAt, now, timezone);
  const chips: { text: string; cls: string; title?: string }[] = [];
  if (c.escalated) chips.push({ text: 'Escalated', cls: 'ib-chip ib-tone--danger' });
  if (c.priority === 'urgent' || c.priority === 'high') chips.push({ text: PRIORITY_INFO[c.priority].label, cls: `ib-chip ib-tone--${PRIORITY_INFO[c.priority].tone}` });
  if (c.triage && !(c.triage === 'escalate' && c.escalated))
    chips.push({ text: TRIAGE_INFO[c.triage].label, cls: `ib-chip ib-tone--${TRIAGE_INFO[c.triage].tone}`, title: TRIAGE_INFO[c.triage].hint });
  for (const t of c.tags.slice(0, 2)) chips.push({ text: oneLine(t, 30), cls: 'ib-chip ib-chip--tag' });
  const cls = ['ib-row', unread ? 'is-unread' : '', cursor ? 'is-cursor' : '', open ? 'is-open' : '', c.escalated ? 'is-escalated' : ''].filter(Boolean).join(' ');
  // What a screen reader says for the row, in one label; the visible parts are hidden from it. It
  // also keeps the row to a dozen elements: every element costs as the list scrolls.
  const label = [name, unread ? `${c.unreadCount} unread` : '', `${networkName(c.platform)} ${KIND_LABEL[c.kind]} via ${handle}`, ago, ...chips.map((x) => x.text), preview].filter(Boolean).join(', ');
  return (
    <div
      id={rowDomId(index)}
      role="option"
      aria-selected={cursor}
      aria-current={open ? 'true' : undefined}
      aria-posinset={index + 1}
      aria-setsize={total}
      aria-label={label}
      className={cls}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="inbox-row"
      data-conversation-id={c.id}
      data-index={index}
      onClick={() => onActivate(c.id, index)}
    >
      <span className={`ib-avatar ib-avatar--${avatarColour(c.customerIdentifier || name)}`} aria-hidden="true">
        {initials(c.customerName, c.customerIdentifier)}
      </span>
      {/* The name, the handle and the preview are isolated in CSS (unicode-bidi: isolate, as <bdi>
          would), so a right-to-left override in them cannot reorder the rest of the row. */}
      <span className="ib-row__main" aria-hidden="true">
        <span className="ib-row__top">
          <span className="ib-row__name">{name}</span>
          <time
            className="ib-row__time"
            dateTime={c.lastMessageAt !== null ? new Date(c.lastMessageAt).toISOString() : undefined}
            // The exact time only when pointed at: formatting it for every row that scrolls past is waste.
            onPointerEnter={(e) => {
              if (c.lastMessageAt !== null) e.currentTarget.title = exactAt(c.lastMessageAt, timezone);
            }}
          >
            {ago}
          </time>
        </span>
        <span className="ib-row__meta">
          <NetworkMark platform={c.platform} size="sm" />
          <span className="ib-row__via">
            {KIND_LABEL[c.kind]} via {handle}
          </span>
          {chips.map((x) => (
            <span key={x.text} className={x.cls} title={x.title}>
              {x.text}
            </span>
          ))}
        </span>
        <span className="ib-row__preview">{preview}</span>
      </span>
    </div>
  );
});

/** A row not loaded yet: the same frame, greyed, so the list never jumps when it arrives. */
export const PlaceholderRow = memo(function PlaceholderRow({ index, total, top }: { index: number; total: number; top: number }) {
  return (
    <div
      id={rowDomId(index)}
      role="option"
      aria-selected={false}
      aria-posinset={index + 1}
      aria-setsize={total}
      aria-busy="true"
      aria-label="Loading…"
      className="ib-row is-placeholder"
      data-testid="inbox-row-placeholder"
      data-placeholder="true"
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className="ib-avatar" aria-hidden="true" />
      <span className="ib-row__bars" aria-hidden="true" />
    </div>
  );
});
