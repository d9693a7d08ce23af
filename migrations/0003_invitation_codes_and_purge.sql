-- Invitation codes (hashes only) and the purge flag. WITHOUT ROWID, STRICT added by hand: rows
-- are stored in the order of their hash, so neither issuing nor spending order is kept.
CREATE TABLE `invites` (
	`survey_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`spent` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`survey_id`, `code_hash`),
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID, STRICT;
--> statement-breakpoint
ALTER TABLE `surveys` ADD `purged` integer DEFAULT false NOT NULL;