// The schedule's date and time fields are read in the workspace's timezone, not the browser's:
// a marketer in Lisbon scheduling for a Paris shop types Paris time. The zone arithmetic is the
// scheduler's own module (pure Intl), so the composer and the engine agree to the millisecond.
import { instantOf, wallTimeAt, type WallTime } from '../../../electron/scheduler/zoned-time';

export { instantOf, wallTimeAt, type WallTime };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** What `<input type="date">` and `<input type="time">` show for an instant in `tz`. */
export function toInputs(ms: number, tz: string): { date: string; time: string } {
  const w = wallTimeAt(ms, tz);
  return { date: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** The instant for a date ('YYYY-MM-DD') and time ('HH:MM') typed in `tz`; null when either is incomplete. */
export function fromInputs(date: string, time: string, tz: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const wall: WallTime = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]), second: Number(t[3] ?? 0) };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59) return null;
  // 31 February is not a date: Date.UTC would roll it into March without a word.
  const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (check.getUTCDate() !== wall.day) return null;
  return instantOf(wall, tz);
}

/** "UTC+02:00" for a zone at an instant. */
export function offsetLabel(tz: string, at: number): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date(at))
      .find((p) => p.type === 'timeZoneName');
    return part?.value.replace('GMT', 'UTC') || 'UTC';
  } catch {
    return '';
  }
}

/** "Europe/Paris" as people read it: "Paris (UTC+02:00)". */
export function zoneLabel(tz: string, at: number): string {
  const city = tz.includes('/') ? tz.slice(tz.lastIndexOf('/') + 1).replace(/_/g, ' ') : tz;
  const offset = offsetLabel(tz, at);
  return offset && city !== 'UTC' ? `${city} (${offset})` : city;
}

/** "Tue 14 Oct, 09:30" in `tz`, with the year when it is not this year's. */
export function whenText(ms: number, tz: string, now: number, locale?: string): string {
  const sameYear = wallTimeAt(ms, tz).year === wallTimeAt(now, tz).year;
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone: tz,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(sameYear ? {} : { year: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}
