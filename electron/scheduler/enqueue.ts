// Adding jobs, inside the caller's transaction: a post and its publish job commit together or not
// at all (Signal's JobQueue does the same). The unique key makes enqueue idempotent: INSERT .. ON
// CONFLICT DO NOTHING, then the existing job is returned.
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Database, Schema } from '../../db/client';
import { newId } from '../../db/schema/columns';
import { announceQueued } from './announce';
import { DEFAULT_MAX_ATTEMPTS, type EnqueueOptions, type EnqueueResult, type JobDefinition } from './definitions';
import { nextOccurrence, validateRecurrence } from './recurrence';

/** The app's drizzle database or a transaction on it (better-sqlite3: synchronous). */
export type SyncDb = BaseSQLiteDatabase<'sync', BetterSqlite3.RunResult, Schema>;
/** Where a job is written: the Database (raw, fastest) or a drizzle transaction. */
export type JobWriter = Database | SyncDb;

export class EnqueueError extends Error {
  override name = 'EnqueueError';
}

interface Row {
  id: string;
  workspace_id: string | null;
  type: string;
  payload: string;
  priority: number;
  run_at: number;
  due_at: number;
  max_attempts: number;
  unique_key: string | null;
  idempotency_key: string;
  missed_run_policy: string | null;
  series_key: string | null;
  recurrence: string | null;
  cron_job_id: string | null;
  account_id: string | null;
  created_at: number;
}

const COLUMNS = [
  'id',
  'workspace_id',
  'type',
  'payload',
  'priority',
  'run_at',
  'due_at',
  'max_attempts',
  'unique_key',
  'idempotency_key',
  'missed_run_policy',
  'series_key',
  'recurrence',
  'cron_job_id',
  'account_id',
  'created_at',
] as const satisfies readonly (keyof Row)[];

const INSERT_SQL = `INSERT INTO jobs (${COLUMNS.join(', ')}, updated_at) VALUES (${COLUMNS.map((c) => '@' + c).join(', ')}, @created_at)
  ON CONFLICT DO NOTHING RETURNING id, run_at`;

const statements = new WeakMap<BetterSqlite3.Database, { insert: BetterSqlite3.Statement<Row, { id: string; run_at: number }>; byKey: BetterSqlite3.Statement<[string], { id: string; run_at: number }> }>();

function statementsFor(sqlite: BetterSqlite3.Database) {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      insert: sqlite.prepare<Row, { id: string; run_at: number }>(INSERT_SQL),
      byKey: sqlite.prepare<[string], { id: string; run_at: number }>('SELECT id, run_at FROM jobs WHERE unique_key = ?'),
    };
    statements.set(sqlite, s);
  }
  return s;
}

function isDatabase(w: JobWriter): w is Database {
  return 'sqlite' in w && 'orm' in w;
}

/** Build the row for a validated payload. Exported for bulk paths and tests. */
export function buildRow(
  type: string,
  payload: unknown,
  opts: EnqueueOptions,
  defaults: { maxAttempts?: number | undefined; priority?: number | undefined },
  now: number,
): Row {
  const id = newId();
  let runAt = opts.runAt ?? now;
  let uniqueKey = opts.uniqueKey ?? null;
  let seriesKey = opts.seriesKey ?? null;
  let recurrence: string | null = null;
  if (opts.recurrence) {
    try {
      validateRecurrence(opts.recurrence, { requireEnd: false });
    } catch (err) {
      throw new EnqueueError((err as Error).message);
    }
    if (opts.runAt === undefined) {
      const first = nextOccurrence(opts.recurrence, Math.min(now, opts.recurrence.startsAt) - 1);
      if (first === null) throw new EnqueueError('This repeating schedule has no occurrence left (its end is in the past).');
      runAt = first;
    }
    seriesKey ??= opts.uniqueKey ?? `series:${id}`;
    uniqueKey = `${seriesKey}@${runAt}`;
    recurrence = JSON.stringify(opts.recurrence);
  }
  const maxAttempts = opts.maxAttempts ?? defaults.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new EnqueueError('maxAttempts must be a whole number of at least 1.');
  if (!Number.isFinite(runAt)) throw new EnqueueError('runAt must be a time in epoch milliseconds.');
  return {
    id,
    workspace_id: opts.workspaceId ?? null,
    type,
    payload: JSON.stringify(payload ?? {}),
    priority: opts.priority ?? defaults.priority ?? 0,
    run_at: Math.round(runAt),
    due_at: Math.round(runAt),
    max_attempts: maxAttempts,
    unique_key: uniqueKey,
    idempotency_key: opts.idempotencyKey ?? `pd-${id}`,
    missed_run_policy: opts.missedRunPolicy ?? null,
    series_key: seriesKey,
    recurrence,
    cron_job_id: opts.cronJobId ?? null,
    account_id: opts.accountId ?? null,
    created_at: now,
  };
}

/** Insert a built row; returns the new or the already existing job (same unique key). */
export function insertRow(into: JobWriter, row: Row): EnqueueResult {
  let inserted: { id: string; run_at: number } | undefined;
  let existing: { id: string; run_at: number } | undefined;
  if (isDatabase(into)) {
    const s = statementsFor(into.sqlite);
    inserted = s.insert.get(row);
    if (!inserted && row.unique_key !== null) existing = s.byKey.get(row.unique_key);
  } else {
    const values = sql.join(
      COLUMNS.map((c) => sql`${row[c]}`),
      sql`, `,
    );
    inserted = into.get<{ id: string; run_at: number } | undefined>(
      sql`INSERT INTO jobs (${sql.raw(COLUMNS.join(', '))}, updated_at) VALUES (${values}, ${row.created_at}) ON CONFLICT DO NOTHING RETURNING id, run_at`,
    );
    if (!inserted && row.unique_key !== null) {
      existing = into.get<{ id: string; run_at: number } | undefined>(sql`SELECT id, run_at FROM jobs WHERE unique_key = ${row.unique_key}`);
    }
  }
  if (inserted) {
    announceQueued({ id: inserted.id, type: row.type, workspaceId: row.workspace_id, runAt: inserted.run_at });
    return { id: inserted.id, created: true, runAt: inserted.run_at };
  }
  if (existing) return { id: existing.id, created: false, runAt: existing.run_at };
  throw new EnqueueError(`The job could not be added (id conflict for ${row.id}).`);
}

/** Validate the payload against the definition's schema and add the job. */
export function enqueueJob<P>(
  into: JobWriter,
  def: Pick<JobDefinition<P, unknown, never>, 'type' | 'payload' | 'maxAttempts' | 'priority'>,
  payload: P,
  opts: EnqueueOptions = {},
  now: number = Date.now(),
): EnqueueResult {
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) {
    throw new EnqueueError(`The ${def.type} job's data is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
  }
  return insertRow(into, buildRow(def.type, parsed.data, opts, def, now));
}

/** Many jobs of one type in one transaction (nested as a savepoint inside the caller's). */
export function enqueueMany<P>(
  db: Database,
  def: Pick<JobDefinition<P, unknown, never>, 'type' | 'payload' | 'maxAttempts' | 'priority'>,
  items: readonly { payload: P; opts?: EnqueueOptions }[],
  now: number = Date.now(),
): EnqueueResult[] {
  return db.sqlite.transaction(() => items.map((it) => enqueueJob(db, def, it.payload, it.opts ?? {}, now)))();
}
