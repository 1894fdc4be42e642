// One post on the calendar: its time, its accounts' network marks and its first line, coloured by
// account or by status. A button (Enter or a click opens the post); movable posts can also be
// dragged, the rest say why not in their tooltip. A later date of a repeating post is drawn
// lighter, as a repeat: it opens the series' post and does not drag.
import type { CSSProperties, PointerEvent as ReactPointerEvent } from 'react';
import { NetworkMark } from '../accounts/AccountAvatar';
import type { ColourBy } from './calendar-view';
import type { CalendarEntry } from './entries';
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

const REPEAT_REASON = 'A repeat of a series: open it to see the series; drag its first date to move them all.';

export function PostChip({ entry, ctx, variant, style }: { entry: CalendarEntry; ctx: ChipContext; variant: 'chip' | 'block' | 'row'; style?: CSSProperties }) {
  const { post, at, repeat } = entry;
  const movable = repeat === null && isMovable(post) && variant !== 'row';
  const reason = repeat !== null ? REPEAT_REASON : notMovableReason(post);
  const time = clockTime(at, ctx.timezone);
  const networks = [...new Set(post.targets.map((t) => t.platform))];
  const accounts = post.targets.map((t) => t.accountName).join(', ');
  const status = repeat === null ? STATUS_INFO[post.status].label : repeat.isNext ? 'Repeat, next to go out' : at < Date.now() ? 'Repeat, earlier date' : 'Repeat';
  const text = firstLine(post.content, variant === 'row' ? 140 : 60);
  const cls = [
    chipClass(post, ctx),
    `cal-post--${variant}`,
    repeat !== null ? 'is-repeat' : '',
    repeat?.isNext ? 'is-next' : '',
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
      data-repeat={repeat !== null ? String(repeat.index) : undefined}
      data-at={at}
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
      {variant === 'row' ? <span className={`cal-badge cal-tone--${repeat === null ? STATUS_INFO[post.status].tone : 'muted'}`}>{status}</span> : null}
      {post.rrule ? (
        <span className="cal-post__repeat" aria-hidden="true" title={repeat === null ? 'Repeats' : `Repeat ${repeat.index + 1} of the series`}>
          ↻
        </span>
      ) : null}
    </button>
  );
}
