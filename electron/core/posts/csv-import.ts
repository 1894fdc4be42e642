// CSV import of posts in two steps: a preview that reads every row and says, per row and in a
// marketer's words, what will be created or what is wrong; then a commit that creates all posts
// at once or none. A bad file never half-imports: fixing row 37 and importing again must not
// duplicate rows 2-36. Row numbers are the ones the spreadsheet shows (header = row 1), so the
// user can go straight to the cell.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLATFORMS, type Platform } from '../../../db/schema/enums';
import { instantOf, isValidTimezone, offsetAt, wallTimeAt, type WallTime } from '../../scheduler/zoned-time';
import { CsvSyntaxError, parseCsv, type CsvDelimiter } from './csv-parse';
import { PLATFORM_NAMES } from '../../platforms/names';

/** Bigger than any schedule a person plans by hand, small enough to preview without a worker. */
export const CSV_MAX_BYTES = 5 * 1024 * 1024;
export const CSV_MAX_ROWS = 2000;

export interface CsvAccount {
  id: string;
  platform: Platform;
  username: string | null;
  displayName: string | null;
}

export interface ParsedPost {
  text: string;
  accountIds: string[];
  /** Epoch ms; null when the row gives no time (the post is imported as a draft). */
  publishAt: number | null;
  /** Absolute paths. */
  mediaPaths: string[];
  firstComment: string | null;
  /** Each with its leading '#', as the posts service stores them. */
  hashtags: string[];
}

export interface CsvImportContext {
  /** The workspace's IANA timezone: times without an offset are wall-clock times there. */
  timezone: string;
  accounts: readonly CsvAccount[];
  now: number;
  /** Called with absolute paths; without it, media paths are not checked on disk. */
  fileExists?: (path: string) => boolean;
  /** Relative media paths are resolved against this (the CSV file's folder); without it they are an error. */
  baseDir?: string;
  /** Per-platform checks (text length, media count...) for a row that is otherwise fine. */
  validate?: (post: ParsedPost) => { errors: string[]; warnings: string[] };
}

export interface CsvRowResult {
  /** The row number a spreadsheet shows for this row. */
  line: number;
  ok: boolean;
  errors: string[];
  warnings: string[];
  post?: ParsedPost;
}

export type CsvField = 'text' | 'accounts' | 'time' | 'media' | 'first_comment' | 'hashtags';

export interface CsvImportPreview {
  rows: CsvRowResult[];
  summary: { total: number; ok: number; failed: number };
  /** About the file as a whole (e.g. a column that was ignored), shown once above the rows. */
  warnings: string[];
  delimiter: CsvDelimiter;
  /** Which header cell each field was read from, so the preview can show the mapping. */
  columns: Partial<Record<CsvField, string>>;
}

export type CsvImportErrorCode =
  | 'too_large'
  | 'too_many_rows'
  | 'malformed'
  | 'bad_header'
  | 'empty'
  | 'rows_failed'
  | 'time_passed';

export class CsvImportError extends Error {
  constructor(
    readonly code: CsvImportErrorCode,
    message: string,
    /** Spreadsheet row numbers of the rows that stopped the import. */
    readonly failedLines: number[] = [],
  ) {
    super(message);
    this.name = 'CsvImportError';
  }
}

const FIELD_ALIASES: Readonly<Record<CsvField, readonly string[]>> = {
  text: ['text', 'content', 'post', 'message'],
  accounts: ['accounts', 'account', 'channels', 'channel', 'profiles', 'profile'],
  time: ['time', 'date', 'publish_at', 'scheduled_at'],
  media: ['media', 'media_path', 'media_paths'],
  first_comment: ['first_comment'],
  hashtags: ['hashtags'],
};
const REQUIRED: readonly CsvField[] = ['text', 'accounts', 'time'];


/** What people type before the colon in `platform:handle` besides our own ids. */
const PLATFORM_ALIASES: Readonly<Record<string, Platform>> = {
  twitter: 'x',
  bsky: 'bluesky',
  fb: 'facebook',
  ig: 'instagram',
  google: 'google_business',
  gbp: 'google_business',
  yt: 'youtube',
};

