// The schedule's date and time fields are read in the workspace's timezone, not the browser's:
// a marketer in Lisbon scheduling for a Paris shop types Paris time. Intl only, so the result
// never depends on this machine's zone. The rules match electron/scheduler/zoned-time (a wall
// time skipped by spring-forward moves forward; one that occurs twice means the first), which
// the unit test checks against the core's module; the renderer may not import scheduler code.

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function wallTimeAt(ms: number, tz: string): WallTime {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

const wallAsUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

function offsetAt(ms: number, tz: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallTimeAt(whole, tz)) - whole;
}

/** The instant the clocks in `tz` show `wall` (in a gap: shifted forward; in an overlap: the first). */
export function instantOf(wall: WallTime, tz: string): number {
  const asUtc = wallAsUtc(wall);
  const before = offsetAt(asUtc - 12 * 3_600_000, tz);
  const after = offsetAt(asUtc + 12 * 3_600_000, tz);
  const candidates = [asUtc - before, asUtc - after]
    .filter((c, i, a) => a.indexOf(c) === i)
    .filter((c) => wallAsUtc(wallTimeAt(c, tz)) === asUtc)
    .sort((a, b) => a - b);
  return candidates[0] ?? asUtc - before;
}

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
