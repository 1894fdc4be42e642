// The durable scheduler's tables: 004 job_queue (jobs, claimed with a lease), 000 CronJob and
// CronJobRun (recurring automations and their firings) and WorkflowExecution (multi-step runs).
// workspace_id is NULL for app-wide maintenance (token refresh sweeps, backups, vacuum).
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { bool, enumCheck, enumText, epochMs, id, json, nonNegative, timestamps } from './columns';
import { accounts } from './accounts';
import { optionalWorkspaceRef } from './workspaces';

/** 004 pending/processing/completed/failed/retrying: 'processing' is 'running'; a retry is 'pending' with a later run_at. */
export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

/**
 * Why a pending job may not be claimed: 'missed' = it came due while Postdesk was closed and its
 * policy is to ask; 'account' = its account's sign-in expired or was revoked, so it waits for the
 * user to reconnect instead of failing attempt after attempt.
 */
export const JOB_HOLDS = ['missed', 'account'] as const;
/** What the runner does with a job that came due while Postdesk was not running. */
export const JOB_MISSED_POLICIES = ['run_now', 'skip', 'ask'] as const;

const nowMs = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

export const jobs = sqliteTable(
  'jobs',
  {
    id: id(),
    workspaceId: optionalWorkspaceRef(),
    /** 004 job_type: 'post.publish', 'metrics.fetch', 'knowledge.ingest', ... */
    type: text('type').notNull(),
    payload: json<Record<string, unknown>>('payload').notNull().default({}),
    status: enumText('status', JOB_STATUSES).notNull().default('pending'),
    /** Higher runs first among due jobs. */
    priority: integer('priority').notNull().default(0),
    /** 004 scheduled_at: not before this time. */
    runAt: epochMs('run_at').notNull().default(nowMs),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: epochMs('lease_expires_at'),
    /** At most one job per key (e.g. 'publish:<target id>'). */
    uniqueKey: text('unique_key'),
    idempotencyKey: text('idempotency_key'),
    lastError: text('last_error'),
    result: json<unknown>('result'),
    startedAt: epochMs('started_at'),
    completedAt: epochMs('completed_at'),
    cronJobId: text('cron_job_id').references((): AnySQLiteColumn => cronJobs.id, { onDelete: 'set null' }),
    /** When it was meant to run (a recurring job's occurrence); retries and catch-up move run_at only. */
    dueAt: epochMs('due_at'),
    /** Set: not claimable until the user decides (see JOB_HOLDS). */
    hold: enumText('hold', JOB_HOLDS),
    /** NULL: the job type's policy. */
    missedRunPolicy: enumText('missed_run_policy', JOB_MISSED_POLICIES),
    /** The last attempt's outcome is unknown (crash, timeout): ask the handler's reconcile before retrying. */
    needsReconcile: bool('needs_reconcile').notNull().default(false),
    /** Attempts cut short by the process stopping; they don't count against max_attempts. */
    interruptions: integer('interruptions').notNull().default(0),
    /** The user cancelled it while it was running; the runner holding it stops it. */
    cancelRequestedAt: epochMs('cancel_requested_at'),
    /** Last progress report, {fraction, message}. */
    progress: json<{ fraction: number | null; message: string | null }>('progress'),
    /** A recurring job's series; each occurrence's unique_key is `<series_key>@<occurrence ms>`. */
    seriesKey: text('series_key'),
    /** RRULE of a recurring job, {rrule, startsAt, timezone}: the next occurrence is queued when this one ends. */
    recurrence: json<{ rrule: string; startsAt: number; timezone: string }>('recurrence'),
    /** The account this job acts as: paused together when its sign-in stops working. */
    accountId: text('account_id').references((): AnySQLiteColumn => accounts.id, { onDelete: 'cascade' }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('jobs_unique_key_unique').on(t.uniqueKey),
    // The Queue page lists pending jobs by time.
    index('jobs_due_idx').on(t.runAt, t.priority).where(sql`${t.status} = 'pending'`),
    // The runner claims by priority, then due time: one seek per priority level in use.
    index('jobs_claim_idx').on(t.priority, t.runAt).where(sql`${t.status} = 'pending' AND ${t.hold} IS NULL`),
    index('jobs_series_idx').on(t.seriesKey).where(sql`${t.seriesKey} IS NOT NULL`),
    index('jobs_lease_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
    index('jobs_workspace_status_idx').on(t.workspaceId, t.status),
    index('jobs_type_status_idx').on(t.type, t.status),
    index('jobs_account_pending_idx').on(t.accountId).where(sql`${t.accountId} IS NOT NULL AND ${t.status} = 'pending'`),
    enumCheck('jobs', t.status, JOB_STATUSES),
    enumCheck('jobs', t.hold, JOB_HOLDS),
    enumCheck('jobs', t.missedRunPolicy, JOB_MISSED_POLICIES),
    nonNegative('jobs', t.attempts),
    nonNegative('jobs', t.interruptions),
    check('jobs_max_attempts_check', sql`${t.maxAttempts} >= 1`),
  ],
);

export const JOB_ATTEMPT_STATUSES = ['running', 'succeeded', 'failed', 'interrupted', 'cancelled'] as const;
export const JOB_RECONCILE_RESULTS = ['done', 'not_done'] as const;

/**
 * One row per attempt, written in the claim transaction, i.e. durably before the handler calls
 * any network: the attempt's idempotency key and who ran it. After a crash the row says
 * 'interrupted' and `reconciled` records what the handler found out.
 */
export const jobAttempts = sqliteTable(
  'job_attempts',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    workspaceId: optionalWorkspaceRef(),
    attempt: integer('attempt').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The runner (lease owner) that made the attempt. */
    runner: text('runner').notNull(),
    status: enumText('status', JOB_ATTEMPT_STATUSES).notNull().default('running'),
    reconciled: enumText('reconciled', JOB_RECONCILE_RESULTS),
    startedAt: epochMs('started_at').notNull(),
    finishedAt: epochMs('finished_at'),
    error: text('error'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.attempt] }),
    enumCheck('job_attempts', t.status, JOB_ATTEMPT_STATUSES),
    enumCheck('job_attempts', t.reconciled, JOB_RECONCILE_RESULTS),
  ],
);