export function previewCsvImport(text: string, ctx: CsvImportContext): CsvImportPreview {
  if (!isValidTimezone(ctx.timezone)) throw new RangeError(`Unknown timezone "${ctx.timezone}"`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > CSV_MAX_BYTES) {
    throw new CsvImportError('too_large', `This file is ${megabytes(bytes)}; Postdesk imports files up to 5 MB. Split it into smaller files.`);
  }
  let table;
  try {
    table = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CsvImportError('malformed', `${e.message} (line ${e.fileLine} in a text editor)`, [e.row]);
    throw e;
  }
  const headerIndex = table.rows.findIndex((r) => !isBlank(r));
  if (headerIndex < 0) throw new CsvImportError('empty', 'The file is empty. Its first row should name the columns: text, accounts, time.');
  const header = table.rows[headerIndex]!;
  const { columns, indexOf, dateIndex, warnings } = mapHeader(header, headerIndex + 1, table.rows.slice(headerIndex + 1));

  const dataRows = table.rows.map((cells, i) => ({ cells, line: i + 1 })).slice(headerIndex + 1).filter((r) => !isBlank(r.cells));
  if (dataRows.length === 0) throw new CsvImportError('empty', 'The file names its columns but has no posts under them.');
  if (dataRows.length > CSV_MAX_ROWS) {
    throw new CsvImportError(
      'too_many_rows',
      `This file has ${dataRows.length.toLocaleString('en-US')} posts; Postdesk imports up to ${CSV_MAX_ROWS.toLocaleString('en-US')} at a time. Split it into smaller files.`,
    );
  }

  const matcher = accountMatcher(ctx.accounts);
  const seen = new Map<string, number>();
  const rows = dataRows.map(({ cells, line }) => {
    const result = readRow(cells, line, header.length, { indexOf, dateIndex }, matcher, ctx);
    if (result.post) {
      // A row pasted twice is a common slip; two identical posts would look like spam to the network.
      const key = JSON.stringify([result.post.text, [...result.post.accountIds].sort(), result.post.publishAt]);
      const first = seen.get(key);
      if (first !== undefined) result.warnings.push(`Same text, accounts and time as row ${first}.`);
      else seen.set(key, line);
    }
    return result;
  });
  const ok = rows.filter((r) => r.ok).length;
  return { rows, summary: { total: rows.length, ok, failed: rows.length - ok }, warnings, delimiter: table.delimiter, columns };
}

/**
 * Creates every post of a clean preview in one call (the caller makes that one transaction), or
 * throws CsvImportError and creates nothing. With `now`, times that passed since the preview was
 * made also stop the import.
 */
export function commitCsvImport<T>(preview: CsvImportPreview, create: (posts: ParsedPost[]) => T, opts: { now?: number } = {}): T {
  if (preview.rows.length === 0) throw new CsvImportError('empty', 'There are no posts to import.');
  const failed = preview.rows.filter((r) => !r.ok || r.errors.length > 0 || r.post === undefined).map((r) => r.line);
  if (failed.length > 0) {
    throw new CsvImportError(
      'rows_failed',
      `Nothing was imported: ${failed.length === 1 ? 'row' : `${failed.length} rows`} ${listLines(failed)} ${failed.length === 1 ? 'has' : 'have'} problems. Fix ${failed.length === 1 ? 'it' : 'them'} in the file and import it again.`,
      failed,
    );
  }
  const posts = preview.rows.map((r) => r.post!);
  if (opts.now !== undefined) {
    const now = opts.now;
    const passed = preview.rows.filter((r) => r.post!.publishAt !== null && r.post!.publishAt <= now).map((r) => r.line);
    if (passed.length > 0) {
      throw new CsvImportError(
        'time_passed',
        `Nothing was imported: the time of ${passed.length === 1 ? 'row' : 'rows'} ${listLines(passed)} passed while the preview was open. Change ${passed.length === 1 ? 'it' : 'them'} and import again.`,
        passed,
      );
    }
  }
  return create(posts);
}

// ---- header ----

