ALTER TABLE `ai_cost_tracking` ADD `total_cost_nano_usd` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_generations` ADD `cost_nano_usd` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_generations` ADD `tokens_estimated` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_monthly` ADD `ai_cost_nano_usd` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-added: rows metered before this version carry their REAL cost only; the exact columns start
-- from it (rounded to the nano-dollar) so the budget and roll-ups see past spend.
UPDATE `ai_generations` SET `cost_nano_usd` = CAST(ROUND(`cost` * 1000000000) AS INTEGER) WHERE `cost` > 0;--> statement-breakpoint
UPDATE `ai_cost_tracking` SET `total_cost_nano_usd` = CAST(ROUND(`total_cost` * 1000000000) AS INTEGER) WHERE `total_cost` > 0;--> statement-breakpoint
UPDATE `usage_monthly` SET `ai_cost_nano_usd` = COALESCE((
  SELECT SUM(t.`total_cost_nano_usd`) FROM `ai_cost_tracking` t
  WHERE t.`workspace_id` = `usage_monthly`.`workspace_id` AND substr(t.`date`, 1, 7) = `usage_monthly`.`month`
), 0);
