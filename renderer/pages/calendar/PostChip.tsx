// One post on the calendar: its time, its accounts' network marks and its first line, coloured by
// account or by status. A button (Enter or a click opens the post); movable posts can also be
// dragged, the rest say why not in their tooltip.
import type { CSSProperties, PointerEvent as ReactPointerEvent } from 'react';
import { NetworkMark } from '../accounts/AccountAvatar';
import type { ColourBy } from './calendar-view';
import { clockTime } from './labels';
import { firstLine, isMovable, notMovableReason, STATUS_INFO, type PostView } from './post-info';

export const DRAG_HINT_ID = 'cal-drag-hint';

/** Coloured by account, a chip still shows at a glance what already happened to it. */
const STATE_GLYPH: Partial<Record<PostView['status'], string>> = {
  published: '✓',
  partially_published: '◐',
  publishing: '…',
  failed: '!',
  pending_approval: '?',
};

export interface ChipContext {
  timezone: string;
  colourBy: ColourBy;
  colourOf: (accountId: string) => number;
  selectedId: string | null;
  moving: ReadonlySet<string>;
  draggingId: string | null;
  onOpen: (post: PostView, opener: HTMLElement) => void;
  onPointerDown: (post: PostView, e: ReactPointerEvent<HTMLElement>) => void;
}

export function chipClass(post: PostView, ctx: Pick<ChipContext, 'colourBy' | 'colourOf'>): string {
  const tone = STATUS_INFO[post.status].tone;
  const first = post.targets[0];
  const colour = ctx.colourBy === 'status' ? `cal-tone--${tone}` : first ? `cal-acc--${ctx.colourOf(first.accountId)}` : 'cal-tone--muted';
  return `cal-post ${colour} cal-post--${post.status}`;
}

export function PostChip({ post, ctx, variant, style }: { post: PostView; ctx: ChipContext; variant: 'chip' | 'block' | 'row'; style?: CSSProperties }) {
  const at = post.publishAt ?? 0;
  const movable = isMovable(post) && variant !== 'row';
  const reason = notMovableReason(post);
  const time = clockTime(at, ctx.timezone);
  const networks = [...new Set(post.targets.map((t) => t.platform))];
  const accounts = post.targets.map((t) => t.accountName).join(', ');
  const status = STATUS_INFO[post.status].label;
  const text = firstLine(post.content, variant === 'row' ? 140 : 60);
  const cls = [
    chipClass(post, ctx),
    `cal-post--${variant}`,
    movable ? 'is-movable' : 'is-fixed',
    ctx.selectedId === post.id ? 'is-selected' : '',
    ctx.moving.has(post.id) ? 'is-moving' : '',
    ctx.draggingId === post.id ? 'is-dragged' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type="button"
      className={cls}
      style={style}
      data-post-id={post.id}
      data-status={post.status}
      aria-label={`${time}, ${status}${accounts ? `, ${accounts}` : ''}: ${text}`}
      aria-describedby={movable ? DRAG_HINT_ID : undefined}
      aria-current={ctx.selectedId === post.id ? 'true' : undefined}
      title={reason ?? undefined}
      onClick={(e) => ctx.onOpen(post, e.currentTarget)}
      onPointerDown={movable ? (e) => ctx.onPointerDown(post, e) : undefined}
    >
      <span className="cal-post__time">{time}</span>
      {STATE_GLYPH[post.status] ? (
        <span className="cal-post__state" aria-hidden="true">
          {STATE_GLYPH[post.status]}
        </span>
      ) : null}
      <span className="cal-post__nets" aria-hidden="true">
        {networks.slice(0, 3).map((n) => (
          <NetworkMark key={n} platform={n} size="sm" />
        ))}
      </span>
      <span className="cal-post__text">{text}</span>
      {variant === 'row' ? <span className={`cal-badge cal-tone--${STATUS_INFO[post.status].tone}`}>{status}</span> : null}
      {post.rrule ? (
        <span className="cal-post__repeat" aria-hidden="true" title="Repeats">
          ↻
        </span>
      ) : null}
    </button>
  );
}
