// What the campaign-side CSV imports (conversions, events, ad metrics) share: the posts import's
// own RFC 4180 reader (row numbers as the spreadsheet shows them), header lookup by any of a
// column's usual names, the per-row report, and the two ways to commit: everything or nothing
// (the default: fixing row 37 and importing again must not duplicate rows 2-36), or the good rows
// only when the user chooses so after seeing the report.
import type { Database } from '../../../db/client';
import { ApiError } from '../../api/errors';
import { CsvSyntaxError, parseCsv } from '../posts/csv-parse';

/** Larger than any month of exports a person downloads; small enough to write in one short transaction. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

export const IMPORT_MODES = ['all_or_nothing', 'good_rows_only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface RowReport {
  /** The row number a spreadsheet shows (header = the row it sits on). */
  line: number;
  ok: boolean;
  /** What is wrong, in words, with the cell to fix. */
  errors: string[];
  /** Fine but worth knowing (a duplicate skipped, a value rounded). */
  warnings: string[];
}

export interface ImportReport {
  rows: RowReport[];
  summary: { total: number; ok: number; failed: number; duplicates: number; totals: number };
  /** Rows written to the database by this call (0 for a dry run or a refused all-or-nothing import). */
  written: number;
  /** Whether anything was written: false for a dry run, or when all_or_nothing met a bad row. */
  committed: boolean;
  /** One sentence for the top of the report. */
  message: string;
  /** Header cell each field was read from. */
  columns: Record<string, string>;
}

export interface HeaderSpec<F extends string> {
  field: F;
  /** Lower-cased header names that mean this field, most specific first. */
  names: readonly string[];
  /** A prefix match (e.g. Meta's "amount spent (eur)"). */
  prefixes?: readonly string[];
  required?: boolean;
  /** How to name the column in an error ("utm_source"). */
  label: string;
}

export interface CsvGrid<F extends string> {
  /** 1-based row of the header in the file. */
  headerLine: number;
  header: string[];
  columns: Partial<Record<F, number>>;
  /** Data rows with their spreadsheet row numbers; blank rows are left out. */
  rows: { line: number; cells: string[] }[];
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

export function refuseTooLarge(text: string): void {
  if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) {
    throw new ApiError('invalid_input', `This file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB. Export a shorter date range and import the parts one after the other.`);
  }
}

/** Reads the file and finds the header: the first row naming every required column (exports put a title and a date range above it). */
export function readGrid<F extends string>(text: string, specs: readonly HeaderSpec<F>[], opts: { what: string; maxPreambleRows?: number }): CsvGrid<F> {
  refuseTooLarge(text);
  let table;
  try {
    table = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ApiError('invalid_input', err.message);
    throw err;
  }
  const required = specs.filter((s) => s.required);
  const maxPre = opts.maxPreambleRows ?? 0;
  let headerIndex = -1;
  let columns: Partial<Record<F, number>> = {};
  for (let i = 0; i < Math.min(table.rows.length, maxPre + 1 + countBlankTop(table.rows)); i++) {
    const found = mapColumns(table.rows[i]!, specs);
    if (required.every((s) => found[s.field] !== undefined)) {
      headerIndex = i;
      columns = found;
      break;
    }
  }
  if (headerIndex < 0) {
    const first = table.rows.find((r) => r.some((c) => c.trim() !== ''));
    if (!first) throw new ApiError('invalid_input', `The file is empty. Export the ${opts.what} again and pick that file.`);
    const found = mapColumns(first, specs);
    const missing = required.filter((s) => found[s.field] === undefined).map((s) => s.label);
    throw new ApiError(
      'invalid_input',
      `This doesn't look like ${opts.what}: no header row names ${missing.join(', ')}. The first row reads "${first.join(', ').slice(0, 160)}".`,
    );
  }
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = headerIndex + 1; i < table.rows.length; i++) {
    const cells = table.rows[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    rows.push({ line: i + 1, cells });
  }
  if (rows.length === 0) throw new ApiError('invalid_input', `The file has a header but no rows under it. Export the ${opts.what} with data and try again.`);
  if (rows.length > IMPORT_MAX_ROWS) {
    throw new ApiError('invalid_input', `This file has ${rows.length.toLocaleString('en')} rows; up to ${IMPORT_MAX_ROWS.toLocaleString('en')} are imported at once. Split it by date range.`);
  }
  return { headerLine: headerIndex + 1, header: table.rows[headerIndex]!, columns, rows };
}

function countBlankTop(rows: string[][]): number {
  let n = 0;
  while (n < rows.length && rows[n]!.every((c) => c.trim() === '')) n++;
  return n;
}

