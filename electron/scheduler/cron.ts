// Cron jobs (croner, in a timezone) materialise ordinary jobs. Each firing is a cron_job_runs row,
// unique per (cron job, scheduled time), inserted in the same transaction as its job: a firing
// never runs twice, even with two processes on one file or after a crash mid-firing.
import type BetterSqlite3 from 'better-sqlite3';
import { Cron } from 'croner';
import type { Database } from '../../db/client';
import { newId } from '../../db/schema/columns';
import { buildRow, insertRow } from './enqueue';
import type { QueuedInfo } from './store';
import { isValidTimezone } from './zoned-time';

export const CRON_POLICIES = ['run_once', 'skip', 'run_all'] as const;
export type CronMissedPolicy = (typeof CRON_POLICIES)[number];

export class CronError extends Error {
  override name = 'CronError';
}

export interface CronSpec {
  /** Unique per workspace (or app-wide when workspaceId is null). */
  name: string;
  jobType: string;
  cronExpression: string;
  timezone?: string;
  payload?: Record<string, unknown>;
  workspaceId?: string | null;
  enabled?: boolean;
  /** Firings missed while the app was closed: run the latest once (default), skip, or run each. */
  missedRunPolicy?: CronMissedPolicy;
}

interface CronRow {
  id: string;
  workspace_id: string | null;
  name: string;
  job_type: string;
  cron_expression: string;
  timezone: string;
  payload: string;
  missed_run_policy: CronMissedPolicy;
  next_run_at: number | null;
}

/** At most this many firings of one cron job are materialised in one catch-up. */
const MAX_FIRINGS = 100;

function cronOf(expr: string, timezone: string): Cron {
  if (!isValidTimezone(timezone)) throw new CronError(`"${timezone}" is not a known timezone (e.g. "Europe/Paris").`);
  try {
    return new Cron(expr, { timezone, paused: true });
  } catch (err) {
    throw new CronError(`"${expr}" is not a cron expression Postdesk understands: ${(err as Error).message}`);
  }
}

/** The first firing strictly after `after` (epoch ms), or null when the pattern has no more. */
export function nextFiring(expr: string, timezone: string, after: number): number | null {
  return cronOf(expr, timezone).nextRun(new Date(after))?.getTime() ?? null;
}

