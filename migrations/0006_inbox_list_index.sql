-- Hand-edited: drizzle-kit splits the json_extract expression at its comma. The inbox list's
-- filters and sort in one partial index of live rows (see conversations_list_idx in db/schema/inbox.ts).
CREATE INDEX `conversations_list_idx` ON `conversations` (`workspace_id`,`status`,"last_message_at" DESC,"id" DESC,`snoozed_until`,`unread_count`,`account_id`,`priority`,`triage`,json_extract("metadata", '$.kind'),`tags`) WHERE "conversations"."deleted_at" IS NULL;