function mapColumns<F extends string>(header: string[], specs: readonly HeaderSpec<F>[]): Partial<Record<F, number>> {
  const names = header.map(norm);
  const out: Partial<Record<F, number>> = {};
  const taken = new Set<number>();
  for (const spec of specs) {
    let at = -1;
    for (const n of spec.names) {
      at = names.findIndex((h, i) => h === n && !taken.has(i));
      if (at >= 0) break;
    }
    if (at < 0 && spec.prefixes) at = names.findIndex((h, i) => !taken.has(i) && spec.prefixes!.some((p) => h.startsWith(p)));
    if (at >= 0) {
      out[spec.field] = at;
      taken.add(at);
    }
  }
  return out;
}

export function columnNames<F extends string>(grid: CsvGrid<F>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, i] of Object.entries(grid.columns) as [F, number][]) out[field] = grid.header[i]!.trim();
  return out;
}

export function cellOf<F extends string>(grid: CsvGrid<F>, cells: string[], field: F): string {
  const i = grid.columns[field];
  return i === undefined ? '' : (cells[i] ?? '').trim();
}

/** Why a good row is not written: already in the database, or an export's own total line. */
export type SkipReason = 'duplicate' | 'total';

/**
 * Commits the good rows (or none) and builds the report. `write` runs inside one transaction with
 * the good rows only, so a failure inside it (the disk, a constraint) rolls back every row.
 */
export function finishImport<T>(
  db: Database,
  parsed: { report: RowReport; value?: T; skip?: SkipReason }[],
  opts: { mode: ImportMode; dryRun: boolean; columns: Record<string, string>; noun: string },
  write: (values: T[]) => number,
): ImportReport {
  const rows = parsed.map((p) => p.report);
  const failed = rows.filter((r) => !r.ok).length;
  const duplicates = parsed.filter((p) => p.report.ok && p.skip === 'duplicate').length;
  const totals = parsed.filter((p) => p.report.ok && p.skip === 'total').length;
  const good = parsed.filter((p) => p.report.ok && !p.skip && p.value !== undefined).map((p) => p.value as T);
  const summary = { total: rows.length, ok: rows.length - failed, failed, duplicates, totals };
  const base = { rows, summary, columns: opts.columns };
  const notes = [duplicates > 0 ? `${duplicates} already imported earlier ${opts.dryRun ? 'will be' : 'were'} skipped.` : '', totals > 0 ? `${totals} total rows skipped.` : '']
    .filter(Boolean)
    .join(' ');
  const tail = notes ? ` ${notes}` : '';
  if (opts.dryRun) {
    return { ...base, written: 0, committed: false, message: `${good.length} ${opts.noun} can be imported; ${failed} rows have a problem.${tail}` };
  }
  if (failed > 0 && opts.mode === 'all_or_nothing') {
    return {
      ...base,
      written: 0,
      committed: false,
      message: `Nothing was imported: ${failed} of ${summary.total} rows have a problem (listed by row). Fix them and import the file again, or import only the good rows.`,
    };
  }
  const written = good.length === 0 ? 0 : db.sqlite.transaction(() => write(good))();
  const skipped = failed > 0 ? ` ${failed} rows with a problem were left out.` : '';
  return { ...base, written, committed: written > 0, message: `Imported ${written} ${opts.noun}.${skipped}${tail}` };
}

/** Rows checked between two yields to the event loop: ~10 ms of parsing on a slow machine. */
const ROWS_PER_SLICE = 200;

/**
 * Maps every row, giving the event loop back between slices, so checking a 10,000-row export
 * never holds the API, the scheduler or the UI's events for more than a slice.
 */
export async function mapRows<R, T>(rows: readonly R[], fn: (row: R) => T): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % ROWS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    out.push(fn(rows[i]!));
  }
  return out;
}

/** "1,234.50", "1234.5", "€12.30", "4.2%", "--" → number; null for an empty cell. */
export function parseNumberCell(raw: string): { value: number | null } | { error: string } {
  const t = raw.trim();
  if (t === '' || t === '--' || t === '-' || t === '—') return { value: null };
  // English-locale exports group thousands with commas; a comma followed by exactly 1-2 digits at
  // the end is a decimal comma (European locales).
  let s = t.replace(/[\s\u00a0$€£¥%]|USD|EUR|GBP/gi, '');
  if (/^-?\d{1,3}(\.\d{3})+,\d{1,2}$/.test(s) || /^-?\d+,\d{1,2}$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return { error: `"${raw}" isn't a number` };
  return { value: Number(s) };
}
