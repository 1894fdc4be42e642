CREATE TABLE `inbox_poll_state` (
	`account_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`interval_ms` integer DEFAULT 300000 NOT NULL,
	`last_poll_at` integer,
	`next_poll_at` integer,
	`last_activity_at` integer,
	`newest_seen_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "inbox_poll_state_interval_ms_check" CHECK("inbox_poll_state"."interval_ms" >= 0)
);
--> statement-breakpoint
CREATE INDEX `inbox_poll_state_workspace_idx` ON `inbox_poll_state` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `conversation_messages` ADD `is_private_note` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Hand-edited: drizzle-kit rebuilds the 100k-row conversations table to add one CHECK; SQLite can add
-- a column with its own named CHECK in place, which keeps the upgrade instant on a large inbox.
ALTER TABLE `conversations` ADD `triage` text CONSTRAINT "conversations_triage_check" CHECK(`triage` IN ('respond', 'ignore', 'escalate'));
