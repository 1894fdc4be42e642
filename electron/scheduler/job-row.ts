// The jobs row as the runner reads it (raw SQL on the hot path), and its conversion to what
// handlers and the API see.
import type { JobInfo } from './definitions';
import type { Recurrence } from './recurrence';

/** Columns the runner reads back from its claim (UPDATE .. RETURNING). */
export const RUNNER_COLUMNS =
  'id, type, workspace_id, payload, priority, run_at, due_at, attempts, max_attempts, interruptions, unique_key, idempotency_key, needs_reconcile, series_key, recurrence, cron_job_id, cancel_requested_at';

export interface RunnerRow {
  id: string;
  type: string;
  workspace_id: string | null;
  payload: string;
  priority: number;
  run_at: number;
  due_at: number | null;
  attempts: number;
  max_attempts: number;
  interruptions: number;
  unique_key: string | null;
  idempotency_key: string | null;
  needs_reconcile: number;
  series_key: string | null;
  recurrence: string | null;
  cron_job_id: string | null;
  cancel_requested_at: number | null;
}

/** The key a job's effects carry: recorded before each attempt, the same for every attempt. */
export function idempotencyKeyOf(row: Pick<RunnerRow, 'id' | 'idempotency_key'>): string {
  return row.idempotency_key ?? `pd-${row.id}`;
}

export function jobInfoOf(row: RunnerRow): JobInfo {
  return {
    id: row.id,
    type: row.type,
    workspaceId: row.workspace_id,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    dueAt: row.due_at ?? row.run_at,
    runAt: row.run_at,
    uniqueKey: row.unique_key,
    seriesKey: row.series_key,
  };
}

export function parseRecurrence(text: string | null): Recurrence | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as Partial<Recurrence>;
    if (typeof r.rrule === 'string' && typeof r.startsAt === 'number' && typeof r.timezone === 'string') {
      return { rrule: r.rrule, startsAt: r.startsAt, timezone: r.timezone };
    }
  } catch {
    // A damaged recurrence ends the series instead of crashing the runner.
  }
  return null;
}

export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
