-- Whether the release job must rewrite the file (VACUUM, README "Within a page"): one row counting
-- the transactions that stored responses since the last rewrite. store.ts adds 1 in each such
-- transaction; the job takes what it rewrote off the count once VACUUM has succeeded. Kept in the
-- file, not in memory, so that a restart does not rewrite a large file for nothing. It holds no
-- time and nothing per response. Written by hand, STRICT.
CREATE TABLE `file_rewrite` (
	`id` integer PRIMARY KEY NOT NULL,
	`writes_since` integer DEFAULT 0 NOT NULL,
	CONSTRAINT `file_rewrite_one_row` CHECK(`id` = 1)
) STRICT;
--> statement-breakpoint
-- A database upgraded from a Candor that kept this in memory may hold rows no rewrite has put in
-- key order yet: it starts with one write to rewrite, a new database with none.
INSERT INTO `file_rewrite` (`id`, `writes_since`) SELECT 1, EXISTS (SELECT 1 FROM `responses`) OR EXISTS (SELECT 1 FROM `comments`);
