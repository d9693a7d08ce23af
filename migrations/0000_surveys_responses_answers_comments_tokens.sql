-- Candor's first schema. Edited by hand after drizzle-kit generate, which cannot express it:
-- the tables that hold partners' answers (responses, answers, comments) are WITHOUT ROWID, so rows
-- are stored in the order of their random key and never in the order they arrived (an implicit
-- rowid would count submissions). Every table is STRICT so a wrong type fails loudly.
CREATE TABLE `answers` (
	`survey_id` integer NOT NULL,
	`response_id` text NOT NULL,
	`question_id` text NOT NULL,
	`value` text NOT NULL,
	`cohort` text NOT NULL,
	PRIMARY KEY(`survey_id`, `response_id`, `question_id`)
) WITHOUT ROWID, STRICT;
--> statement-breakpoint
CREATE INDEX `answers_cell_idx` ON `answers` (`survey_id`,`question_id`,`value`,`cohort`);--> statement-breakpoint
CREATE TABLE `comments` (
	`survey_id` integer NOT NULL,
	`id` text NOT NULL,
	`question_id` text NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`share_with_partners` integer DEFAULT false NOT NULL,
	`translations` text DEFAULT '{}' NOT NULL,
	PRIMARY KEY(`survey_id`, `id`),
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID, STRICT;
--> statement-breakpoint
CREATE TABLE `responses` (
	`survey_id` integer NOT NULL,
	`id` text NOT NULL,
	PRIMARY KEY(`survey_id`, `id`),
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID, STRICT;
--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`definition` text NOT NULL,
	`access` text NOT NULL,
	`min_group_size` integer NOT NULL,
	`min_diversity` integer NOT NULL,
	`min_comments` integer NOT NULL,
	`interim_releases` integer NOT NULL,
	`closes_at` text
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `surveys_slug_unique` ON `surveys` (`slug`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_on` text DEFAULT (date('now')) NOT NULL,
	`revoked` integer DEFAULT false NOT NULL
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_label_unique` ON `tokens` (`label`);--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`token_hash`);