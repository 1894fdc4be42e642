// The week view: seven day columns by 24 wall-clock hours, each post placed at its minute (posts
// close together side by side), a line at the current time, and while dragging, the slot the post
// would land in.
import { useEffect, useMemo, useRef } from 'react';
import { dayLabel, isoDay, weekdayNames, type Weekday } from './grid';
import { clockTime, hourLabel } from './labels';
import { BLOCK_MINUTES, layoutDay, SLOT_MINUTES } from './placement';
import type { CalendarEntry } from './entries';
import { PostChip, type ChipContext } from './PostChip';
import type { DropTarget } from './usePostDrag';
import { civilDate, minuteOfDay, type DayNumber } from './zoned';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
/** Where the view opens when nothing earlier is planned: the working day. */
const DEFAULT_FIRST_HOUR = 7;
const pct = (minutes: number) => `${(minutes / (24 * 60)) * 100}%`;

export function WeekView({
  days,
  weekStart,
  today,
  now,
  postsByDay,
  ctx,
  dropTarget,
  label,
}: {
  days: DayNumber[];
  weekStart: Weekday;
  today: DayNumber;
  now: number;
  postsByDay: ReadonlyMap<DayNumber, CalendarEntry[]>;
  ctx: ChipContext;
  dropTarget: DropTarget | null;
  label: string;
}) {
  const names = weekdayNames(weekStart);
  const scroller = useRef<HTMLDivElement>(null);
  const columns = useMemo(
    () => days.map((day) => ({ day, placed: layoutDay((postsByDay.get(day) ?? []).map((e) => ({ item: e, minutes: minuteOfDay(e.at, ctx.timezone) }))) })),
    [days, postsByDay, ctx.timezone],
  );
  const weekKey = days[0];
  const hasPosts = columns.some((c) => c.placed.length > 0);
  const firstMinute = Math.min(DEFAULT_FIRST_HOUR * 60, ...columns.flatMap((c) => c.placed.map((p) => p.minutes)));

  // Open each week at its first post or the working day, whichever is earlier.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const body = el.querySelector<HTMLElement>('.cal-week__body');
    const hourPx = (body?.offsetHeight ?? 0) / 24;
    el.scrollTop = Math.max(0, Math.floor(firstMinute / 60) * hourPx - hourPx / 2);
    // Only when the week changes (or its first posts arrive), not on every refresh of its posts.
  }, [weekKey, hasPosts]);

  const nowMinute = minuteOfDay(now, ctx.timezone);
  return (
    <div className="cal-week" role="table" aria-label={label} data-testid="calendar-week">
      <div className="cal-week__head" role="row">
        <div className="cal-week__corner" role="columnheader">
          <span className="visually-hidden">Time</span>
        </div>
        {days.map((day, i) => (
          <div key={day} role="columnheader" className={day === today ? 'cal-week__day is-today' : 'cal-week__day'} aria-current={day === today ? 'date' : undefined} aria-label={dayLabel(day)}>
            <span className="cal-week__weekday">{names[i]}</span>
            <span className="cal-week__date">{civilDate(day).day}</span>
          </div>
        ))}
      </div>
      <div className="cal-week__scroll" ref={scroller}>
        <div className="cal-week__body" role="row">
          <div className="cal-week__gutter" role="rowheader" aria-hidden="true">
            {HOURS.map((h) => (
              <span key={h} className="cal-week__hour" style={{ top: pct(h * 60) }}>
                {h === 0 ? '' : hourLabel(h)}
              </span>
            ))}
          </div>
          {columns.map(({ day, placed }) => (
            <div
              key={day}
              role="cell"
              aria-label={`${dayLabel(day)}: ${placed.length === 0 ? 'no posts' : placed.length === 1 ? '1 post' : `${placed.length} posts`}`}
              className={['cal-week__col', day === today ? 'is-today' : '', dropTarget?.day === day ? 'is-drop-target' : ''].filter(Boolean).join(' ')}
              data-drop-day={isoDay(day)}
              data-drop-slots=""
            >
              {placed.map((p) => (
                <PostChip
                  key={p.item.key}
                  entry={p.item}
                  ctx={ctx}
                  variant="block"
                  style={{ top: pct(p.minutes), height: pct(BLOCK_MINUTES), left: `${(p.lane / p.lanes) * 100}%`, width: `${100 / p.lanes}%` }}
                />
              ))}
              {dropTarget?.day === day && dropTarget.minutes !== null ? (
                <div className="cal-week__slot" style={{ top: pct(dropTarget.minutes), height: pct(Math.max(SLOT_MINUTES, BLOCK_MINUTES)) }} aria-hidden="true">
                  {hourLabel(Math.floor(dropTarget.minutes / 60)).slice(0, 3)}
                  {String(dropTarget.minutes % 60).padStart(2, '0')}
                </div>
              ) : null}
              {day === today ? <div className="cal-week__now" style={{ top: pct(nowMinute) }} title={`Now: ${clockTime(now, ctx.timezone)}`} aria-hidden="true" /> : null}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