function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Column letters as the spreadsheet shows them: 0 -> A, 26 -> AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function mapHeader(header: readonly string[], headerLine: number, body: readonly string[][]) {
  const indexOf = new Map<CsvField, number>();
  const columns: Partial<Record<CsvField, string>> = {};
  const warnings: string[] = [];
  const duplicates: string[] = [];
  let dateIndex: number | undefined;
  header.forEach((raw, i) => {
    const name = normalizeHeader(raw);
    const field = (Object.keys(FIELD_ALIASES) as CsvField[]).find((f) => FIELD_ALIASES[f].includes(name));
    if (field === undefined) {
      const used = body.some((r) => (r[i] ?? '').trim() !== '');
      if (name === '') {
        if (used) warnings.push(`Column ${columnLetter(i)} has no name in the first row, so it was ignored.`);
      } else {
        warnings.push(`Column ${columnLetter(i)} ("${raw.trim()}") isn't one Postdesk reads, so it was ignored.`);
      }
      return;
    }
    const prior = indexOf.get(field);
    // Planners often keep the day and the hour in two columns: "Date" + "Time" read as one time.
    if (field === 'time' && prior !== undefined && dateIndex === undefined) {
      const names = [normalizeHeader(header[prior]!), name];
      if (names.includes('date') && names.includes('time')) {
        dateIndex = names[0] === 'date' ? prior : i;
        const timeIndex = dateIndex === i ? prior : i;
        indexOf.set('time', timeIndex);
        columns.time = `${header[dateIndex]!.trim()} + ${header[timeIndex]!.trim()}`;
        return;
      }
    }
    if (prior !== undefined) {
      duplicates.push(`columns ${columnLetter(prior)} ("${header[prior]!.trim()}") and ${columnLetter(i)} ("${raw.trim()}") both mean ${field}`);
      return;
    }
    indexOf.set(field, i);
    columns[field] = raw.trim();
  });
  const missing = REQUIRED.filter((f) => !indexOf.has(f));
  if (missing.length > 0 || duplicates.length > 0) {
    const problems = [
      ...(missing.length > 0 ? [`it has no ${orList(missing)} column`] : []),
      ...duplicates,
    ];
    const accepted = REQUIRED.map((f) => `${f} (or ${FIELD_ALIASES[f].slice(1).join(', ')})`).join('; ');
    const found = header.map((h) => h.trim()).filter((h) => h !== '');
    throw new CsvImportError(
      'bad_header',
      `The first row must name the columns, but ${problems.join('; ')}. Columns found: ${found.length > 0 ? found.map((h) => `"${h}"`).join(', ') : 'none'}. ` +
        `Needed: ${accepted}. Optional: media, first_comment, hashtags.`,
      [headerLine],
    );
  }
  return { indexOf, dateIndex, columns, warnings };
}

// ---- rows ----

function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

const normalizeNewlines = (s: string) => s.replace(/\r\n?/g, '\n');

