-- What the funder will do about what it heard (SPEC §13): staff answer the Working Group's
-- published review, theme by theme, and every change is kept, dated, with the role that made it
-- (never a token's label). Staff actions may carry dates; nothing here concerns a partner's
-- response. Texts are JSON { en, es, fr }. Written by hand, STRICT.
CREATE TABLE `commitments` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`theme_id` integer,
	`heard` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`due` text,
	`wg_note` text,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE set null
) STRICT;
--> statement-breakpoint
CREATE INDEX `commitments_survey_idx` ON `commitments` (`survey_id`);--> statement-breakpoint
CREATE TABLE `commitment_history` (
	`id` integer PRIMARY KEY NOT NULL,
	`commitment_id` integer NOT NULL,
	`date` text NOT NULL,
	`by` text NOT NULL,
	`changes` text NOT NULL,
	FOREIGN KEY (`commitment_id`) REFERENCES `commitments`(`id`) ON UPDATE no action ON DELETE cascade
) STRICT;
--> statement-breakpoint
CREATE INDEX `commitment_history_idx` ON `commitment_history` (`commitment_id`,`id`);
