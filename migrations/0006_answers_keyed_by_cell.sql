-- The answers table, keyed by cell (survey, question, value, cohort) and then by the random response
-- id, in place of a table keyed by response with a covering index beside it. The aggregation reads
-- the table in key order exactly as it read the index, and each stored answer now writes one
-- b-tree instead of two (the response-keyed table cost a random page per response). Row order
-- follows the cell and the random id, never arrival. WITHOUT ROWID, STRICT added by hand.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_answers` (
	`survey_id` integer NOT NULL,
	`response_id` text NOT NULL,
	`question_id` text NOT NULL,
	`value` text NOT NULL,
	`cohort` text NOT NULL,
	PRIMARY KEY(`survey_id`, `question_id`, `value`, `cohort`, `response_id`)
) WITHOUT ROWID, STRICT;
--> statement-breakpoint
INSERT INTO `__new_answers`("survey_id", "response_id", "question_id", "value", "cohort") SELECT "survey_id", "response_id", "question_id", "value", "cohort" FROM `answers`;--> statement-breakpoint
DROP TABLE `answers`;--> statement-breakpoint
ALTER TABLE `__new_answers` RENAME TO `answers`;--> statement-breakpoint
PRAGMA foreign_keys=ON;