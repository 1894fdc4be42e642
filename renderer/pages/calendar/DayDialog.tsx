// "+N more": every post of one day in a list, each opening its details.
import { useEffect, useMemo, useRef } from 'react';
import { Dialog } from '../../components/Dialog';
import { dayLabel } from './grid';
import type { CalendarEntry } from './entries';
import { PostChip, type ChipContext } from './PostChip';
import type { DayNumber } from './zoned';

export function DayDialog({ day, posts, ctx, onClose }: { day: DayNumber | null; posts: CalendarEntry[]; ctx: ChipContext; onClose: () => void }) {
  // Opening a post hands the focus to its panel, not back to "+N more".
  const restoreFocus = useRef(true);
  useEffect(() => {
    if (day !== null) restoreFocus.current = true;
  }, [day]);
  const rowCtx = useMemo<ChipContext>(
    () => ({
      ...ctx,
      onOpen: (post, el) => {
        restoreFocus.current = false;
        ctx.onOpen(post, el);
      },
    }),
    [ctx],
  );
  return (
    <Dialog
      open={day !== null}
      onClose={onClose}
      title={day !== null ? dayLabel(day) : ''}
      description={posts.length === 1 ? '1 post' : `${posts.length} posts`}
      className="cal-day-dialog"
      restoreFocus={restoreFocus}
    >
      <div className="cal-day-dialog__list">
        {posts.map((e) => (
          <PostChip key={e.key} entry={e} ctx={rowCtx} variant="row" />
        ))}
      </div>
    </Dialog>
  );
}
