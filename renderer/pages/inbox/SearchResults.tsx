// Search hits: the conversation, when the matching message was sent, and the passage with the
// matched words marked. The snippet arrives as plain-text runs; each run is a React text node (a
// <mark> for a hit), never HTML, so a message holding markup shows it as text.
import { messageOf } from '../../api/client';
import { NetworkMark } from '../accounts/AccountAvatar';
import { avatarColour, initials } from './avatar';
import type { SearchState } from './inbox-search';
import type { SearchHit } from './inbox-types';
import { exactAt, timeAgo } from './inbox-time';
import { accountHandle, KIND_LABEL, personName } from './labels';
import { wellFormed } from './safe-text';

export const hitDomId = (index: number) => `ib-hit-${index}`;

export function Snippet({ parts }: { parts: SearchHit['snippet'] }) {
  return <bdi className="ib-hit__snippet">{parts.map((p, i) => (p.hit ? <mark key={i}>{wellFormed(p.text)}</mark> : <span key={i}>{wellFormed(p.text)}</span>))}</bdi>;
}

export function SearchResults({
  search,
  hits,
  cursor,
  openId,
  now,
  timezone,
  onActivate,
}: {
  search: SearchState;
  hits: readonly SearchHit[];
  cursor: number | null;
  openId: string | null;
  now: number;
  timezone: string;
  onActivate(hit: SearchHit, index: number): void;
}) {
  if (search.status === 'error') {
    return (
      <p className="inline-error ib-pad" role="alert">
        Search failed: {messageOf(search.error)}
      </p>
    );
  }
  if (search.status === 'ready' && hits.length === 0) {
    return (
      <div className="empty ib-pad" data-testid="inbox-search-empty">
        <p className="empty__title">No message matches “{search.query}”</p>
        <p className="empty__text">Search looks for whole words and word starts in every message. Put a phrase in quotes to find it exactly.</p>
      </div>
    );
  }
  if (hits.length === 0) return <p className="muted ib-pad">Searching…</p>;
  return (
    <div
      className={search.status === 'searching' ? 'ib-hits is-busy' : 'ib-hits'}
      role="listbox"
      aria-label="Search results"
      tabIndex={0}
      data-inbox-list=""
      data-testid="inbox-search-results"
      aria-activedescendant={cursor !== null && cursor < hits.length ? hitDomId(cursor) : undefined}
    >
      {hits.map((h, i) => {
        const c = h.conversation;
        const name = personName(c);
        return (
          <div
            key={`${h.messageId}-${i}`}
            id={hitDomId(i)}
            role="option"
            aria-selected={cursor === i}
            aria-current={c.id === openId ? 'true' : undefined}
            className={['ib-hit', cursor === i ? 'is-cursor' : '', c.id === openId ? 'is-open' : '', c.unreadCount > 0 ? 'is-unread' : ''].filter(Boolean).join(' ')}
            data-conversation-id={c.id}
            onClick={() => onActivate(h, i)}
          >
            <span className={`ib-avatar ib-avatar--${avatarColour(c.customerIdentifier || name)}`} aria-hidden="true">
              {initials(c.customerName, c.customerIdentifier)}
            </span>
            <span className="ib-hit__main">
              <span className="ib-row__top">
                <bdi className="ib-row__name">{name}</bdi>
                <time className="ib-row__time" dateTime={new Date(h.sentAt).toISOString()} title={exactAt(h.sentAt, timezone)}>
                  {timeAgo(h.sentAt, now, timezone)}
                </time>
              </span>
              <span className="ib-row__meta">
                <NetworkMark platform={c.platform} size="sm" />
                <span className="ib-row__via">
                  {KIND_LABEL[c.kind]} via <bdi>{accountHandle(c.accountLabel)}</bdi>
                </span>
              </span>
              <Snippet parts={h.snippet} />
            </span>
          </div>
        );
      })}
    </div>
  );
}
