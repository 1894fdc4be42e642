// Fast typed inserts for the demo generator: one prepared INSERT per table built from the drizzle
// table (so rows are checked against the schema by the compiler and JSON/boolean columns are
// encoded exactly as drizzle would), run in batched transactions with rows/s reported as it goes.
// drizzle's own insert builder costs ~10x more per row, which matters at a million messages.
import type BetterSqlite3 from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

export interface ProgressEvent {
  table: string;
  done: number;
  /** Rows this step will write, when known. */
  total: number | null;
  elapsedMs: number;
  finished: boolean;
}

export type ProgressFn = (e: ProgressEvent) => void;

type Insert<T extends SQLiteTable> = T['$inferInsert'];
/** A row that sets exactly the columns `K` (nullable ones may be null, none may be left out). */
export type RowOf<T extends SQLiteTable, K extends keyof Insert<T>> = { [P in K]-?: Insert<T>[P] };

/** Rows per transaction: large enough that commits cost nothing, small enough to report often. */
export const BATCH_ROWS = 5000;
const REPORT_EVERY_MS = 1000;
/** Column types whose driver value is the app value (mapToDriverValue is the identity). */
const PLAIN_COLUMN_TYPES = new Set(['SQLiteText', 'SQLiteInteger', 'SQLiteReal']);

export class TableWriter<T extends SQLiteTable, K extends keyof Insert<T> & string> {
  readonly name: string;
  private readonly stmt: BetterSqlite3.Statement;
  private readonly columns: SQLiteColumn[];
  /** Per column: does drizzle encode the value (JSON, booleans), or is it bound as it is? */
  private readonly encode: boolean[];
  private readonly runBatch: (rows: unknown[][]) => void;
  private buffer: unknown[][] = [];
  private done = 0;
  private started = 0;
  private lastReport = 0;

  constructor(
    sqlite: BetterSqlite3.Database,
    table: T,
    private readonly keys: readonly K[],
    private readonly opts: { total?: number | null; onProgress?: ProgressFn | undefined; batchRows?: number } = {},
  ) {
    this.name = getTableName(table);
    const all = getTableColumns(table) as Record<string, SQLiteColumn>;
    this.columns = keys.map((k) => {
      const col = all[k];
      if (!col) throw new Error(`${this.name} has no column ${k}`);
      return col;
    });
    this.encode = this.columns.map((c) => !PLAIN_COLUMN_TYPES.has(c.columnType));
    const names = this.columns.map((c) => `"${c.name}"`).join(', ');
    const marks = this.columns.map(() => '?').join(', ');
    this.stmt = sqlite.prepare(`INSERT INTO "${this.name}" (${names}) VALUES (${marks})`);
    const stmt = this.stmt;
    this.runBatch = sqlite.transaction((rows: unknown[][]) => {
      for (const r of rows) stmt.run(r);
    });
  }

  add(row: RowOf<T, K>): void {
    // Rates count from the first row, not from when the writer was made.
    if (this.started === 0) this.started = performance.now();
    const values = new Array<unknown>(this.keys.length);
    const rec = row as Record<string, unknown>;
    for (let i = 0; i < this.keys.length; i++) {
      const v = rec[this.keys[i] as string];
      values[i] = v === null || v === undefined ? null : this.encode[i] ? (this.columns[i] as SQLiteColumn).mapToDriverValue(v) : v;
    }
    this.buffer.push(values);
    if (this.buffer.length >= (this.opts.batchRows ?? BATCH_ROWS)) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.runBatch(rows);
    this.done += rows.length;
    const now = performance.now();
    if (now - this.lastReport >= REPORT_EVERY_MS) {
      this.lastReport = now;
      this.report(false);
    }
  }

  /** Write what is buffered and report the table's final count; returns rows written. */
  finish(): number {
    this.flush();
    this.report(true);
    return this.done;
  }

  private report(finished: boolean): void {
    this.opts.onProgress?.({
      table: this.name,
      done: this.done,
      total: this.opts.total ?? null,
      elapsedMs: this.started === 0 ? 0 : performance.now() - this.started,
      finished,
    });
  }
}
