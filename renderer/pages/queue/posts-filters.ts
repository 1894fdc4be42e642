// The Posts view's filters — status (several), account, and a date range that is either a preset
// (today, the next 7 days, this month) or two chosen days — read from and written to the query of
// the URL's hash, so a reload or a shared link shows the same list. Days are calendar days on the
// workspace's clock: "today" in a Tokyo workspace is Tokyo's today, whatever this machine's zone.
// Pure, so the rules are tested without a browser.
import type { ApiInput } from '../../../electron/api';
import { isoDay, parseIsoDay } from '../calendar/grid';
import { STATUS_INFO, type PostStatus } from '../calendar/post-info';
import { civilDate, dayNumber, startOfDay, type DayNumber } from '../calendar/zoned';

/** In the order a marketer looks for them: what is coming, what went out, what is still being written. */
export const POST_STATUS_ORDER: readonly PostStatus[] = [
  'scheduled',
  'publishing',
  'published',
  'partially_published',
  'failed',
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'cancelled',
];

export const RANGE_PRESETS = ['today', 'next7', 'month'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_LABELS: Readonly<Record<RangePreset, string>> = {
  today: 'Today',
  next7: 'Next 7 days',
  month: 'This month',
};

export type DateRange =
  | { kind: 'any' }
  | { kind: 'preset'; preset: RangePreset }
  /** Either end may be open ("from the 3rd on"). Both are inclusive calendar days. */
  | { kind: 'custom'; from: DayNumber | null; to: DayNumber | null };

export interface PostsFilters {
  /** Empty: every status. */
  statuses: PostStatus[];
  accountId: string | null;
  range: DateRange;
}

export const NO_FILTERS: PostsFilters = { statuses: [], accountId: null, range: { kind: 'any' } };

/** The query keys this view owns; anything else in the query (the view switch) is left alone. */
export const FILTER_KEYS = ['status', 'account', 'range', 'from', 'to'] as const;

const isStatus = (s: string): s is PostStatus => (POST_STATUS_ORDER as readonly string[]).includes(s);
const isPreset = (s: string): s is RangePreset => (RANGE_PRESETS as readonly string[]).includes(s);

/** Filters from the hash's query. Unknown or broken values are dropped, never guessed at. */
export function parseFilters(params: URLSearchParams): PostsFilters {
  const wanted = new Set(
    (params.get('status') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(isStatus),
  );
  const statuses = POST_STATUS_ORDER.filter((s) => wanted.has(s));
  const account = params.get('account')?.trim() || null;
  const preset = params.get('range') ?? '';
  let range: DateRange = { kind: 'any' };
  if (isPreset(preset)) {
    range = { kind: 'preset', preset };
  } else {
    const from = parseIsoDay(params.get('from') ?? '');
    const to = parseIsoDay(params.get('to') ?? '');
    if (from !== null || to !== null) range = { kind: 'custom', from, to };
  }
  return { statuses, accountId: account, range };
}

/** The query with these filters in it (other keys kept), in a stable order so URLs compare equal. */
export function writeFilters(f: PostsFilters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams(base);
  for (const k of FILTER_KEYS) out.delete(k);
  if (f.statuses.length > 0) out.set('status', POST_STATUS_ORDER.filter((s) => f.statuses.includes(s)).join(','));
  if (f.accountId) out.set('account', f.accountId);
  if (f.range.kind === 'preset') out.set('range', f.range.preset);
  if (f.range.kind === 'custom') {
    if (f.range.from !== null) out.set('from', isoDay(f.range.from));
    if (f.range.to !== null) out.set('to', isoDay(f.range.to));
  }
  return out;
}

export function isFiltered(f: PostsFilters): boolean {
  return f.statuses.length > 0 || f.accountId !== null || f.range.kind !== 'any';
}

/** The first and last day (inclusive) a range covers, given today's day on the workspace's clock. */
export function rangeDays(range: DateRange, today: DayNumber): { first: DayNumber | null; last: DayNumber | null } {
  if (range.kind === 'any') return { first: null, last: null };
  if (range.kind === 'custom') {
    const { from, to } = range;
    // Typed the wrong way round: the days between them are still what was meant.
    if (from !== null && to !== null && from > to) return { first: to, last: from };
    return { first: from, last: to };
  }
  if (range.preset === 'today') return { first: today, last: today };
  if (range.preset === 'next7') return { first: today, last: today + 6 };
  const c = civilDate(today);
  const next = c.month === 12 ? { year: c.year + 1, month: 1, day: 1 } : { year: c.year, month: c.month + 1, day: 1 };
  return { first: dayNumber({ year: c.year, month: c.month, day: 1 }), last: dayNumber(next) - 1 };
}

/** posts.list's window: [start of the first day, start of the day after the last) in the zone. */
export function rangeWindow(range: DateRange, today: DayNumber, timezone: string): { from?: number; to?: number } {
  const { first, last } = rangeDays(range, today);
  return {
    ...(first !== null ? { from: startOfDay(first, timezone) } : {}),
    ...(last !== null ? { to: startOfDay(last + 1, timezone) } : {}),
  };
}

export type PostsListQuery = Omit<ApiInput<'posts.list'>, 'limit' | 'offset'>;

export function listQuery(workspaceId: string, f: PostsFilters, today: DayNumber, timezone: string): PostsListQuery {
  return {
    workspaceId,
    ...(f.statuses.length > 0 ? { statuses: [...f.statuses] } : {}),
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...rangeWindow(f.range, today, timezone),
  };
}

/** "Any status", "Scheduled", "Scheduled, Failed", "4 statuses". */
export function statusesLabel(statuses: readonly PostStatus[]): string {
  if (statuses.length === 0) return 'Any status';
  if (statuses.length <= 2) return statuses.map((s) => STATUS_INFO[s].label).join(', ');
  return `${statuses.length} statuses`;
}

function dayText(day: DayNumber, locale: string | undefined, withYear: boolean): string {
  const c = civilDate(day);
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(
    new Date(Date.UTC(c.year, c.month - 1, c.day)),
  );
}

/** The range in words, for the summary line and the screen reader: "Mon 6 Apr – Sun 12 Apr". */
export function rangeLabel(range: DateRange, today: DayNumber, locale?: string): string {
  if (range.kind === 'any') return 'any time';
  const { first, last } = rangeDays(range, today);
  const year = civilDate(today).year;
  const otherYear = (d: DayNumber | null) => d !== null && civilDate(d).year !== year;
  const withYear = otherYear(first) || otherYear(last);
  if (first !== null && last !== null) {
    return first === last ? dayText(first, locale, withYear) : `${dayText(first, locale, withYear)} – ${dayText(last, locale, withYear)}`;
  }
  if (first !== null) return `from ${dayText(first, locale, withYear)}`;
  if (last !== null) return `until ${dayText(last, locale, withYear)}`;
  return 'any time';
}

/** The posts that can carry no time: a date range leaves out drafts without one (posts.list's rule). */
export function hidesUntimed(f: PostsFilters): boolean {
  return f.range.kind !== 'any';
}