/** Create or update a cron job by name; returns its id and next firing. */
export function upsertCronJob(db: Database, spec: CronSpec, now: number): { id: string; nextRunAt: number | null } {
  const timezone = spec.timezone ?? 'UTC';
  const nextRunAt = nextFiring(spec.cronExpression, timezone, now);
  const ws = spec.workspaceId ?? null;
  return db.sqlite
    .transaction(() => {
      const existing = db.sqlite
        .prepare<[string, string | null], { id: string; cron_expression: string; timezone: string; next_run_at: number | null }>(
          'SELECT id, cron_expression, timezone, next_run_at FROM cron_jobs WHERE name = ? AND workspace_id IS ?',
        )
        .get(spec.name, ws);
      if (existing) {
        // Keep the pending firing when the schedule is unchanged, so a restart does not skip it.
        const unchanged = existing.cron_expression === spec.cronExpression && existing.timezone === timezone;
        const next = unchanged && existing.next_run_at !== null ? existing.next_run_at : nextRunAt;
        db.sqlite
          .prepare(
            `UPDATE cron_jobs SET job_type = ?, cron_expression = ?, timezone = ?, payload = ?, enabled = ?, missed_run_policy = ?,
               next_run_at = ?, updated_at = ? WHERE id = ?`,
          )
          .run(spec.jobType, spec.cronExpression, timezone, JSON.stringify(spec.payload ?? {}), spec.enabled === false ? 0 : 1, spec.missedRunPolicy ?? 'run_once', next, now, existing.id);
        return { id: existing.id, nextRunAt: next };
      }
      const id = newId();
      db.sqlite
        .prepare(
          `INSERT INTO cron_jobs (id, workspace_id, name, job_type, cron_expression, timezone, payload, enabled, missed_run_policy, next_run_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, ws, spec.name, spec.jobType, spec.cronExpression, timezone, JSON.stringify(spec.payload ?? {}), spec.enabled === false ? 0 : 1, spec.missedRunPolicy ?? 'run_once', nextRunAt, now, now);
      return { id, nextRunAt };
    })
    .immediate();
}

export function removeCronJob(db: Database, id: string): boolean {
  return db.sqlite.prepare('DELETE FROM cron_jobs WHERE id = ?').run(id).changes > 0;
}

export class CronFirer {
  private readonly due: BetterSqlite3.Statement<{ now: number }, CronRow>;
  private readonly next: BetterSqlite3.Statement<[], { at: number | null }>;
  private readonly insertRun: BetterSqlite3.Statement<{ id: string; ws: string | null; cron: string; at: number; status: string; now: number }, { id: string }>;
  private readonly linkRun: BetterSqlite3.Statement<[string, number, string]>;
  private readonly advance: BetterSqlite3.Statement<{ id: string; next: number | null; last: number | null; now: number }>;

  constructor(private readonly db: Database) {
    const s = db.sqlite;
    this.due = s.prepare(
      `SELECT id, workspace_id, name, job_type, cron_expression, timezone, payload, missed_run_policy, next_run_at
       FROM cron_jobs WHERE enabled = 1 AND next_run_at <= @now ORDER BY next_run_at LIMIT 50`,
    );
    this.next = s.prepare('SELECT MIN(next_run_at) AS at FROM cron_jobs WHERE enabled = 1');
    this.insertRun = s.prepare(
      `INSERT INTO cron_job_runs (id, workspace_id, cron_job_id, scheduled_for, status, finished_at, created_at, updated_at)
       VALUES (@id, @ws, @cron, @at, @status, CASE WHEN @status = 'skipped' THEN @now END, @now, @now)
       ON CONFLICT (cron_job_id, scheduled_for) DO NOTHING RETURNING id`,
    );
    this.linkRun = s.prepare('UPDATE cron_job_runs SET job_id = ?, updated_at = ? WHERE id = ?');
    this.advance = s.prepare(
      `UPDATE cron_jobs SET next_run_at = @next, last_run_at = COALESCE(@last, last_run_at), updated_at = @now WHERE id = @id`,
    );
  }

  nextAt(): number | null {
    return this.next.get()?.at ?? null;
  }

  /**
   * Materialise due firings. Firings later than `graceMs` are "missed" (the app was closed) and
   * follow the cron job's policy; recent ones always fire.
   */
  fire(now: number, graceMs: number, defaultsOf: (type: string) => { maxAttempts?: number | undefined; priority?: number | undefined }): QueuedInfo[] {
    const queued: QueuedInfo[] = [];
    this.db.sqlite
      .transaction(() => {
        for (const row of this.due.all({ now })) {
          let cron: Cron;
          try {
            cron = cronOf(row.cron_expression, row.timezone);
          } catch {
            // An expression that no longer parses (edited by hand) disables itself.
            this.advance.run({ id: row.id, next: null, last: null, now });
            continue;
          }
          const firings: number[] = [];
          let t: number | null = row.next_run_at;
          while (t !== null && t <= now) {
            firings.push(t);
            if (firings.length > MAX_FIRINGS) firings.shift();
            t = cron.nextRun(new Date(t))?.getTime() ?? null;
          }
          const recent = firings.filter((f) => f >= now - graceMs);
          const missed = firings.filter((f) => f < now - graceMs);
          let toFire = recent;
          if (missed.length > 0) {
            const latest = missed[missed.length - 1]!;
            if (row.missed_run_policy === 'run_all') toFire = [...missed, ...recent];
            else if (row.missed_run_policy === 'run_once') toFire = recent.length > 0 ? recent : [latest];
            else this.insertRun.get({ id: newId(), ws: row.workspace_id, cron: row.id, at: latest, status: 'skipped', now });
          }
          for (const at of toFire) {
            const run = this.insertRun.get({ id: newId(), ws: row.workspace_id, cron: row.id, at, status: 'running', now });
            if (!run) continue; // another process fired it already
            const jobRow = buildRow(
              row.job_type,
              JSON.parse(row.payload) as unknown,
              { workspaceId: row.workspace_id, uniqueKey: `cron:${row.id}:${at}`, cronJobId: row.id, runAt: Math.max(at, now - graceMs) },
              defaultsOf(row.job_type),
              now,
            );
            jobRow.due_at = at;
            const job = insertRow(this.db, jobRow);
            this.linkRun.run(job.id, now, run.id);
            if (job.created) queued.push({ id: job.id, type: row.job_type, workspaceId: row.workspace_id, runAt: job.runAt });
          }
          this.advance.run({ id: row.id, next: t, last: firings.at(-1) ?? null, now });
        }
      })
      .immediate();
    return queued;
  }
}
