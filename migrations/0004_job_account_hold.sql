-- drizzle-kit copied account_id from the old table, which has no such column: it starts NULL.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`type` text NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`run_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 5 NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`unique_key` text,
	`idempotency_key` text,
	`last_error` text,
	`result` text,
	`started_at` integer,
	`completed_at` integer,
	`cron_job_id` text,
	`due_at` integer,
	`hold` text,
	`missed_run_policy` text,
	`needs_reconcile` integer DEFAULT false NOT NULL,
	`interruptions` integer DEFAULT 0 NOT NULL,
	`cancel_requested_at` integer,
	`progress` text,
	`series_key` text,
	`recurrence` text,
	`account_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cron_job_id`) REFERENCES `cron_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "jobs_status_check" CHECK("__new_jobs"."status" IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "jobs_hold_check" CHECK("__new_jobs"."hold" IN ('missed', 'account')),
	CONSTRAINT "jobs_missed_run_policy_check" CHECK("__new_jobs"."missed_run_policy" IN ('run_now', 'skip', 'ask')),
	CONSTRAINT "jobs_attempts_check" CHECK("__new_jobs"."attempts" >= 0),
	CONSTRAINT "jobs_interruptions_check" CHECK("__new_jobs"."interruptions" >= 0),
	CONSTRAINT "jobs_max_attempts_check" CHECK("__new_jobs"."max_attempts" >= 1)
);
--> statement-breakpoint
INSERT INTO `__new_jobs`("id", "workspace_id", "type", "payload", "status", "priority", "run_at", "attempts", "max_attempts", "lease_owner", "lease_expires_at", "unique_key", "idempotency_key", "last_error", "result", "started_at", "completed_at", "cron_job_id", "due_at", "hold", "missed_run_policy", "needs_reconcile", "interruptions", "cancel_requested_at", "progress", "series_key", "recurrence", "account_id", "created_at", "updated_at") SELECT "id", "workspace_id", "type", "payload", "status", "priority", "run_at", "attempts", "max_attempts", "lease_owner", "lease_expires_at", "unique_key", "idempotency_key", "last_error", "result", "started_at", "completed_at", "cron_job_id", "due_at", "hold", "missed_run_policy", "needs_reconcile", "interruptions", "cancel_requested_at", "progress", "series_key", "recurrence", NULL, "created_at", "updated_at" FROM `jobs`;--> statement-breakpoint
DROP TABLE `jobs`;--> statement-breakpoint
ALTER TABLE `__new_jobs` RENAME TO `jobs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_unique_key_unique` ON `jobs` (`unique_key`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`run_at`,`priority`) WHERE "jobs"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`priority`,`run_at`) WHERE "jobs"."status" = 'pending' AND "jobs"."hold" IS NULL;--> statement-breakpoint
CREATE INDEX `jobs_series_idx` ON `jobs` (`series_key`) WHERE "jobs"."series_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`lease_expires_at`) WHERE "jobs"."status" = 'running';--> statement-breakpoint
CREATE INDEX `jobs_workspace_status_idx` ON `jobs` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_type_status_idx` ON `jobs` (`type`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_account_pending_idx` ON `jobs` (`account_id`) WHERE "jobs"."account_id" IS NOT NULL AND "jobs"."status" = 'pending';