// The posts table: a checkbox per row (shift-click ticks a range), the time on the workspace's
// clock, the first line of the text, every account it goes to with that account's own status, and
// the post's status — "Published on 2 of 3" when one network refused.
import type { MouseEvent } from 'react';
import { NetworkMark } from '../accounts/AccountAvatar';
import { platformName } from '../accounts/account-labels';
import { firstLine, type PostView } from '../calendar/post-info';
import { postBadge, postTime, targetLabel } from './posts-labels';
import { exactTime, relativeTime } from './time';

export const rowCheckId = (postId: string) => `queue-post-${postId}`;

export interface PostsTableProps {
  posts: readonly PostView[];
  caption: string;
  now: number;
  timezone: string;
  selected: ReadonlySet<string>;
  currentId: string | null;
  busyIds: ReadonlySet<string>;
  /** 'all' | 'none' | 'some', for the header checkbox. */
  header: 'all' | 'none' | 'some';
  onCheck(post: PostView, range: boolean): void;
  onCheckAll(): void;
  onCurrent(post: PostView): void;
}

function stopTextSelection(e: MouseEvent) {
  // A shift-click ticks a range; it should not also select the text in between.
  if (e.shiftKey) e.preventDefault();
}

export function PostsTable(p: PostsTableProps) {
  return (
    <table className="qtable qp-table">
      <caption className="visually-hidden">{p.caption}</caption>
      <colgroup>
        <col className="qp-col-check" />
        <col className="qp-col-when" />
        <col className="qp-col-post" />
        <col className="qp-col-targets" />
        <col className="qp-col-status" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col" className="qp-cell-check">
            <input
              type="checkbox"
              className="qp-check-input"
              aria-label={p.header === 'all' ? 'Untick all posts shown' : 'Tick all posts shown'}
              checked={p.header === 'all'}
              ref={(el) => {
                if (el) el.indeterminate = p.header === 'some';
              }}
              onChange={() => p.onCheckAll()}
              aria-keyshortcuts="Control+A Meta+A"
            />
          </th>
          <th scope="col">When</th>
          <th scope="col">Post</th>
          <th scope="col">Accounts</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {p.posts.map((post) => {
          const title = firstLine(post.content, 140);
          const badge = postBadge(post);
          const checked = p.selected.has(post.id);
          const current = post.id === p.currentId;
          const busy = p.busyIds.has(post.id);
          const cls = ['qrow', 'qp-row', current ? 'is-current' : '', checked ? 'is-selected' : '', busy ? 'is-busy' : ''].filter(Boolean).join(' ');
          return (
            <tr key={post.id} className={cls} data-post-id={post.id} data-status={post.status} onClick={() => p.onCurrent(post)}>
              <td className="qp-cell-check" onMouseDown={stopTextSelection}>
                <input
                  id={rowCheckId(post.id)}
                  type="checkbox"
                  className="qp-check-input"
                  data-posts-row-check=""
                  checked={checked}
                  aria-label={`Tick “${title}”`}
                  aria-keyshortcuts="x"
                  onFocus={() => p.onCurrent(post)}
                  // The toggle happens on click, where the shift key is known (Space clicks too).
                  onChange={() => undefined}
                  onClick={(e) => p.onCheck(post, e.shiftKey)}
                />
              </td>
              <td className="qcell-when qp-cell-when">
                {post.publishAt === null ? (
                  <span className="muted">No time</span>
                ) : (
                  <>
                    <time dateTime={new Date(post.publishAt).toISOString()} title={exactTime(post.publishAt, post.timezone ?? p.timezone)}>
                      {postTime(post.publishAt, p.now, post.timezone ?? p.timezone)}
                    </time>
                    <span className="qp-when__rel">{relativeTime(post.publishAt, p.now)}</span>
                  </>
                )}
              </td>
              <th scope="row" className="qp-cell-post">
                <span className="qp-post__text" title={post.content.length > 600 ? `${post.content.slice(0, 600)}…` : post.content}>
                  {title}
                </span>
                {post.rrule ? <span className="qtag">Repeats</span> : null}
                {post.media.length > 0 ? <span className="qp-post__media">{post.media.length === 1 ? '1 attachment' : `${post.media.length} attachments`}</span> : null}
              </th>
              <td className="qp-cell-targets">
                {post.targets.length === 0 ? (
                  <span className="muted">No accounts yet</span>
                ) : (
                  <ul className="qp-targets" aria-label={`${post.targets.length === 1 ? '1 account' : `${post.targets.length} accounts`}`}>
                    {post.targets.map((t) => {
                      const l = targetLabel(t, platformName(t.platform));
                      return (
                        <li key={t.id} className={`qp-target qp-tone--${l.tone}`} title={l.title} data-testid="post-target">
                          <NetworkMark platform={t.platform} size="sm" />
                          <span className="qp-target__name">{t.accountName}</span>
                          <span className="qp-target__status">
                            <span className="visually-hidden">: </span>
                            {l.status}
                          </span>
                          {t.errorMessage ? <span className="visually-hidden"> — {t.errorMessage}</span> : null}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </td>
              <td className="qp-cell-status">
                <span className={`chip qp-chip qp-tone--${badge.tone}`} title={badge.help} data-testid="post-status">
                  {badge.label}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
