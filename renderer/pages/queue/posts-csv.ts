// The CSV import dialog in words: reading the chosen file the way the engine reads one from disk
// (Excel's UTF-16 and Windows-1252 included), what each previewed row will become, and what the
// Import button says — "Fix 2 rows to import" until every row is fine. Pure, so tested without a
// browser.
import type { ApiOutput } from '../../../electron/api';
import { platformName } from '../accounts/account-labels';
import { postTime } from './posts-labels';

export type CsvPreview = ApiOutput<'posts.importCsvPreview'>;
export type CsvRow = CsvPreview['rows'][number];
export type CsvImported = ApiOutput<'posts.importCsv'>;

/** The engine's limit (csv-import.ts): checked here too, so a huge file is not sent at all. */
export const CSV_MAX_BYTES = 5 * 1024 * 1024;

export interface CsvAccountInfo {
  id: string;
  platform: string;
  username: string | null;
  displayName: string | null;
}

/** Bytes to text like the engine's decodeCsvBytes: a BOM says UTF-16; else UTF-8 if valid, else Windows-1252. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why a chosen file is not worth sending, or null. */
export function fileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty. Export the sheet again as CSV and choose the new file.`;
  if (file.size > CSV_MAX_BYTES) return `${file.name} is ${megabytes(file.size)}; Postdesk imports files up to 5 MB. Split it into smaller files.`;
  if (/\.(xlsx|xls|numbers|ods)$/i.test(file.name)) return `${file.name} is a spreadsheet, not a CSV. In your spreadsheet app choose File → Export (or Save as) → CSV, then choose that file.`;
  return null;
}

/** "Import 3 posts", or "Fix 1 row to import" (disabled) while any row has a problem. */
export function importButton(summary: CsvPreview['summary']): { label: string; disabled: boolean } {
  if (summary.failed > 0) return { label: `Fix ${summary.failed} ${summary.failed === 1 ? 'row' : 'rows'} to import`, disabled: true };
  if (summary.total === 0) return { label: 'Nothing to import', disabled: true };
  return { label: `Import ${summary.total} ${summary.total === 1 ? 'post' : 'posts'}`, disabled: false };
}

/** "3 rows · 2 ready · 1 to fix". */
export function summaryLine(summary: CsvPreview['summary']): string {
  const parts = [`${summary.total} ${summary.total === 1 ? 'row' : 'rows'}`, `${summary.ok} ready`];
  if (summary.failed > 0) parts.push(`${summary.failed} to fix`);
  return parts.join(' · ');
}

const FIELD_WORDS: Readonly<Record<string, string>> = {
  text: 'text',
  accounts: 'accounts',
  time: 'time',
  media: 'media',
  first_comment: 'first comment',
  hashtags: 'hashtags',
};

/** Which column each field was read from: 'text from “Post”, accounts from “Channel”, time from “Date + Time”'. */
export function columnsLine(columns: CsvPreview['columns']): string {
  return Object.entries(columns)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([field, header]) => `${FIELD_WORDS[field] ?? field} from “${header}”`)
    .join(', ');
}

function accountText(a: CsvAccountInfo | undefined, id: string): string {
  if (!a) return `an account no longer listed (${id.slice(0, 8)}…)`;
  const who = a.username ? `@${a.username.replace(/^@+/, '')}` : (a.displayName ?? a.id);
  return `${who} (${platformName(a.platform)})`;
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export interface RowOutcome {
  text: string;
  accounts: string[];
  /** "Tue 24 Nov, 09:30", or "Draft — no time" */
  when: string;
  scheduled: boolean;
  media: string[];
  hashtags: string[];
  firstComment: string | null;
}

/** What a row that reads fine will be once imported; null for a row with problems. */
export function rowOutcome(row: CsvRow, accounts: readonly CsvAccountInfo[], timezone: string, now: number, locale?: string): RowOutcome | null {
  const p = row.post;
  if (!p) return null;
  return {
    text: p.text,
    accounts: p.accountIds.map((id) => accountText(accounts.find((a) => a.id === id), id)),
    when: p.publishAt === null ? 'Draft — no time' : postTime(p.publishAt, now, timezone, locale),
    scheduled: p.publishAt !== null,
    media: p.mediaPaths.map(fileName),
    hashtags: p.hashtags,
    firstComment: p.firstComment,
  };
}

/** "Imported 3 posts: 2 scheduled, 1 as a draft." */
export function importedLine(r: Pick<CsvImported, 'created' | 'scheduled'>): string {
  const drafts = r.created - r.scheduled;
  const parts = [r.scheduled > 0 ? `${r.scheduled} scheduled` : '', drafts > 0 ? `${drafts} as ${drafts === 1 ? 'a draft' : 'drafts'}` : ''].filter(Boolean);
  return `Imported ${r.created} ${r.created === 1 ? 'post' : 'posts'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}
