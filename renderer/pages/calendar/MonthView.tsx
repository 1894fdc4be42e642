// The month view: whole weeks from the locale's first weekday, today marked, each day listing its
// posts as chips in time order; a day with more than fits ends in "+N more", which opens the day.
import { cellDateLabel, dayLabel, isoDay, weekdayNames, type MonthGrid, type Weekday } from './grid';
import { visibleInCell } from './placement';
import type { CalendarEntry } from './entries';
import { PostChip, type ChipContext } from './PostChip';
import type { DropTarget } from './usePostDrag';
import { civilDate, type DayNumber } from './zoned';

/** Chip lines a day cell has room for (calendar.css sizes the cell for this many). */
export const CELL_LINES = 3;

export function MonthView({
  grid,
  weekStart,
  today,
  postsByDay,
  ctx,
  dropTarget,
  label,
  onMore,
}: {
  grid: MonthGrid;
  weekStart: Weekday;
  today: DayNumber;
  postsByDay: ReadonlyMap<DayNumber, CalendarEntry[]>;
  ctx: ChipContext;
  dropTarget: DropTarget | null;
  label: string;
  onMore: (day: DayNumber, opener: HTMLElement) => void;
}) {
  const names = weekdayNames(weekStart);
  const longNames = weekdayNames(weekStart, undefined, 'long');
  return (
    <div className="cal-month" role="table" aria-label={label} data-testid="calendar-month">
      <div className="cal-month__head" role="row">
        {names.map((n, i) => (
          <div key={n} className="cal-month__weekday" role="columnheader" aria-label={longNames[i]}>
            {n}
          </div>
        ))}
      </div>
      {grid.weeks.map((week) => (
        <div key={week[0]} className="cal-month__week" role="row">
          {week.map((day) => {
            const posts = postsByDay.get(day) ?? [];
            const { shown, more } = visibleInCell(posts.length, CELL_LINES);
            const outside = civilDate(day).month !== grid.month;
            const cls = ['cal-day', outside ? 'is-outside' : '', day === today ? 'is-today' : '', day < today ? 'is-past' : '', dropTarget?.day === day ? 'is-drop-target' : '']
              .filter(Boolean)
              .join(' ');
            return (
              <div key={day} className={cls} role="cell" data-drop-day={isoDay(day)} aria-current={day === today ? 'date' : undefined}>
                <span className="cal-day__date" aria-label={`${dayLabel(day)}${day === today ? ' (today)' : ''}, ${posts.length === 0 ? 'no posts' : posts.length === 1 ? '1 post' : `${posts.length} posts`}`}>
                  {cellDateLabel(day)}
                </span>
                <div className="cal-day__posts">
                  {posts.slice(0, shown).map((e) => (
                    <PostChip key={e.key} entry={e} ctx={ctx} variant="chip" />
                  ))}
                  {more > 0 ? (
                    <button type="button" className="cal-day__more" onClick={(e) => onMore(day, e.currentTarget)} aria-label={`${more} more on ${dayLabel(day)}: show all ${posts.length}`}>
                      +{more} more
                    </button>
                  ) : null}
                </div>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