function readRow(
  cells: readonly string[],
  line: number,
  headerWidth: number,
  layout: { indexOf: ReadonlyMap<CsvField, number>; dateIndex: number | undefined },
  matcher: AccountMatcher,
  ctx: CsvImportContext,
): CsvRowResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const cell = (f: CsvField): string | null => {
    const i = layout.indexOf.get(f);
    return i === undefined ? null : (cells[i] ?? '');
  };
  if (cells.slice(headerWidth).some((c) => c.trim() !== '')) warnings.push('Cells to the right of the last named column were ignored.');

  const text = normalizeNewlines(cell('text') ?? '').trim();
  if (text === '') errors.push('The text is empty: every post needs text.');

  const accountIds: string[] = [];
  const items = (cell('accounts') ?? '').split(/[|,]/).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) errors.push('No account given: name at least one, like @yourhandle or bluesky:yourhandle.');
  for (const item of items) {
    const m = matcher(item);
    if ('error' in m) errors.push(m.error);
    else if (!accountIds.includes(m.id)) accountIds.push(m.id);
  }

  let publishAt: number | null = null;
  const rawTime = `${layout.dateIndex === undefined ? '' : (cells[layout.dateIndex] ?? '').trim()} ${(cell('time') ?? '').trim()}`.trim();
  if (rawTime === '') {
    warnings.push('No time given: this post will be imported as a draft.');
  } else {
    const t = parseCsvTime(rawTime, ctx.timezone);
    if ('error' in t) {
      errors.push(t.error);
    } else {
      if (t.note) warnings.push(t.note);
      if (t.at <= ctx.now) errors.push(`This time has already passed (${formatWall(t.at, ctx.timezone)}, ${ctx.timezone}). Choose a later time.`);
      publishAt = t.at;
    }
  }

  const mediaPaths: string[] = [];
  for (const raw of (cell('media') ?? '').split('|').map((s) => s.trim()).filter((s) => s !== '')) {
    const p = mediaPath(raw, ctx);
    if ('error' in p) errors.push(p.error);
    else if (!mediaPaths.includes(p.path)) mediaPaths.push(p.path);
  }

  const hashtags: string[] = [];
  for (const raw of (cell('hashtags') ?? '').split(/[\s,|;]+/).filter((s) => s !== '')) {
    const tag = raw.replace(/^#+/, '');
    if (!/^[\p{L}\p{M}\p{N}_]+$/u.test(tag)) {
      errors.push(`"${raw}" isn't a hashtag a network accepts: use letters, numbers and _ only.`);
    } else if (!hashtags.some((h) => h.toLowerCase() === `#${tag}`.toLowerCase())) {
      hashtags.push(`#${tag}`);
    }
  }

  const comment = normalizeNewlines(cell('first_comment') ?? '').trim();
  const post: ParsedPost = { text, accountIds, publishAt, mediaPaths, firstComment: comment === '' ? null : comment, hashtags };
  if (errors.length === 0 && ctx.validate) {
    const v = ctx.validate(post);
    errors.push(...v.errors);
    warnings.push(...v.warnings);
  }
  return errors.length === 0 ? { line, ok: true, errors, warnings, post } : { line, ok: false, errors, warnings };
}

