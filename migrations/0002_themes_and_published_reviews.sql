-- The Working Group's themes and published reviews. STRICT (and WITHOUT ROWID for comment_themes,
-- which is keyed by random comment ids) added by hand: drizzle cannot express them.
CREATE TABLE `comment_themes` (
	`survey_id` integer NOT NULL,
	`comment_id` text NOT NULL,
	`theme_id` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `comment_id`, `theme_id`),
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID, STRICT;
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`published_on` text NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
) STRICT;
--> statement-breakpoint
CREATE INDEX `reviews_survey_idx` ON `reviews` (`survey_id`,`id`);--> statement-breakpoint
CREATE TABLE `themes` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`label` text NOT NULL,
	`keywords` text DEFAULT '{"en":[],"es":[],"fr":[]}' NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
) STRICT;
--> statement-breakpoint
CREATE INDEX `themes_survey_idx` ON `themes` (`survey_id`);