/** What to do with firings missed while the app was closed. */
export const CRON_MISSED_POLICIES = ['run_once', 'skip', 'run_all'] as const;

export const cronJobs = sqliteTable(
  'cron_jobs',
  {
    id: id(),
    workspaceId: optionalWorkspaceRef(),
    name: text('name').notNull(),
    jobType: text('job_type').notNull(),
    cronExpression: text('cron_expression').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    payload: json<Record<string, unknown>>('payload').notNull().default({}),
    enabled: bool('enabled').notNull().default(true),
    missedRunPolicy: enumText('missed_run_policy', CRON_MISSED_POLICIES).notNull().default('run_once'),
    lastRunAt: epochMs('last_run_at'),
    nextRunAt: epochMs('next_run_at'),
    lastStatus: text('last_status'),
    lastError: text('last_error'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('cron_jobs_workspace_name_unique').on(t.workspaceId, t.name),
    // NULLs are distinct in a UNIQUE index, so app-wide names need their own.
    uniqueIndex('cron_jobs_app_name_unique').on(t.name).where(sql`${t.workspaceId} IS NULL`),
    index('cron_jobs_next_run_idx').on(t.nextRunAt).where(sql`${t.enabled} = 1`),
    enumCheck('cron_jobs', t.missedRunPolicy, CRON_MISSED_POLICIES),
  ],
);

export const CRON_RUN_STATUSES = ['running', 'success', 'failed', 'skipped'] as const;

export const cronJobRuns = sqliteTable(
  'cron_job_runs',
  {
    id: id(),
    workspaceId: optionalWorkspaceRef(),
    cronJobId: text('cron_job_id')
      .notNull()
      .references(() => cronJobs.id, { onDelete: 'cascade' }),
    jobId: text('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    /** The firing time this run is for; unique, so a firing is never run twice. */
    scheduledFor: epochMs('scheduled_for').notNull(),
    startedAt: epochMs('started_at'),
    finishedAt: epochMs('finished_at'),
    status: enumText('status', CRON_RUN_STATUSES).notNull().default('running'),
    error: text('error'),
    output: json<unknown>('output'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('cron_job_runs_job_scheduled_unique').on(t.cronJobId, t.scheduledFor),
    // A finishing job updates its firing.
    index('cron_job_runs_job_idx').on(t.jobId),
    enumCheck('cron_job_runs', t.status, CRON_RUN_STATUSES),
  ],
);

export const WORKFLOW_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const WORKFLOW_TRIGGERS = ['manual', 'cron', 'event', 'api'] as const;

export const workflowExecutions = sqliteTable(
  'workflow_executions',
  {
    id: id(),
    workspaceId: optionalWorkspaceRef(),
    workflowName: text('workflow_name').notNull(),
    status: enumText('status', WORKFLOW_STATUSES).notNull().default('pending'),
    trigger: enumText('trigger', WORKFLOW_TRIGGERS).notNull().default('manual'),
    input: json<unknown>('input'),
    output: json<unknown>('output'),
    /** [{name, status, startedAt, finishedAt, error}] */
    steps: json<Record<string, unknown>[]>('steps').notNull().default([]),
    error: text('error'),
    startedAt: epochMs('started_at'),
    finishedAt: epochMs('finished_at'),
    cronJobRunId: text('cron_job_run_id').references(() => cronJobRuns.id, { onDelete: 'set null' }),
    jobId: text('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    index('workflow_executions_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('workflow_executions_status_idx').on(t.status),
    enumCheck('workflow_executions', t.status, WORKFLOW_STATUSES),
    enumCheck('workflow_executions', t.trigger, WORKFLOW_TRIGGERS),
  ],
);
