-- Full-text and vector search, which drizzle cannot express.
-- FTS5 external-content tables index the text of posts, conversation_messages, comments and
-- knowledge_chunks by their `seq` (a rowid alias, so VACUUM never renumbers it) and are kept in
-- step by the documented trigger pattern: the 'delete' command with the old text, then insert.
-- 'rebuild' indexes rows that existed before this migration ran.
-- knowledge_vec_384 holds chunk embeddings (384 dims, the built-in embedder) partitioned by
-- workspace, so a kNN query scans only one workspace's vectors.
CREATE VIRTUAL TABLE `posts_fts` USING fts5(
	content,
	content='posts',
	content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `posts_fts_ai` AFTER INSERT ON `posts` BEGIN
	INSERT INTO `posts_fts`(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_ad` AFTER DELETE ON `posts` BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, content) VALUES ('delete', old.seq, old.content);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_au` AFTER UPDATE OF content ON `posts` BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, content) VALUES ('delete', old.seq, old.content);
	INSERT INTO `posts_fts`(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
INSERT INTO `posts_fts`(`posts_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(
	content,
	content='conversation_messages',
	content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `conversation_messages` BEGIN
	INSERT INTO `messages_fts`(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `conversation_messages` BEGIN
	INSERT INTO `messages_fts`(`messages_fts`, rowid, content) VALUES ('delete', old.seq, old.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF content ON `conversation_messages` BEGIN
	INSERT INTO `messages_fts`(`messages_fts`, rowid, content) VALUES ('delete', old.seq, old.content);
	INSERT INTO `messages_fts`(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `comments_fts` USING fts5(
	text,
	content='comments',
	content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `comments_fts_ai` AFTER INSERT ON `comments` BEGIN
	INSERT INTO `comments_fts`(rowid, text) VALUES (new.seq, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `comments_fts_ad` AFTER DELETE ON `comments` BEGIN
	INSERT INTO `comments_fts`(`comments_fts`, rowid, text) VALUES ('delete', old.seq, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `comments_fts_au` AFTER UPDATE OF text ON `comments` BEGIN
	INSERT INTO `comments_fts`(`comments_fts`, rowid, text) VALUES ('delete', old.seq, old.text);
	INSERT INTO `comments_fts`(rowid, text) VALUES (new.seq, new.text);
END;
--> statement-breakpoint
INSERT INTO `comments_fts`(`comments_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(
	content,
	content='knowledge_chunks',
	content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_ai` AFTER INSERT ON `knowledge_chunks` BEGIN
	INSERT INTO `knowledge_fts`(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_ad` AFTER DELETE ON `knowledge_chunks` BEGIN
	INSERT INTO `knowledge_fts`(`knowledge_fts`, rowid, content) VALUES ('delete', old.seq, old.content);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_au` AFTER UPDATE OF content ON `knowledge_chunks` BEGIN
	INSERT INTO `knowledge_fts`(`knowledge_fts`, rowid, content) VALUES ('delete', old.seq, old.content);
	INSERT INTO `knowledge_fts`(rowid, content) VALUES (new.seq, new.content);
END;
--> statement-breakpoint
INSERT INTO `knowledge_fts`(`knowledge_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `knowledge_vec_384` USING vec0(
	chunk_seq INTEGER PRIMARY KEY,
	workspace_id TEXT PARTITION KEY,
	embedding FLOAT[384] distance_metric=cosine
);
--> statement-breakpoint
CREATE TRIGGER `knowledge_vec_384_ad` AFTER DELETE ON `knowledge_chunks` BEGIN
	DELETE FROM `knowledge_vec_384` WHERE chunk_seq = old.seq;
END;
