// Times in the inbox: a compact "time ago" for scanning the list, the reply window as a countdown
// in words, and the snooze menu's moments on the workspace's clock (so "tomorrow 9:00" is 9:00
// where the business is, whatever this machine's zone). Pure, so it is unit-tested.
import { civilDate, dayOf, weekdayOf, zonedTimeToEpoch } from '../calendar/zoned';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Building an Intl.DateTimeFormat costs far more than formatting with one, and a scrolling list
// formats a few hundred times a second: formatters are made once per options, zone and locale.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(opts: Intl.DateTimeFormatOptions, timezone: string | undefined, locale: string | undefined): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timezone ?? ''}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, ...(timezone ? { timeZone: timezone } : {}) });
    } catch {
      // An unknown zone (a workspace edited on a newer system): the machine's clock beats nothing.
      f = new Intl.DateTimeFormat(locale, opts);
    }
    formatters.set(key, f);
  }
  return f;
}

/** "Tue, 24 Nov 2026, 02:30:00 (Europe/Paris)": the exact moment, for a hover title. */
export function exactAt(at: number, timezone: string | undefined, locale?: string): string {
  const f = formatter({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }, timezone, locale);
  return `${f.format(new Date(at))} (${f.resolvedOptions().timeZone})`;
}

/** "14:05" today, "Tue 24 Nov, 14:05" another day, on the zone's calendar: a message's time. */
export function clockAt(at: number, now: number, timezone: string | undefined, locale?: string): string {
  const day = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }, timezone, locale);
  const sameDay = day.format(new Date(at)) === day.format(new Date(now));
  const opts: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return formatter(opts, timezone, locale).format(new Date(at));
}

/** "now", "5m", "3h", "2d", then a date ("4 Mar", "4 Mar 2024"): short enough for a list row. */
export function timeAgo(at: number | null, now: number, timezone?: string, locale?: string): string {
  if (at === null || !Number.isFinite(at)) return '';
  const diff = now - at;
  // A clock a little ahead (another device's message) is still "now", not "in 2 min".
  if (diff < MINUTE) return 'now';
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)}m`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)}h`;
  if (diff < 7 * DAY) return `${Math.floor(diff / DAY)}d`;
  const year = formatter({ year: 'numeric' }, timezone, locale);
  const sameYear = year.format(new Date(at)) === year.format(new Date(now));
  return formatter(sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }, timezone, locale).format(new Date(at));
}

/** "3 h 12 min", "45 min", "2 days 4 h", "less than a minute": how long something still lasts. */
export function durationLeft(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  const totalMin = Math.floor(ms / MINUTE);
  if (totalMin < 60) return `${totalMin} min`;
  const totalH = Math.floor(totalMin / 60);
  if (totalH < 24) {
    const m = totalMin % 60;
    return m === 0 ? `${totalH} h` : `${totalH} h ${m} min`;
  }
  const days = Math.floor(totalH / 24);
  const h = totalH % 24;
  const d = days === 1 ? '1 day' : `${days} days`;
  return h === 0 ? d : `${d} ${h} h`;
}

export interface ReplyWindowInfo {
  canReply: boolean;
  /** What to tell the user, or null when there is nothing to say (no window on this network). */
  text: string | null;
  /** Under an hour left: worth a warning colour. */
  urgent: boolean;
}

/** The network's reply window in words, from the thread's view of it and the current time. */
export function replyWindowInfo(w: { closesAt: number | null; open: boolean; reason: string | null }, now: number): ReplyWindowInfo {
  const closedText = (reason: string | null) => reason ?? 'This network no longer accepts a reply in this thread.';
  if (!w.open) return { canReply: false, text: closedText(w.reason), urgent: false };
  if (w.closesAt === null) return { canReply: true, text: null, urgent: false };
  const left = w.closesAt - now;
  // The view was read a while ago; the clock may have run past it since.
  if (left <= 0)
    return { canReply: false, text: closedText(w.reason ?? 'The reply window has closed: this network only allows a reply for a limited time after the customer last wrote.'), urgent: false };
  return { canReply: true, text: `You can reply for ${durationLeft(left)}`, urgent: left < HOUR };
}

export interface SnoozeChoice {
  id: 'hour' | 'tomorrow' | 'next-week';
  label: string;
  until: number;
}

/** The snooze menu's fixed choices: in an hour, tomorrow 9:00, next Monday 9:00 (workspace clock). */
export function snoozeChoices(now: number, timezone: string): SnoozeChoice[] {
  const today = dayOf(now, timezone);
  const nineOn = (day: number) => zonedTimeToEpoch({ ...civilDate(day), hour: 9, minute: 0, second: 0, millisecond: 0 }, timezone);
  // weekdayOf: 0 = Sunday. "Next week" is the coming Monday, a full week ahead when today is Monday.
  const toMonday = (8 - weekdayOf(today)) % 7 || 7;
  return [
    { id: 'hour', label: '1 hour', until: now + HOUR },
    { id: 'tomorrow', label: 'Tomorrow 9:00', until: nineOn(today + 1) },
    { id: 'next-week', label: 'Next week (Monday 9:00)', until: nineOn(today + toMonday) },
  ];
}
