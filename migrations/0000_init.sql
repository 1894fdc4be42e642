CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`full_name` text,
	`avatar_url` text,
	`is_active` integer DEFAULT true NOT NULL,
	`is_local` integer DEFAULT false NOT NULL,
	`last_active_at` integer,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `workspace_members` (
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text DEFAULT 'owner' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "workspace_members_role_check" CHECK("workspace_members"."role" IN ('owner', 'admin', 'member'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_members_pk` ON `workspace_members` (`workspace_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `workspace_members_user_idx` ON `workspace_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `workspace_preferences` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`posting_frequency` integer DEFAULT 3 NOT NULL,
	`preferred_times` text DEFAULT '[]' NOT NULL,
	`themes_enabled` text DEFAULT '["tip","promotion","seasonal"]' NOT NULL,
	`avoid_keywords` text DEFAULT '[]' NOT NULL,
	`email_weekly_summary` integer DEFAULT true NOT NULL,
	`email_monthly_report` integer DEFAULT true NOT NULL,
	`push_approval_needed` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "workspace_preferences_posting_frequency_check" CHECK("workspace_preferences"."posting_frequency" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_preferences_workspace_unique` ON `workspace_preferences` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`business_type` text DEFAULT 'other' NOT NULL,
	`description` text,
	`website` text,
	`logo_url` text,
	`location_city` text,
	`location_state` text,
	`brand_voice` text DEFAULT 'professional' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`is_setup_complete` integer DEFAULT false NOT NULL,
	`setup_completed_at` integer,
	`setup_data` text,
	`color` text,
	`archived_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	CONSTRAINT "workspaces_name_check" CHECK(length(trim("workspaces"."name")) > 0),
	CONSTRAINT "workspaces_brand_voice_check" CHECK("workspaces"."brand_voice" IN ('professional', 'casual', 'friendly', 'playful', 'authoritative', 'inspirational'))
);
--> statement-breakpoint
CREATE TABLE `account_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`account_id` text,
	`integration_id` text,
	`ad_account_id` text,
	`access_token_encrypted` text,
	`refresh_token_encrypted` text,
	`app_password_encrypted` text,
	`cookies_encrypted` text,
	`cookies_expires_at` integer,
	`api_key_encrypted` text,
	`credentials_encrypted` text,
	`key_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ad_account_id`) REFERENCES `ad_accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "account_secrets_owner_check" CHECK(("account_secrets"."account_id" IS NOT NULL) + ("account_secrets"."integration_id" IS NOT NULL) + ("account_secrets"."ad_account_id" IS NOT NULL) = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_secrets_account_unique` ON `account_secrets` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `account_secrets_integration_unique` ON `account_secrets` (`integration_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `account_secrets_ad_account_unique` ON `account_secrets` (`ad_account_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`platform` text NOT NULL,
	`platform_account_id` text NOT NULL,
	`username` text,
	`display_name` text,
	`profile_url` text,
	`avatar_url` text,
	`server_url` text,
	`auth_kind` text DEFAULT 'oauth2' NOT NULL,
	`scopes` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`token_expires_at` integer,
	`connected_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`last_refreshed_at` integer,
	`last_synced_at` integer,
	`last_error` text,
	`followers_count` integer,
	`following_count` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "accounts_platform_check" CHECK("accounts"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube')),
	CONSTRAINT "accounts_auth_kind_check" CHECK("accounts"."auth_kind" IN ('oauth2', 'app_password', 'cookies', 'api_key')),
	CONSTRAINT "accounts_status_check" CHECK("accounts"."status" IN ('active', 'expired', 'revoked', 'error', 'disconnected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_workspace_platform_account_unique` ON `accounts` (`workspace_id`,`platform`,`platform_account_id`);--> statement-breakpoint
CREATE INDEX `accounts_platform_idx` ON `accounts` (`platform`);--> statement-breakpoint
CREATE INDEX `accounts_token_expires_idx` ON `accounts` (`token_expires_at`) WHERE "accounts"."status" = 'active';--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`category` text NOT NULL,
	`provider` text NOT NULL,
	`connection_status` text DEFAULT 'pending' NOT NULL,
	`account_name` text,
	`account_email` text,
	`data` text DEFAULT '{}' NOT NULL,
	`last_sync_at` integer,
	`sync_status` text DEFAULT 'idle' NOT NULL,
	`sync_error_message` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "integrations_connection_status_check" CHECK("integrations"."connection_status" IN ('connected', 'disconnected', 'error', 'pending')),
	CONSTRAINT "integrations_sync_status_check" CHECK("integrations"."sync_status" IN ('idle', 'syncing', 'error', 'completed')),
	CONSTRAINT "integrations_website_provider_check" CHECK("integrations"."category" <> 'website' OR "integrations"."provider" IN ('gohighlevel', 'simvoly', 'wordpress', 'custom'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integrations_workspace_category_provider_unique` ON `integrations` (`workspace_id`,`category`,`provider`);--> statement-breakpoint
CREATE TABLE `monitoring_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`account_id` text,
	`auto_monitor_enabled` integer DEFAULT true NOT NULL,
	`auto_monitor_count` integer DEFAULT 5 NOT NULL,
	`monitoring_duration_days` integer DEFAULT 7 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "monitoring_rules_auto_monitor_count_check" CHECK("monitoring_rules"."auto_monitor_count" BETWEEN 1 AND 20),
	CONSTRAINT "monitoring_rules_monitoring_duration_days_check" CHECK("monitoring_rules"."monitoring_duration_days" BETWEEN 1 AND 30)
);
--> statement-breakpoint
CREATE INDEX `monitoring_rules_workspace_idx` ON `monitoring_rules` (`workspace_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `monitoring_rules_account_unique` ON `monitoring_rules` (`account_id`);--> statement-breakpoint
CREATE TABLE `content_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text,
	`business_type` text NOT NULL,
	`theme` text NOT NULL,
	`template_text` text NOT NULL,
	`platform` text,
	`active` integer DEFAULT true NOT NULL,
	`is_builtin` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "content_templates_theme_check" CHECK("content_templates"."theme" IN ('tip', 'promotion', 'seasonal', 'testimonial', 'fun_fact')),
	CONSTRAINT "content_templates_platform_check" CHECK("content_templates"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube'))
);
--> statement-breakpoint
CREATE INDEX `content_templates_workspace_type_idx` ON `content_templates` (`workspace_id`,`business_type`);--> statement-breakpoint
CREATE TABLE `hashtag_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`hashtags` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hashtag_groups_workspace_name_unique` ON `hashtag_groups` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `monitored_posts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`account_id` text NOT NULL,
	`target_id` text,
	`platform_post_id` text NOT NULL,
	`platform` text NOT NULL,
	`caption` text,
	`media_url` text,
	`posted_at` integer,
	`source` text DEFAULT 'manual' NOT NULL,
	`monitoring_enabled` integer DEFAULT false NOT NULL,
	`monitoring_started_at` integer,
	`monitoring_ends_at` integer,
	`last_check_at` integer,
	`next_check_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "monitored_posts_platform_check" CHECK("monitored_posts"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube')),
	CONSTRAINT "monitored_posts_source_check" CHECK("monitored_posts"."source" IN ('scheduled', 'imported', 'manual'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `monitored_posts_account_post_unique` ON `monitored_posts` (`account_id`,`platform_post_id`);--> statement-breakpoint
CREATE INDEX `monitored_posts_workspace_posted_idx` ON `monitored_posts` (`workspace_id`,`posted_at`);--> statement-breakpoint
CREATE INDEX `monitored_posts_next_check_idx` ON `monitored_posts` (`next_check_at`) WHERE "monitored_posts"."monitoring_enabled" = 1;--> statement-breakpoint
CREATE TABLE `post_media` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`post_id` text NOT NULL,
	`media_id` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`alt_text` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "post_media_position_check" CHECK("post_media"."position" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_media_post_media_unique` ON `post_media` (`post_id`,`media_id`);--> statement-breakpoint
CREATE INDEX `post_media_media_idx` ON `post_media` (`media_id`);--> statement-breakpoint
CREATE TABLE `post_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`post_id` text NOT NULL,
	`target_id` text,
	`occurrence_at` integer,
	`attempt` integer DEFAULT 1 NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`error` text,
	`platform_post_id` text,
	`response` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "post_runs_status_check" CHECK("post_runs"."status" IN ('running', 'success', 'failed', 'unknown')),
	CONSTRAINT "post_runs_attempt_check" CHECK("post_runs"."attempt" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_runs_idempotency_key_unique` ON `post_runs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `post_runs_post_idx` ON `post_runs` (`post_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `post_runs_target_idx` ON `post_runs` (`target_id`);--> statement-breakpoint
CREATE INDEX `post_runs_unfinished_idx` ON `post_runs` (`started_at`) WHERE "post_runs"."status" IN ('running', 'unknown');--> statement-breakpoint
CREATE TABLE `post_targets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`post_id` text NOT NULL,
	`account_id` text NOT NULL,
	`platform` text NOT NULL,
	`content` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`publish_at` integer,
	`platform_post_id` text,
	`platform_url` text,
	`published_at` integer,
	`error_message` text,
	`retry_count` integer DEFAULT 0 NOT NULL,
	`max_retries` integer DEFAULT 3 NOT NULL,
	`native_scheduling` integer DEFAULT false NOT NULL,
	`native_schedule_id` text,
	`first_comment` text,
	`thread_parts` text DEFAULT '[]' NOT NULL,
	`last_check_at` integer,
	`next_check_at` integer,
	`stop_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "post_targets_platform_check" CHECK("post_targets"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube')),
	CONSTRAINT "post_targets_status_check" CHECK("post_targets"."status" IN ('pending', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
	CONSTRAINT "post_targets_retry_count_check" CHECK("post_targets"."retry_count" BETWEEN 0 AND "post_targets"."max_retries")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_targets_post_account_unique` ON `post_targets` (`post_id`,`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `post_targets_account_platform_post_unique` ON `post_targets` (`account_id`,`platform_post_id`);--> statement-breakpoint
CREATE INDEX `post_targets_workspace_status_idx` ON `post_targets` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `post_targets_due_idx` ON `post_targets` (`publish_at`) WHERE "post_targets"."status" IN ('pending', 'scheduled');--> statement-breakpoint
CREATE INDEX `post_targets_next_check_idx` ON `post_targets` (`next_check_at`) WHERE "post_targets"."status" = 'published';--> statement-breakpoint
CREATE TABLE `posts` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`content` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`publish_at` integer,
	`timezone` text,
	`rrule` text,
	`missed_run_policy` text DEFAULT 'publish_late' NOT NULL,
	`requires_approval` integer DEFAULT false NOT NULL,
	`approved_at` integer,
	`approved_by` text,
	`rejection_note` text,
	`hashtags` text DEFAULT '[]' NOT NULL,
	`template_id` text,
	`campaign_id` text,
	`author_id` text,
	`published_at` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`template_id`) REFERENCES `content_templates`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "posts_status_check" CHECK("posts"."status" IN ('draft', 'pending_approval', 'approved', 'rejected', 'scheduled', 'publishing', 'published', 'partially_published', 'failed', 'cancelled')),
	CONSTRAINT "posts_source_check" CHECK("posts"."source" IN ('manual', 'agent', 'imported', 'template', 'recurring')),
	CONSTRAINT "posts_missed_run_policy_check" CHECK("posts"."missed_run_policy" IN ('publish_late', 'skip', 'ask'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_id_unique` ON `posts` (`id`);--> statement-breakpoint
CREATE INDEX `posts_workspace_status_publish_idx` ON `posts` (`workspace_id`,`status`,`publish_at`);--> statement-breakpoint
CREATE INDEX `posts_due_idx` ON `posts` (`publish_at`) WHERE "posts"."status" IN ('scheduled', 'approved');--> statement-breakpoint
CREATE INDEX `posts_campaign_idx` ON `posts` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `posts_template_idx` ON `posts` (`template_id`);--> statement-breakpoint
CREATE TABLE `signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`content` text NOT NULL,
	`platform` text,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "signatures_platform_check" CHECK("signatures"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signatures_workspace_name_unique` ON `signatures` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `user_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`account_id` text NOT NULL,
	`platform` text NOT NULL,
	`target_post_platform_id` text,
	`target_post_url` text,
	`target_author` text,
	`content` text NOT NULL,
	`platform_comment_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`posted_at` integer,
	`error_message` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "user_comments_platform_check" CHECK("user_comments"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube')),
	CONSTRAINT "user_comments_status_check" CHECK("user_comments"."status" IN ('draft', 'posted', 'failed', 'deleted')),
	CONSTRAINT "user_comments_source_check" CHECK("user_comments"."source" IN ('manual', 'agent'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_comments_account_comment_unique` ON `user_comments` (`account_id`,`platform_comment_id`);--> statement-breakpoint
CREATE INDEX `user_comments_workspace_created_idx` ON `user_comments` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`filename` text NOT NULL,
	`path` text,
	`url` text,
	`kind` text DEFAULT 'image' NOT NULL,
	`mime_type` text,
	`size_bytes` integer,
	`sha256` text,
	`width` integer,
	`height` integer,
	`duration_ms` integer,
	`alt_text` text,
	`thumbnail_path` text,
	`source` text DEFAULT 'upload' NOT NULL,
	`photographer_name` text,
	`photographer_url` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "media_kind_check" CHECK("media"."kind" IN ('image', 'video', 'gif', 'audio', 'document')),
	CONSTRAINT "media_source_check" CHECK("media"."source" IN ('upload', 'stock', 'ai', 'imported')),
	CONSTRAINT "media_location_check" CHECK("media"."path" IS NOT NULL OR "media"."url" IS NOT NULL),
	CONSTRAINT "media_sha256_check" CHECK("media"."sha256" IS NULL OR length("media"."sha256") = 64),
	CONSTRAINT "media_size_bytes_check" CHECK("media"."size_bytes" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_workspace_sha256_unique` ON `media` (`workspace_id`,`sha256`) WHERE "media"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `media_workspace_created_idx` ON `media` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stock_photo_cache` (
	`id` text PRIMARY KEY NOT NULL,
	`business_type` text NOT NULL,
	`search_query` text NOT NULL,
	`photo_url` text NOT NULL,
	`photographer_name` text,
	`photographer_url` text,
	`source` text NOT NULL,
	`width` integer,
	`height` integer,
	`expires_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	CONSTRAINT "stock_photo_cache_source_check" CHECK("stock_photo_cache"."source" IN ('pexels', 'unsplash'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stock_photo_cache_type_url_unique` ON `stock_photo_cache` (`business_type`,`photo_url`);--> statement-breakpoint
CREATE INDEX `stock_photo_cache_type_idx` ON `stock_photo_cache` (`business_type`);--> statement-breakpoint
CREATE TABLE `automated_followups` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text,
	`customer_id` text,
	`message` text NOT NULL,
	`reason` text,
	`scheduled_for` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`sent_at` integer,
	`error_message` text,
	`cancel_on_reply` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "automated_followups_status_check" CHECK("automated_followups"."status" IN ('pending', 'sent', 'cancelled', 'failed')),
	CONSTRAINT "automated_followups_subject_check" CHECK("automated_followups"."conversation_id" IS NOT NULL OR "automated_followups"."customer_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `automated_followups_due_idx` ON `automated_followups` (`scheduled_for`) WHERE "automated_followups"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `automated_followups_conversation_idx` ON `automated_followups` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `automated_followups_customer_idx` ON `automated_followups` (`customer_id`);--> statement-breakpoint
CREATE TABLE `comments` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`account_id` text NOT NULL,
	`monitored_post_id` text,
	`target_id` text,
	`customer_id` text,
	`platform` text NOT NULL,
	`platform_comment_id` text NOT NULL,
	`platform_post_id` text,
	`author_name` text,
	`author_id` text,
	`author_avatar_url` text,
	`text` text DEFAULT '' NOT NULL,
	`parent_id` text,
	`like_count` integer DEFAULT 0 NOT NULL,
	`triage` text,
	`ai_reply_text` text,
	`ai_decision_id` text,
	`replied_at` integer,
	`hidden` integer DEFAULT false NOT NULL,
	`is_read` integer DEFAULT false NOT NULL,
	`commented_at` integer NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`monitored_post_id`) REFERENCES `monitored_posts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`ai_decision_id`) REFERENCES `ai_decisions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "comments_platform_check" CHECK("comments"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube')),
	CONSTRAINT "comments_triage_check" CHECK("comments"."triage" IN ('respond', 'ignore', 'escalate')),
	CONSTRAINT "comments_like_count_check" CHECK("comments"."like_count" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `comments_id_unique` ON `comments` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `comments_account_platform_comment_unique` ON `comments` (`account_id`,`platform_comment_id`);--> statement-breakpoint
CREATE INDEX `comments_workspace_commented_idx` ON `comments` (`workspace_id`,`commented_at`);--> statement-breakpoint
CREATE INDEX `comments_monitored_post_idx` ON `comments` (`monitored_post_id`);--> statement-breakpoint
CREATE INDEX `comments_target_idx` ON `comments` (`target_id`);--> statement-breakpoint
CREATE INDEX `comments_triage_idx` ON `comments` (`workspace_id`,`triage`) WHERE "comments"."replied_at" IS NULL;--> statement-breakpoint
CREATE TABLE `conversation_messages` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`external_message_id` text,
	`direction` text NOT NULL,
	`content` text DEFAULT '' NOT NULL,
	`message_type` text DEFAULT 'text' NOT NULL,
	`media_type` text,
	`media_id` text,
	`media_url` text,
	`sender_id` text,
	`sender_name` text,
	`sender_avatar_url` text,
	`is_from_agent` integer DEFAULT false NOT NULL,
	`agent_id` text,
	`reply_to_message_id` text,
	`status` text DEFAULT 'sent' NOT NULL,
	`sent_at` integer NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`reply_to_message_id`) REFERENCES `conversation_messages`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "conversation_messages_direction_check" CHECK("conversation_messages"."direction" IN ('inbound', 'outbound')),
	CONSTRAINT "conversation_messages_message_type_check" CHECK("conversation_messages"."message_type" IN ('text', 'image', 'video', 'audio', 'file')),
	CONSTRAINT "conversation_messages_status_check" CHECK("conversation_messages"."status" IN ('pending', 'sent', 'delivered', 'read', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversation_messages_id_unique` ON `conversation_messages` (`id`);--> statement-breakpoint
CREATE INDEX `conversation_messages_conversation_sent_idx` ON `conversation_messages` (`conversation_id`,`sent_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `conversation_messages_conversation_external_unique` ON `conversation_messages` (`conversation_id`,`external_message_id`);--> statement-breakpoint
CREATE INDEX `conversation_messages_workspace_idx` ON `conversation_messages` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`account_id` text NOT NULL,
	`customer_id` text,
	`external_conversation_id` text,
	`customer_identifier` text NOT NULL,
	`customer_name` text,
	`customer_avatar_url` text,
	`status` text DEFAULT 'open' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`assigned_to` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`ai_mode` text DEFAULT 'ON' NOT NULL,
	`automation_disabled` integer DEFAULT false NOT NULL,
	`unread_count` integer DEFAULT 0 NOT NULL,
	`last_message_at` integer,
	`last_message_preview` text,
	`snoozed_until` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assigned_to`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "conversations_status_check" CHECK("conversations"."status" IN ('open', 'pending', 'closed')),
	CONSTRAINT "conversations_priority_check" CHECK("conversations"."priority" IN ('low', 'normal', 'high', 'urgent')),
	CONSTRAINT "conversations_ai_mode_check" CHECK("conversations"."ai_mode" IN ('ON', 'OFF')),
	CONSTRAINT "conversations_unread_count_check" CHECK("conversations"."unread_count" >= 0)
);
--> statement-breakpoint
CREATE INDEX `conversations_inbox_idx` ON `conversations` (`workspace_id`,`status`,"last_message_at" DESC);--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_account_external_unique` ON `conversations` (`account_id`,`external_conversation_id`);--> statement-breakpoint
CREATE INDEX `conversations_customer_idx` ON `conversations` (`customer_id`);--> statement-breakpoint
CREATE INDEX `conversations_snoozed_idx` ON `conversations` (`snoozed_until`) WHERE "conversations"."snoozed_until" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `saved_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text NOT NULL,
	`content` text NOT NULL,
	`shortcut` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`use_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "saved_replies_use_count_check" CHECK("saved_replies"."use_count" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_replies_workspace_shortcut_unique` ON `saved_replies` (`workspace_id`,`shortcut`);--> statement-breakpoint
CREATE TABLE `support_escalations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text,
	`comment_id` text,
	`message` text NOT NULL,
	`confidence` real,
	`reason` text NOT NULL,
	`notified` integer DEFAULT false NOT NULL,
	`resolved_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "support_escalations_reason_check" CHECK("support_escalations"."reason" IN ('urgent_request', 'human_requested', 'legal_matter', 'ai_limitation', 'complex_issue')),
	CONSTRAINT "support_escalations_confidence_check" CHECK("support_escalations"."confidence" BETWEEN 0 AND 1),
	CONSTRAINT "support_escalations_subject_check" CHECK("support_escalations"."conversation_id" IS NOT NULL OR "support_escalations"."comment_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `support_escalations_workspace_created_idx` ON `support_escalations` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `support_escalations_conversation_idx` ON `support_escalations` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `support_escalations_comment_idx` ON `support_escalations` (`comment_id`);--> statement-breakpoint
CREATE TABLE `customer_identities` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`handle` text,
	`display_name` text,
	`profile_url` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "customer_identities_channel_check" CHECK("customer_identities"."channel" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube', 'email', 'phone', 'web'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_identities_workspace_channel_external_unique` ON `customer_identities` (`workspace_id`,`channel`,`external_id`);--> statement-breakpoint
CREATE INDEX `customer_identities_customer_idx` ON `customer_identities` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text,
	`email` text,
	`phone` text,
	`avatar_url` text,
	`lifecycle_stage` text DEFAULT 'lead' NOT NULL,
	`source` text,
	`notes` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`lifetime_value` real DEFAULT 0 NOT NULL,
	`first_seen_at` integer,
	`last_contact_at` integer,
	`last_purchase_at` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "customers_lifecycle_stage_check" CHECK("customers"."lifecycle_stage" IN ('lead', 'prospect', 'customer', 'repeat_customer', 'churned')),
	CONSTRAINT "customers_source_check" CHECK("customers"."source" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube', 'email', 'phone', 'web')),
	CONSTRAINT "customers_lifetime_value_check" CHECK("customers"."lifetime_value" >= 0)
);
--> statement-breakpoint
CREATE INDEX `customers_workspace_stage_idx` ON `customers` (`workspace_id`,`lifecycle_stage`);--> statement-breakpoint
CREATE INDEX `customers_workspace_last_contact_idx` ON `customers` (`workspace_id`,`last_contact_at`);--> statement-breakpoint
CREATE INDEX `customers_email_idx` ON `customers` (`workspace_id`,`email`) WHERE "customers"."email" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `ai_checkpoint_writes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`checkpoint_ns` text DEFAULT '' NOT NULL,
	`checkpoint_id` text NOT NULL,
	`task_id` text NOT NULL,
	`idx` integer NOT NULL,
	`channel` text NOT NULL,
	`type` text,
	`blob` blob,
	`task_path` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_checkpoint_writes_key_unique` ON `ai_checkpoint_writes` (`thread_id`,`checkpoint_ns`,`checkpoint_id`,`task_id`,`idx`);--> statement-breakpoint
CREATE INDEX `ai_checkpoint_writes_workspace_idx` ON `ai_checkpoint_writes` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ai_checkpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`checkpoint_ns` text DEFAULT '' NOT NULL,
	`checkpoint_id` text NOT NULL,
	`parent_checkpoint_id` text,
	`type` text,
	`checkpoint` text NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_checkpoints_thread_ns_checkpoint_unique` ON `ai_checkpoints` (`thread_id`,`checkpoint_ns`,`checkpoint_id`);--> statement-breakpoint
CREATE INDEX `ai_checkpoints_workspace_idx` ON `ai_checkpoints` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ai_cost_tracking` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`date` text DEFAULT (date('now')) NOT NULL,
	`openai_cost` real DEFAULT 0 NOT NULL,
	`anthropic_cost` real DEFAULT 0 NOT NULL,
	`other_cost` real DEFAULT 0 NOT NULL,
	`total_cost` real DEFAULT 0 NOT NULL,
	`generations_count` integer DEFAULT 0 NOT NULL,
	`tokens_used` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "ai_cost_tracking_date_check" CHECK("ai_cost_tracking"."date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "ai_cost_tracking_total_cost_check" CHECK("ai_cost_tracking"."total_cost" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_cost_tracking_workspace_date_unique` ON `ai_cost_tracking` (`workspace_id`,`date`);--> statement-breakpoint
CREATE TABLE `ai_decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`message_id` text,
	`comment_id` text,
	`conversation_id` text,
	`decision` text NOT NULL,
	`confidence` real,
	`reason` text,
	`matched_rule` text,
	`message_text` text,
	`snapshot_json` text,
	`model` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `conversation_messages`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ai_decisions_decision_check" CHECK("ai_decisions"."decision" IN ('respond', 'ignore', 'escalate')),
	CONSTRAINT "ai_decisions_confidence_check" CHECK("ai_decisions"."confidence" BETWEEN 0 AND 1),
	CONSTRAINT "ai_decisions_message_text_check" CHECK(length("ai_decisions"."message_text") <= 500)
);
--> statement-breakpoint
CREATE INDEX `ai_decisions_workspace_created_idx` ON `ai_decisions` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ai_decisions_message_idx` ON `ai_decisions` (`message_id`);--> statement-breakpoint
CREATE INDEX `ai_decisions_comment_idx` ON `ai_decisions` (`comment_id`);--> statement-breakpoint
CREATE TABLE `ai_generations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`campaign_id` text,
	`component_id` text,
	`post_id` text,
	`conversation_id` text,
	`generation_type` text NOT NULL,
	`prompt_text` text,
	`reference_images` text DEFAULT '[]' NOT NULL,
	`model_used` text,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cost` real DEFAULT 0 NOT NULL,
	`credits_charged` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'processing' NOT NULL,
	`result_data` text,
	`error_message` text,
	`latency_ms` integer,
	`iterations` integer DEFAULT 1 NOT NULL,
	`user_rating` integer,
	`user_feedback` text,
	`accepted` integer,
	`completed_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`component_id`) REFERENCES `campaign_components`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ai_generations_generation_type_check" CHECK("ai_generations"."generation_type" IN ('campaign', 'component', 'enhancement', 'analysis', 'migration_plan', 'post', 'reply', 'triage', 'hashtags', 'alt_text', 'summary', 'chat', 'embedding')),
	CONSTRAINT "ai_generations_status_check" CHECK("ai_generations"."status" IN ('processing', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "ai_generations_user_rating_check" CHECK("ai_generations"."user_rating" BETWEEN 1 AND 5),
	CONSTRAINT "ai_generations_prompt_tokens_check" CHECK("ai_generations"."prompt_tokens" >= 0),
	CONSTRAINT "ai_generations_completion_tokens_check" CHECK("ai_generations"."completion_tokens" >= 0),
	CONSTRAINT "ai_generations_cost_check" CHECK("ai_generations"."cost" >= 0)
);
--> statement-breakpoint
CREATE INDEX `ai_generations_workspace_created_idx` ON `ai_generations` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ai_generations_cost_idx` ON `ai_generations` (`cost`);--> statement-breakpoint
CREATE INDEX `ai_generations_campaign_idx` ON `ai_generations` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `ai_generations_component_idx` ON `ai_generations` (`component_id`);--> statement-breakpoint
CREATE INDEX `ai_generations_post_idx` ON `ai_generations` (`post_id`);--> statement-breakpoint
CREATE TABLE `ai_models` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`model_id` text NOT NULL,
	`description` text,
	`logo_key` text,
	`credit_cost` real DEFAULT 1 NOT NULL,
	`model_type` text DEFAULT 'fast' NOT NULL,
	`max_context_tokens` integer,
	`input_cost_per_mtok` real,
	`output_cost_per_mtok` real,
	`supports_text` integer DEFAULT true NOT NULL,
	`supports_images` integer DEFAULT false NOT NULL,
	`supports_audio` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	CONSTRAINT "ai_models_provider_check" CHECK("ai_models"."provider" IN ('openai', 'anthropic', 'google', 'meta', 'mistral', 'local', 'other')),
	CONSTRAINT "ai_models_model_type_check" CHECK("ai_models"."model_type" IN ('fast', 'advanced', 'affordable')),
	CONSTRAINT "ai_models_credit_cost_check" CHECK("ai_models"."credit_cost" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_models_model_id_unique` ON `ai_models` (`model_id`);--> statement-breakpoint
CREATE TABLE `ai_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`ai_model` text DEFAULT 'anthropic/claude-3.5-haiku' NOT NULL,
	`temperature` real DEFAULT 0.2 NOT NULL,
	`top_p` real DEFAULT 1 NOT NULL,
	`lang` text DEFAULT 'en' NOT NULL,
	`tone` text DEFAULT 'friendly' NOT NULL,
	`system_prompt` text,
	`ai_control_enabled` integer DEFAULT true NOT NULL,
	`ai_enabled_for_chats` integer DEFAULT true NOT NULL,
	`ai_enabled_for_comments` integer DEFAULT true NOT NULL,
	`flagged_keywords` text DEFAULT '[]' NOT NULL,
	`flagged_phrases` text DEFAULT '[]' NOT NULL,
	`instructions` text,
	`ignore_examples` text DEFAULT '[]' NOT NULL,
	`doc_lang` text DEFAULT '[]' NOT NULL,
	`base_url` text,
	`embedding_model` text,
	`monthly_cost_cap_usd` real,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "ai_settings_temperature_check" CHECK("ai_settings"."temperature" BETWEEN 0 AND 2),
	CONSTRAINT "ai_settings_top_p_check" CHECK("ai_settings"."top_p" BETWEEN 0 AND 1),
	CONSTRAINT "ai_settings_monthly_cost_cap_usd_check" CHECK("ai_settings"."monthly_cost_cap_usd" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_settings_workspace_unique` ON `ai_settings` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ai_studio_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`default_system_prompt` text,
	`default_model` text DEFAULT 'openai/gpt-4o' NOT NULL,
	`temperature` real DEFAULT 0.7 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "ai_studio_settings_temperature_check" CHECK("ai_studio_settings"."temperature" BETWEEN 0 AND 2)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_studio_settings_workspace_unique` ON `ai_studio_settings` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ai_studio_threads` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text,
	`model` text,
	`message_count` integer DEFAULT 0 NOT NULL,
	`last_message_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "ai_studio_threads_message_count_check" CHECK("ai_studio_threads"."message_count" >= 0)
);
--> statement-breakpoint
CREATE INDEX `ai_studio_threads_workspace_updated_idx` ON `ai_studio_threads` (`workspace_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `topic_analyses` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`model_id` text,
	`topic_id` integer NOT NULL,
	`topic_label` text,
	`topic_keywords` text DEFAULT '[]' NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	`sample_messages` text DEFAULT '[]' NOT NULL,
	`date_range_start` integer,
	`date_range_end` integer,
	`analysis_date` text DEFAULT (date('now')) NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_id`) REFERENCES `topic_models`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "topic_analyses_analysis_date_check" CHECK("topic_analyses"."analysis_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "topic_analyses_message_count_check" CHECK("topic_analyses"."message_count" >= 0)
);
--> statement-breakpoint
CREATE INDEX `topic_analyses_workspace_date_idx` ON `topic_analyses` (`workspace_id`,`analysis_date`);--> statement-breakpoint
CREATE TABLE `topic_models` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`model_version` text NOT NULL,
	`storage_path` text NOT NULL,
	`date_range_start` integer,
	`date_range_end` integer,
	`total_topics` integer DEFAULT 0 NOT NULL,
	`total_documents` integer DEFAULT 0 NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `topic_models_one_active_unique` ON `topic_models` (`workspace_id`) WHERE "topic_models"."is_active" = 1;--> statement-breakpoint
CREATE INDEX `topic_models_workspace_idx` ON `topic_models` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `faq_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text,
	`questions` text DEFAULT '[]' NOT NULL,
	`answer` text NOT NULL,
	`text_size_bytes` integer DEFAULT 0 NOT NULL,
	`lang_code` text DEFAULT 'simple' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "faq_entries_text_size_bytes_check" CHECK("faq_entries"."text_size_bytes" >= 0),
	CONSTRAINT "faq_entries_questions_check" CHECK(json_type("faq_entries"."questions") = 'array')
);
--> statement-breakpoint
CREATE INDEX `faq_entries_workspace_active_idx` ON `faq_entries` (`workspace_id`,`is_active`);--> statement-breakpoint
CREATE TABLE `knowledge_chunks` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`document_id` text,
	`faq_id` text,
	`chunk_index` integer NOT NULL,
	`content` text NOT NULL,
	`token_count` integer,
	`start_char` integer,
	`end_char` integer,
	`lang_code` text DEFAULT 'simple' NOT NULL,
	`embedded_at` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `knowledge_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`faq_id`) REFERENCES `faq_entries`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "knowledge_chunks_source_check" CHECK(("knowledge_chunks"."document_id" IS NULL) <> ("knowledge_chunks"."faq_id" IS NULL)),
	CONSTRAINT "knowledge_chunks_chunk_index_check" CHECK("knowledge_chunks"."chunk_index" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_chunks_id_unique` ON `knowledge_chunks` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_chunks_document_index_unique` ON `knowledge_chunks` (`document_id`,`chunk_index`);--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_chunks_faq_index_unique` ON `knowledge_chunks` (`faq_id`,`chunk_index`);--> statement-breakpoint
CREATE INDEX `knowledge_chunks_workspace_idx` ON `knowledge_chunks` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `knowledge_chunks_unembedded_idx` ON `knowledge_chunks` (`workspace_id`) WHERE "knowledge_chunks"."embedded_at" IS NULL;--> statement-breakpoint
CREATE TABLE `knowledge_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text,
	`file_path` text,
	`file_name` text,
	`source_url` text,
	`mime_type` text,
	`file_size_bytes` integer DEFAULT 0 NOT NULL,
	`content_sha256` text,
	`status` text DEFAULT 'processing' NOT NULL,
	`error_message` text,
	`embed_model` text,
	`embed_dims` integer,
	`lang_code` text DEFAULT 'simple' NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`last_ingested_at` integer,
	`last_embedded_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "knowledge_documents_status_check" CHECK("knowledge_documents"."status" IN ('processing', 'indexed', 'failed')),
	CONSTRAINT "knowledge_documents_file_size_bytes_check" CHECK("knowledge_documents"."file_size_bytes" >= 0),
	CONSTRAINT "knowledge_documents_chunk_count_check" CHECK("knowledge_documents"."chunk_count" >= 0)
);
--> statement-breakpoint
CREATE INDEX `knowledge_documents_workspace_status_idx` ON `knowledge_documents` (`workspace_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_documents_workspace_sha256_unique` ON `knowledge_documents` (`workspace_id`,`content_sha256`) WHERE "knowledge_documents"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `post_metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`target_id` text NOT NULL,
	`platform` text NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`video_views` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`engagement_rate` real DEFAULT 0 NOT NULL,
	`raw_metrics` text,
	`recorded_at` integer NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "post_metrics_platform_check" CHECK("post_metrics"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_metrics_target_unique` ON `post_metrics` (`target_id`);--> statement-breakpoint
CREATE INDEX `post_metrics_workspace_recorded_idx` ON `post_metrics` (`workspace_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `post_metrics_history` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`target_id` text NOT NULL,
	`platform` text NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`video_views` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`engagement_rate` real DEFAULT 0 NOT NULL,
	`raw_metrics` text,
	`recorded_at` integer NOT NULL,
	`age_hours` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "post_metrics_history_platform_check" CHECK("post_metrics_history"."platform" IN ('bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_metrics_history_target_recorded_unique` ON `post_metrics_history` (`target_id`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `post_metrics_history_workspace_recorded_idx` ON `post_metrics_history` (`workspace_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `campaign_components` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`name` text NOT NULL,
	`component_type` text NOT NULL,
	`code` text,
	`props` text DEFAULT '{}' NOT NULL,
	`css_styles` text,
	`preview_url` text,
	`export_formats` text DEFAULT '[]' NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`engagement_score` real,
	`ai_generation_metadata` text,
	`version` integer DEFAULT 1 NOT NULL,
	`parent_component_id` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_component_id`) REFERENCES `campaign_components`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "campaign_components_component_type_check" CHECK("campaign_components"."component_type" IN ('landing_page', 'form', 'header', 'footer', 'hero_section', 'testimonials', 'pricing', 'email_template', 'popup', 'navigation', 'custom')),
	CONSTRAINT "campaign_components_version_check" CHECK("campaign_components"."version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `campaign_components_campaign_sort_idx` ON `campaign_components` (`campaign_id`,`sort_order`);--> statement-breakpoint
CREATE INDEX `campaign_components_type_idx` ON `campaign_components` (`component_type`);--> statement-breakpoint
CREATE INDEX `campaign_components_parent_idx` ON `campaign_components` (`parent_component_id`);--> statement-breakpoint
CREATE TABLE `campaign_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`component_id` text,
	`event_type` text NOT NULL,
	`event_data` text DEFAULT '{}' NOT NULL,
	`session_id` text,
	`user_agent` text,
	`ip_address` text,
	`referrer` text,
	`country` text,
	`region` text,
	`city` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `campaign_components`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "campaign_events_event_type_check" CHECK("campaign_events"."event_type" IN ('view', 'click', 'conversion', 'form_submit', 'email_open', 'email_click')),
	CONSTRAINT "campaign_events_country_check" CHECK("campaign_events"."country" IS NULL OR length("campaign_events"."country") = 2)
);
--> statement-breakpoint
CREATE INDEX `campaign_events_campaign_occurred_idx` ON `campaign_events` (`campaign_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `campaign_events_workspace_occurred_idx` ON `campaign_events` (`workspace_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `campaign_events_type_idx` ON `campaign_events` (`event_type`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`type` text DEFAULT 'social' NOT NULL,
	`platform_source` text,
	`platform_source_id` text,
	`target_audience` text,
	`business_type` text,
	`goals` text DEFAULT '[]' NOT NULL,
	`brand_guidelines` text,
	`performance_requirements` text DEFAULT '{}' NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`revenue_generated` real DEFAULT 0 NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`launched_at` integer,
	`color` text,
	`payload` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "campaigns_status_check" CHECK("campaigns"."status" IN ('draft', 'generating', 'ready', 'launched', 'paused', 'archived')),
	CONSTRAINT "campaigns_type_check" CHECK("campaigns"."type" IN ('social', 'landing_page', 'funnel', 'email_sequence', 'complete_campaign', 'component_enhancement')),
	CONSTRAINT "campaigns_dates_check" CHECK("campaigns"."ends_at" IS NULL OR "campaigns"."starts_at" IS NULL OR "campaigns"."ends_at" >= "campaigns"."starts_at")
);
--> statement-breakpoint
CREATE INDEX `campaigns_workspace_status_idx` ON `campaigns` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `campaigns_workspace_created_idx` ON `campaigns` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `component_library` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`category` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`component_type` text NOT NULL,
	`code` text,
	`props_schema` text DEFAULT '{}' NOT NULL,
	`preview_image_url` text,
	`is_public` integer DEFAULT false NOT NULL,
	`is_marketplace_item` integer DEFAULT false NOT NULL,
	`price` real,
	`downloads` integer DEFAULT 0 NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "component_library_component_type_check" CHECK("component_library"."component_type" IN ('landing_page', 'form', 'header', 'footer', 'hero_section', 'testimonials', 'pricing', 'email_template', 'popup', 'navigation', 'custom')),
	CONSTRAINT "component_library_price_check" CHECK("component_library"."price" >= 0)
);
--> statement-breakpoint
CREATE INDEX `component_library_workspace_idx` ON `component_library` (`workspace_id`,`component_type`);--> statement-breakpoint
CREATE INDEX `component_library_public_idx` ON `component_library` (`created_at`) WHERE "component_library"."is_public" = 1;--> statement-breakpoint
CREATE INDEX `component_library_marketplace_idx` ON `component_library` (`created_at`) WHERE "component_library"."is_marketplace_item" = 1;--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`component_id` text,
	`target_id` text,
	`conversion_type` text NOT NULL,
	`value` real,
	`currency` text,
	`session_id` text,
	`source` text,
	`medium` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `campaign_components`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "conversions_currency_check" CHECK("conversions"."currency" IS NULL OR length("conversions"."currency") = 3)
);
--> statement-breakpoint
CREATE INDEX `conversions_campaign_occurred_idx` ON `conversions` (`campaign_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `conversions_target_idx` ON `conversions` (`target_id`);--> statement-breakpoint
CREATE TABLE `platform_analyses` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`analysis_type` text NOT NULL,
	`summary` text DEFAULT '{}' NOT NULL,
	`campaigns_analyzed` text DEFAULT '[]' NOT NULL,
	`recommendations` text DEFAULT '[]' NOT NULL,
	`migration_assessment` text,
	`ai_model_used` text,
	`ai_cost` real,
	`processing_time_seconds` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "platform_analyses_analysis_type_check" CHECK("platform_analyses"."analysis_type" IN ('full_audit', 'campaign_analysis', 'migration_assessment'))
);
--> statement-breakpoint
CREATE INDEX `platform_analyses_integration_idx` ON `platform_analyses` (`integration_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ad_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`platform` text NOT NULL,
	`external_account_id` text NOT NULL,
	`name` text,
	`currency` text,
	`timezone` text,
	`status` text DEFAULT 'active' NOT NULL,
	`account_id` text,
	`last_synced_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ad_accounts_platform_check" CHECK("ad_accounts"."platform" IN ('meta', 'google', 'linkedin', 'tiktok', 'x')),
	CONSTRAINT "ad_accounts_status_check" CHECK("ad_accounts"."status" IN ('active', 'paused', 'disconnected', 'error')),
	CONSTRAINT "ad_accounts_currency_check" CHECK("ad_accounts"."currency" IS NULL OR length("ad_accounts"."currency") = 3)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ad_accounts_workspace_platform_external_unique` ON `ad_accounts` (`workspace_id`,`platform`,`external_account_id`);--> statement-breakpoint
CREATE TABLE `ad_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`ad_account_id` text NOT NULL,
	`campaign_id` text,
	`post_id` text,
	`external_campaign_id` text,
	`name` text NOT NULL,
	`objective` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`daily_budget` real,
	`lifetime_budget` real,
	`starts_at` integer,
	`ends_at` integer,
	`targeting` text DEFAULT '{}' NOT NULL,
	`creative` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ad_account_id`) REFERENCES `ad_accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ad_campaigns_status_check" CHECK("ad_campaigns"."status" IN ('draft', 'active', 'paused', 'completed', 'archived')),
	CONSTRAINT "ad_campaigns_daily_budget_check" CHECK("ad_campaigns"."daily_budget" >= 0),
	CONSTRAINT "ad_campaigns_lifetime_budget_check" CHECK("ad_campaigns"."lifetime_budget" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ad_campaigns_account_external_unique` ON `ad_campaigns` (`ad_account_id`,`external_campaign_id`);--> statement-breakpoint
CREATE INDEX `ad_campaigns_workspace_status_idx` ON `ad_campaigns` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `ad_campaigns_campaign_idx` ON `ad_campaigns` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `ad_campaigns_post_idx` ON `ad_campaigns` (`post_id`);--> statement-breakpoint
CREATE TABLE `ad_metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`ad_campaign_id` text NOT NULL,
	`date` text NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`spend` real DEFAULT 0 NOT NULL,
	`revenue` real DEFAULT 0 NOT NULL,
	`ctr` real,
	`cpc` real,
	`cpm` real,
	`roas` real,
	`frequency` integer,
	`raw` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ad_campaign_id`) REFERENCES `ad_campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "ad_metrics_date_check" CHECK("ad_metrics"."date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "ad_metrics_spend_check" CHECK("ad_metrics"."spend" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ad_metrics_campaign_date_unique` ON `ad_metrics` (`ad_campaign_id`,`date`);--> statement-breakpoint
CREATE INDEX `ad_metrics_workspace_date_idx` ON `ad_metrics` (`workspace_id`,`date`);--> statement-breakpoint
CREATE TABLE `client_billing` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`billed_at` integer NOT NULL,
	`tokens_used` real NOT NULL,
	`cost` real NOT NULL,
	`user_id` text,
	`description` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "client_billing_tokens_used_check" CHECK("client_billing"."tokens_used" >= 0),
	CONSTRAINT "client_billing_cost_check" CHECK("client_billing"."cost" >= 0)
);
--> statement-breakpoint
CREATE INDEX `client_billing_workspace_billed_idx` ON `client_billing` (`workspace_id`,`billed_at`);--> statement-breakpoint
CREATE TABLE `credit_balances` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`credits_balance` integer DEFAULT 0 NOT NULL,
	`plan_credits` integer DEFAULT 0 NOT NULL,
	`next_reset_at` integer,
	`storage_used_mb` real DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "credit_balances_credits_balance_check" CHECK("credit_balances"."credits_balance" >= 0),
	CONSTRAINT "credit_balances_plan_credits_check" CHECK("credit_balances"."plan_credits" >= 0),
	CONSTRAINT "credit_balances_storage_used_mb_check" CHECK("credit_balances"."storage_used_mb" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_balances_workspace_unique` ON `credit_balances` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `credit_transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`transaction_type` text NOT NULL,
	`credits_amount` integer NOT NULL,
	`credits_balance_after` integer NOT NULL,
	`reason` text,
	`ai_generation_id` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ai_generation_id`) REFERENCES `ai_generations`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "credit_transactions_transaction_type_check" CHECK("credit_transactions"."transaction_type" IN ('deduction', 'refund', 'purchase', 'monthly_reset', 'trial_grant', 'bonus', 'adjustment')),
	CONSTRAINT "credit_transactions_credits_balance_after_check" CHECK("credit_transactions"."credits_balance_after" >= 0)
);
--> statement-breakpoint
CREATE INDEX `credit_transactions_workspace_created_idx` ON `credit_transactions` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `credit_transactions_generation_idx` ON `credit_transactions` (`ai_generation_id`);--> statement-breakpoint
CREATE TABLE `feature_usage` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`feature` text NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`unit` text DEFAULT 'calls' NOT NULL,
	`credits_used` integer DEFAULT 0 NOT NULL,
	`cost` real DEFAULT 0 NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "feature_usage_quantity_check" CHECK("feature_usage"."quantity" >= 0),
	CONSTRAINT "feature_usage_credits_used_check" CHECK("feature_usage"."credits_used" >= 0),
	CONSTRAINT "feature_usage_cost_check" CHECK("feature_usage"."cost" >= 0)
);
--> statement-breakpoint
CREATE INDEX `feature_usage_workspace_feature_created_idx` ON `feature_usage` (`workspace_id`,`feature`,`created_at`);--> statement-breakpoint
CREATE TABLE `usage_monthly` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`month` text NOT NULL,
	`campaigns_generated` integer DEFAULT 0 NOT NULL,
	`ai_credits_used` integer DEFAULT 0 NOT NULL,
	`storage_bytes_used` integer DEFAULT 0 NOT NULL,
	`api_calls_made` integer DEFAULT 0 NOT NULL,
	`posts_published` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "usage_monthly_month_check" CHECK("usage_monthly"."month" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_monthly_workspace_month_unique` ON `usage_monthly` (`workspace_id`,`month`);--> statement-breakpoint
CREATE TABLE `cron_job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`cron_job_id` text NOT NULL,
	`job_id` text,
	`scheduled_for` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`status` text DEFAULT 'running' NOT NULL,
	`error` text,
	`output` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cron_job_id`) REFERENCES `cron_jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "cron_job_runs_status_check" CHECK("cron_job_runs"."status" IN ('running', 'success', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cron_job_runs_job_scheduled_unique` ON `cron_job_runs` (`cron_job_id`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `cron_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`name` text NOT NULL,
	`job_type` text NOT NULL,
	`cron_expression` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`missed_run_policy` text DEFAULT 'run_once' NOT NULL,
	`last_run_at` integer,
	`next_run_at` integer,
	`last_status` text,
	`last_error` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "cron_jobs_missed_run_policy_check" CHECK("cron_jobs"."missed_run_policy" IN ('run_once', 'skip', 'run_all'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cron_jobs_workspace_name_unique` ON `cron_jobs` (`workspace_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `cron_jobs_app_name_unique` ON `cron_jobs` (`name`) WHERE "cron_jobs"."workspace_id" IS NULL;--> statement-breakpoint
CREATE INDEX `cron_jobs_next_run_idx` ON `cron_jobs` (`next_run_at`) WHERE "cron_jobs"."enabled" = 1;--> statement-breakpoint
CREATE TABLE `jobs` (
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
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cron_job_id`) REFERENCES `cron_jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "jobs_status_check" CHECK("jobs"."status" IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "jobs_attempts_check" CHECK("jobs"."attempts" >= 0),
	CONSTRAINT "jobs_max_attempts_check" CHECK("jobs"."max_attempts" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_unique_key_unique` ON `jobs` (`unique_key`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`run_at`,`priority`) WHERE "jobs"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`lease_expires_at`) WHERE "jobs"."status" = 'running';--> statement-breakpoint
CREATE INDEX `jobs_workspace_status_idx` ON `jobs` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_type_status_idx` ON `jobs` (`type`,`status`);--> statement-breakpoint
CREATE TABLE `workflow_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`workflow_name` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`trigger` text DEFAULT 'manual' NOT NULL,
	`input` text,
	`output` text,
	`steps` text DEFAULT '[]' NOT NULL,
	`error` text,
	`started_at` integer,
	`finished_at` integer,
	`cron_job_run_id` text,
	`job_id` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cron_job_run_id`) REFERENCES `cron_job_runs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "workflow_executions_status_check" CHECK("workflow_executions"."status" IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "workflow_executions_trigger_check" CHECK("workflow_executions"."trigger" IN ('manual', 'cron', 'event', 'api'))
);
--> statement-breakpoint
CREATE INDEX `workflow_executions_workspace_created_idx` ON `workflow_executions` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `workflow_executions_status_idx` ON `workflow_executions` (`status`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`node_id` text NOT NULL,
	`os` text,
	`app_version` text,
	`is_current` integer DEFAULT false NOT NULL,
	`last_hlc` text,
	`last_seen_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_node_id_unique` ON `devices` (`node_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `devices_one_current_unique` ON `devices` (`is_current`) WHERE "devices"."is_current" = 1;--> statement-breakpoint
CREATE TABLE `sync_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`hlc` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`column_name` text NOT NULL,
	`value` text,
	`origin` text DEFAULT 'local' NOT NULL,
	`pushed_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sync_changes_origin_check" CHECK("sync_changes"."origin" IN ('local', 'remote'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_changes_hlc_cell_unique` ON `sync_changes` (`hlc`,`table_name`,`row_id`,`column_name`);--> statement-breakpoint
CREATE INDEX `sync_changes_outbox_idx` ON `sync_changes` (`workspace_id`,`hlc`) WHERE "sync_changes"."origin" = 'local' AND "sync_changes"."pushed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sync_changes_cell_idx` ON `sync_changes` (`table_name`,`row_id`,`column_name`,`hlc`);--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`column_name` text NOT NULL,
	`local_value` text,
	`remote_value` text,
	`local_hlc` text NOT NULL,
	`remote_hlc` text NOT NULL,
	`winner` text NOT NULL,
	`reviewed_at` integer,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sync_conflicts_winner_check" CHECK("sync_conflicts"."winner" IN ('local', 'remote'))
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_workspace_unreviewed_idx` ON `sync_conflicts` (`workspace_id`,`created_at`) WHERE "sync_conflicts"."reviewed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sync_conflicts_row_idx` ON `sync_conflicts` (`table_name`,`row_id`);--> statement-breakpoint
CREATE TABLE `sync_cursors` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`remote` text NOT NULL,
	`last_pulled_hlc` text,
	`last_pushed_hlc` text,
	`last_synced_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_cursors_workspace_remote_unique` ON `sync_cursors` (`workspace_id`,`remote`);--> statement-breakpoint
CREATE TABLE `app_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`name` text NOT NULL,
	`value_encrypted` text NOT NULL,
	`key_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_secrets_workspace_name_unique` ON `app_secrets` (`workspace_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `app_secrets_app_name_unique` ON `app_secrets` (`name`) WHERE "app_secrets"."workspace_id" IS NULL;--> statement-breakpoint
CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text,
	`description` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
