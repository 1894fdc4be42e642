// Where a post sits on the calendar and where a drop sends it. The week view lays days out by
// wall-clock hour (a 09:00 post is at the 09:00 line on every day, DST or not), and a drop keeps
// the wall-clock meaning too: onto another day in the month view it keeps its time of day there,
// onto a slot in the week view it takes that slot's time — both on the workspace's clock.
import { civilDate, wallTime, zonedTimeToEpoch, type DayNumber } from './zoned';

/** The week view's drop granularity. */
export const SLOT_MINUTES = 15;
/** How tall a post block is in the week view, in minutes of the grid (it marks a moment, not a span). */
export const BLOCK_MINUTES = 30;

/**
 * The same wall-clock time as `at`, on `day`, in `timezone` (seconds included). Across a DST
 * change the instant moves by a day ± the change, not by whole 24 hours; a time the target day
 * skips (02:30 on a spring-forward night) lands just after the jump (03:30).
 */
export function moveToDay(at: number, day: DayNumber, timezone: string): number {
  const w = wallTime(at, timezone);
  return zonedTimeToEpoch({ ...w, ...civilDate(day) }, timezone);
}

/** The instant of a week-view slot: `minutes` after midnight on `day`'s wall clock. */
export function slotTime(day: DayNumber, minutes: number, timezone: string): number {
  const m = Math.max(0, Math.min(24 * 60 - 1, Math.round(minutes)));
  return zonedTimeToEpoch({ ...civilDate(day), hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 }, timezone);
}

/** The slot under a point `y` pixels down a day column `height` pixels tall (snapped down to SLOT_MINUTES). */
export function minutesAt(y: number, height: number, slot = SLOT_MINUTES): number {
  if (height <= 0) return 0;
  const raw = (Math.max(0, Math.min(height - 1, y)) / height) * 24 * 60;
  return Math.min(24 * 60 - slot, Math.floor(raw / slot) * slot);
}

export interface Placed<T> {
  item: T;
  /** Minutes after the wall clock's midnight. */
  minutes: number;
  /** Side-by-side position among posts whose blocks overlap. */
  lane: number;
  lanes: number;
}

/**
 * Lay out one day's posts for the week view: each at its minute, and posts whose blocks would
 * overlap side by side (the fewest lanes a greedy sweep needs, shared by the whole overlapping group).
 */
export function layoutDay<T>(items: readonly { item: T; minutes: number }[], block = BLOCK_MINUTES): Placed<T>[] {
  const sorted = [...items].sort((a, b) => a.minutes - b.minutes);
  const out: Placed<T>[] = [];
  let group: Placed<T>[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -Infinity;
  const close = () => {
    for (const p of group) p.lanes = laneEnds.length;
    group = [];
    laneEnds = [];
  };
  for (const { item, minutes } of sorted) {
    if (minutes >= groupEnd) close();
    let lane = laneEnds.findIndex((end) => end <= minutes);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[lane] = minutes + block;
    groupEnd = Math.max(groupEnd, minutes + block);
    const p: Placed<T> = { item, minutes, lane, lanes: 1 };
    group.push(p);
    out.push(p);
  }
  close();
  return out;
}

/** Group items by the day they fall on, each day's list sorted by time. */
export function byDay<T>(items: readonly T[], dayOfItem: (item: T) => DayNumber | null, timeOf: (item: T) => number): Map<DayNumber, T[]> {
  const out = new Map<DayNumber, T[]>();
  for (const it of items) {
    const d = dayOfItem(it);
    if (d === null) continue;
    const list = out.get(d);
    if (list) list.push(it);
    else out.set(d, [it]);
  }
  for (const list of out.values()) list.sort((a, b) => timeOf(a) - timeOf(b));
  return out;
}

/**
 * How many of a day's posts a month cell shows when it has room for `capacity` lines: all of them
 * if they fit, otherwise one line fewer plus a "+N more" line.
 */
export function visibleInCell(count: number, capacity: number): { shown: number; more: number } {
  const cap = Math.max(1, capacity);
  if (count <= cap) return { shown: count, more: 0 };
  return { shown: cap - 1, more: count - (cap - 1) };
}