function mediaPath(raw: string, ctx: CsvImportContext): { path: string } | { error: string } {
  // Windows' "Copy as path" wraps the path in quotes.
  let value = raw.replace(/^"(.*)"$/, '$1').trim();
  if (/^file:\/\//i.test(value)) {
    try {
      value = fileURLToPath(value);
    } catch {
      return { error: `"${raw}" isn't a file address Postdesk can open. Write the file's full path instead.` };
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return { error: `"${raw}" is a web address; media must be a file on this computer. Download it and write its path.` };
  }
  let path: string;
  if (isAbsolute(value)) path = value;
  else if (ctx.baseDir !== undefined && !value.startsWith('~')) path = resolve(ctx.baseDir, value);
  else return { error: `"${raw}" isn't a full path. Write where the file is, like /Users/you/Pictures/photo.jpg or C:\\Users\\you\\Pictures\\photo.jpg.` };
  if (ctx.fileExists && !ctx.fileExists(path)) return { error: `Media file not found: ${path}` };
  return { path };
}

// ---- accounts ----

type AccountMatcher = (item: string) => { id: string } | { error: string };

const handleKey = (s: string) => s.trim().replace(/^@+/, '').toLowerCase();
const nameKey = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function accountLabel(a: CsvAccount): string {
  return `${PLATFORM_NAMES[a.platform]} ${a.username ? `@${a.username.replace(/^@+/, '')}` : `"${a.displayName ?? a.id}"`}`;
}

function accountRef(a: CsvAccount): string {
  return `${a.platform}:${a.username ? a.username.replace(/^@+/, '') : (a.displayName ?? a.id)}`;
}

function platformOf(prefix: string): Platform | null {
  const p = prefix.trim().toLowerCase();
  if ((PLATFORMS as readonly string[]).includes(p)) return p as Platform;
  return PLATFORM_ALIASES[p] ?? null;
}

function accountMatcher(accounts: readonly CsvAccount[]): AccountMatcher {
  return (item) => {
    const colon = /^([a-z_]+)\s*:\s*(.+)$/i.exec(item);
    const platform = colon ? platformOf(colon[1]!) : null;
    const who = platform !== null ? colon![2]! : item;
    const handle = handleKey(who);
    const name = nameKey(who);
    const matches = accounts.filter((a) => {
      if (platform !== null && a.platform !== platform) return false;
      if (a.username) {
        const u = handleKey(a.username);
        if (u === handle) return true;
        // Mastodon stores the local acct ("alice"); people write the full "@alice@instance".
        if (a.platform === 'mastodon' && !u.includes('@') && handle.startsWith(`${u}@`)) return true;
      }
      return a.displayName !== null && (nameKey(a.displayName) === name || nameKey(a.displayName) === nameKey(who.replace(/^@+/, '')));
    });
    if (matches.length === 1) return { id: matches[0]!.id };
    if (matches.length > 1) {
      const distinctPlatforms = new Set(matches.map((a) => a.platform)).size === matches.length;
      return {
        error:
          `"${item}" matches ${matches.length} accounts (${matches.map(accountLabel).join(', ')}). ` +
          (distinctPlatforms ? `Write ${matches.map(accountRef).join(' or ')} to pick one.` : 'Write the full handle to pick one.'),
      };
    }
    if (accounts.length === 0) return { error: `No account matches "${item}": this workspace has no connected accounts yet. Connect one first.` };
    const known = accounts.slice(0, 6).map(accountRef).join(', ');
    return {
      error: `No connected account matches "${item}". Accounts in this workspace: ${known}${accounts.length > 6 ? ', …' : ''}.`,
    };
  };
}

// ---- time ----

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const FORMAT_HINT = 'Write it as 2026-03-29 09:30 (year-month-day, 24-hour clock), optionally with an offset like 2026-03-29T09:30+02:00.';

const sameWall = (a: WallTime, b: WallTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
const pad = (n: number) => String(n).padStart(2, '0');
const wallText = (w: WallTime) => `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}${w.second ? `:${pad(w.second)}` : ''}`;
const formatWall = (ms: number, tz: string) => wallText(wallTimeAt(ms, tz));

/**
 * A time cell to an instant. With an offset ('Z', '+02:00') it is that instant; without, it is a
 * wall-clock time in `timezone`, where a time skipped by the clocks going forward moves forward
 * by the gap and a time that happens twice means the first (RFC 5545), with a note saying so.
 */
export function parseCsvTime(value: string, timezone: string): { at: number; note?: string } | { error: string } {
  const m = TIME_RE.exec(value.trim());
  if (!m) return { error: `"${value}" isn't a date and time Postdesk can read. ${FORMAT_HINT}` };
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  if (h === undefined) return { error: `"${value}" has a date but no time of day. ${FORMAT_HINT}` };
  const wall: WallTime = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0) };
  const daysInMonth = new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate();
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > daysInMonth) return { error: `"${value}" isn't a real date. ${FORMAT_HINT}` };
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return { error: `"${value}" isn't a real time of day. ${FORMAT_HINT}` };
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

  if (offset !== undefined) {
    if (offset.toUpperCase() === 'Z') return { at: asUtc + ms };
    const o = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
    const oh = Number(o[2]);
    const om = Number(o[3] ?? 0);
    if (oh > 14 || om > 59) return { error: `"${value}" has an offset (${offset}) no timezone uses. ${FORMAT_HINT}` };
    return { at: asUtc - (o[1] === '-' ? -1 : 1) * (oh * 3_600_000 + om * 60_000) + ms };
  }

  const at = instantOf(wall, timezone);
  const shown = wallTimeAt(at, timezone);
  if (!sameWall(shown, wall)) {
    return {
      at: at + ms,
      note: `${wallText(wall)} doesn't exist in ${timezone} (the clocks go forward then), so it will publish at ${wallText(shown)}.`,
    };
  }
  const later = asUtc - offsetAt(asUtc + 12 * 3_600_000, timezone);
  if (later !== at && sameWall(wallTimeAt(later, timezone), wall)) {
    return {
      at: at + ms,
      note: `${wallText(wall)} happens twice in ${timezone} (the clocks go back then); the first one is used.`,
    };
  }
  return { at: at + ms };
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]!}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, 10).join(', ');
  return lines.length > 10 ? `${shown} and ${lines.length - 10} more` : shown;
}
