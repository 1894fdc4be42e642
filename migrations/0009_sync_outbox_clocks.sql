CREATE TABLE `sync_clocks` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`clocks` text NOT NULL,
	`deleted_hlc` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	PRIMARY KEY(`table_name`, `row_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`ws_id` text NOT NULL,
	`cols` text,
	`at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_pending` (
	`seq` integer PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`cells` text NOT NULL,
	`deleted_hlc` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_pending_workspace_idx` ON `sync_pending` (`workspace_id`,`seq`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`applying` integer DEFAULT 0 NOT NULL,
	`triggers_hash` text,
	`paused` integer DEFAULT false NOT NULL,
	`connected_at` integer,
	`last_error` text,
	CONSTRAINT "sync_state_one_row" CHECK("sync_state"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE `sync_cursors` ADD `last_pulled_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
INSERT INTO `sync_state` (`id`) VALUES (1);